using Bot.Core.Limits;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Protocol;

/// <summary>
/// Discord's limits for one bot token, taken from the store's <see cref="ISharedRateBudget"/> so that
/// every instance posting with that token draws on the same budget: the global rate as turns
/// <see cref="GlobalSpacing"/> apart, and each identify bucket as turns one identify window apart.
/// When the store cannot be reached the caller falls back to its own, per-instance limits.
/// </summary>
internal sealed class DiscordSharedBudget(ISharedRateBudget budget, string applicationId, TimeProvider time, ILogger<DiscordSharedBudget> logger)
{
    /// <summary>
    /// Below Discord's 50: a request goes between its turn and <see cref="GlobalLateTolerance"/> after it,
    /// so a second can hold the requests of (1 s + tolerance) / spacing + 1 turns, 47 here; the
    /// other 3 are room for the trip to Discord, whose time varies too.
    /// </summary>
    public const int GlobalPerSecond = 45;

    public static readonly TimeSpan GlobalSpacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / GlobalPerSecond);

    /// <summary>
    /// How late a global turn may still be used: one spacing (see <see cref="GlobalPerSecond"/>). Measured
    /// on a busy machine, two let a few requests through past 50 in a second; half of one wasted turns.
    /// </summary>
    public static readonly TimeSpan GlobalLateTolerance = GlobalSpacing;

    private long _lastWarning = long.MinValue;

    private string GlobalKey => $"discord:{applicationId}:global";

    /// <summary>Waits for this request's global turn. False when the store failed and only local limits apply.</summary>
    public Task<bool> WaitGlobalTurnAsync(CancellationToken cancellationToken) =>
        WaitTurnAsync(GlobalKey, GlobalSpacing, GlobalLateTolerance, cancellationToken);

    /// <summary>Waits for an identify turn in a max_concurrency bucket. False when the store failed.</summary>
    /// <param name="lateTolerance">How late an identify may still go: less than the window's margin over Discord's 5 s.</param>
    public Task<bool> WaitIdentifyTurnAsync(int bucket, TimeSpan window, TimeSpan lateTolerance, CancellationToken cancellationToken) =>
        WaitTurnAsync($"discord:{applicationId}:identify:{bucket}", window, lateTolerance, cancellationToken);

    /// <summary>A global 429 seen here holds every instance back, not just this one.</summary>
    public async Task HoldGlobalAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        try
        {
            await budget.HoldAsync(GlobalKey, time.GetUtcNow() + retryAfter, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            Warn(ex);
        }
    }

    /// <summary>
    /// Waits for a turn and goes only if it is still on time. A request sent well after its turn (the store
    /// answered slowly, or a busy machine woke the timer late) would land among the turns after it, and
    /// a few of those bunched together are what takes a second past Discord's limit: such a turn is
    /// given up and another reserved.
    /// </summary>
    private async Task<bool> WaitTurnAsync(string key, TimeSpan spacing, TimeSpan lateTolerance, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            DateTimeOffset turn;
            try
            {
                turn = await budget.ReserveAsync(key, spacing, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Posts matter more than the shared pacing: the per-instance limits still keep each instance within Discord's.
                Warn(ex);
                return false;
            }

            var wait = turn - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
                wait = turn - time.GetUtcNow();
            }

            // A machine too busy to keep any turn still sends, eventually: the per-instance limits and 429 handling remain.
            if (-wait <= lateTolerance || attempt == MaxAttempts) return true;
        }
    }

    private const int MaxAttempts = 10;

    /// <summary>At most one warning a minute: an unreachable store would otherwise log once per request.</summary>
    private void Warn(Exception ex)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if (last != long.MinValue && time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1)) return;
        if (Interlocked.CompareExchange(ref _lastWarning, now, last) != last) return;
        logger.LogWarning("Discord shared rate budget: the store did not answer ({Error}); pacing with this instance's own limits meanwhile", ex.GetType().Name);
    }
}

/// <summary>Whether this instance paces Discord through the store: <see cref="Budget"/> is null when it does not.</summary>
internal sealed record SharedBudgetChoice(DiscordSharedBudget? Budget);
