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
    /// Below Discord's 50: turns are spaced at reservation, but requests reach Discord with some jitter,
    /// and a request that arrives early must not be the 51st of a second.
    /// </summary>
    public const int GlobalPerSecond = 45;

    public static readonly TimeSpan GlobalSpacing = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / GlobalPerSecond);

    private long _lastWarning = long.MinValue;

    private string GlobalKey => $"discord:{applicationId}:global";

    /// <summary>Waits for this request's global turn. False when the store failed and only local limits apply.</summary>
    public Task<bool> WaitGlobalTurnAsync(CancellationToken cancellationToken) =>
        WaitTurnAsync(GlobalKey, GlobalSpacing, cancellationToken);

    /// <summary>Waits for an identify turn in a max_concurrency bucket. False when the store failed.</summary>
    public Task<bool> WaitIdentifyTurnAsync(int bucket, TimeSpan window, CancellationToken cancellationToken) =>
        WaitTurnAsync($"discord:{applicationId}:identify:{bucket}", window, cancellationToken);

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

    private async Task<bool> WaitTurnAsync(string key, TimeSpan spacing, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        try
        {
            wait = await budget.ReserveAsync(key, spacing, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // Posts matter more than the shared pacing: the per-instance limits still keep each instance within Discord's.
            Warn(ex);
            return false;
        }

        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
        return true;
    }

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
