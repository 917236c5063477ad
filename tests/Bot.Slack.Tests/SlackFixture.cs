using Bot.Core.Chat;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests;

/// <summary>A fake Slack and the real bot host wired to it, shared by the tests of a class.</summary>
public sealed class SlackFixture : IAsyncLifetime
{
    public FakeSlackServer Slack { get; private set; } = null!;
    public RunningBot Bot { get; private set; } = null!;
    /// <summary>The "slow" command waits for this: tests release it once they have seen the acknowledgement.</summary>
    public SlowCommand Slow { get; } = new();
    /// <summary>What the host logged (warnings and above).</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    public async Task InitializeAsync()
    {
        // The fake's clock starts at the real time so the bot's own clock accepts its signatures.
        Slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        Bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Slack.SigningSecret,
            ["Slack:BotToken"] = Slack.BotToken,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl.ToString().TrimEnd('/'),
            ["Slack:DeferAfterMilliseconds"] = "200",
        }, services =>
        {
            services.AddSingleton<ICommandHandler>(Slow);
            services.AddLogging(logging => logging.AddProvider(Logs));
        });
    }

    public async Task DisposeAsync()
    {
        Slow.Release();
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }

    /// <summary>Waits until the fake has recorded what the test expects; background work finishes on its own schedule.</summary>
    public Task<T> EventuallyAsync<T>(Func<T?> probe, string what) => Eventually.HoldsAsync(probe, what);

    /// <summary>
    /// Sends a slash command and returns the answer the person sees, wherever it arrived: in the acknowledgement, or, when the
    /// 200 ms budget ran out (a cold host's first rights lookup can take that long), posted later to its response_url.
    /// </summary>
    public Task<string> AnswerAsync(HttpRequestMessage slashCommand) => Slack.AnswerSeenAsync(Bot.Http, slashCommand);

    /// <summary>Waits until the work the bot started after acknowledging (answers, posts) has finished.</summary>
    public Task BackgroundWorkDoneAsync(TimeSpan? within = null) =>
        Eventually.TrueAsync(() => Bot.Services.GetRequiredService<BackgroundWork>().Count == 0, "background work to finish", within ?? TimeSpan.FromSeconds(30));
}
