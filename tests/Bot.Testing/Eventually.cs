using Bot.Core.Chat;

namespace Bot.Testing;

/// <summary>Waits for background work to show its effect (a post on a fake platform) without sleeping blindly.</summary>
public static class Eventually
{
    // Generous on purpose: a wait returns as soon as its probe holds, so the bound costs nothing when all is well, while
    // a cold host's first answer on a loaded 2-core CI machine took over 5 s (EventsTests timed out once at 5).
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    public static Task<T> HoldsAsync<T>(Func<T?> probe, string what) => HoldsAsync(probe, what, DefaultWithin);

    /// <param name="within">A generous bound for a shared, noisy machine; the probe usually holds long before.</param>
    public static async Task<T> HoldsAsync<T>(Func<T?> probe, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found) return found;
            await Task.Delay(25);
        }

        return probe() ?? throw new TimeoutException($"Timed out waiting for {what}");
    }

    /// <summary>For conditions: waits until <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        HoldsAsync(() => condition() ? (object)true : null, what, within ?? DefaultWithin);
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
