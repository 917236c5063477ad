using Bot.Core.Chat;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests;

/// <summary>A fake Slack and the real bot host wired to it, shared by the tests of a class.</summary>
public sealed class SlackFixture : IAsyncLifetime
{
    public FakeSlackServer Slack { get; private set; } = null!;
    public RunningBot Bot { get; private set; } = null!;
    /// <summary>The "slow" command waits for this: tests release it once they have seen the acknowledgement.</summary>
    public SlowCommand Slow { get; } = new();

    public async Task InitializeAsync()
    {
        // The fake's clock starts at the real time so the bot's own clock accepts its signatures.
        Slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        Bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Slack.SigningSecret,
            ["Slack:BotToken"] = Slack.BotToken,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl.ToString().TrimEnd('/'),
            ["Slack:Commands:slow"] = "/slow",
            ["Slack:Commands:incident"] = "/incident",
            ["Slack:DeferAfterMilliseconds"] = "200",
        }, services => services.AddSingleton<ICommandHandler>(Slow));
    }

    public async Task DisposeAsync()
    {
        Slow.Release();
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }

    /// <summary>Waits until the fake has recorded what the test expects; background work finishes on its own schedule.</summary>
    public async Task<T> EventuallyAsync<T>(Func<T?> probe, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } found) return found;
            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}");
    }
}

public sealed class SlowCommand : ICommandHandler
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Names => ["slow"];
    public string Usage => "/slow";

    public void Release() => _gate.TrySetResult();

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        return new ChatMessage { Title = "Slow answer", Text = "Done at last." };
    }
}
