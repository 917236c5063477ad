using Bot.Core.Chat;

namespace Bot.Testing;

/// <summary>Waits for background work to show its effect (a post on a fake platform) without sleeping blindly.</summary>
public static class Eventually
{
    public static async Task<T> HoldsAsync<T>(Func<T?> probe, string what)
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } found) return found;
            await Task.Delay(25);
        }

        throw new TimeoutException($"Timed out waiting for {what}");
    }
}

/// <summary>A "slow" command that answers only when the test releases it: proves acknowledgements come first.</summary>
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
