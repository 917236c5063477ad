namespace Bot.Discord.Gateway;

/// <summary>
/// Discord lets each of <c>max_concurrency</c> buckets (shard id modulo max_concurrency) start one
/// session per 5 seconds; one more gets INVALID SESSION. Shards wait their bucket's turn here; with a
/// <paramref name="shared"/> budget the turns come from the store, so shards of several instances
/// queue in the same buckets (a store that does not answer leaves this instance's own turns).
/// </summary>
internal sealed class IdentifyLimiter(int maxConcurrency, TimeProvider time, Protocol.DiscordSharedBudget? shared = null)
{
    /// <summary>
    /// Discord's 5 s, plus room for the trip: a turn is taken just before IDENTIFY is sent, and one
    /// that reaches Discord late must not leave the next less than 5 s behind it.
    /// </summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5.5);

    /// <summary>Half the window's margin over Discord's 5 s; the other half is for the trip.</summary>
    private static readonly TimeSpan LateTolerance = TimeSpan.FromSeconds(0.25);

    private readonly int _buckets = Math.Max(1, maxConcurrency);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, DateTimeOffset> _nextAllowed = [];

    public async Task WaitTurnAsync(int shardId, CancellationToken cancellationToken)
    {
        var bucket = shardId % _buckets;
        if (shared is not null && await shared.WaitIdentifyTurnAsync(bucket, Window, LateTolerance, cancellationToken)) return;

        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var slot = _nextAllowed.TryGetValue(bucket, out var next) && next > now ? next : now;
            // Claimed before waiting, so shards of one bucket queue behind each other instead of all waking together.
            _nextAllowed[bucket] = slot + Window;
            wait = slot - now;
        }

        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
    }
}
