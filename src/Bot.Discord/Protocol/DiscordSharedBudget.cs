using Bot.Core.Limits;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Protocol;

/// <summary>
/// Discord's limits for one bot token, taken from the store's <see cref="ISharedRateBudget"/> so that
/// every instance posting with that token draws on the same budget: the global rate as places in a
/// one-second window, and each identify bucket as turns one identify window apart. When the store
/// cannot be reached the caller falls back to its own, per-instance limits.
/// </summary>
internal sealed class DiscordSharedBudget(ISharedRateBudget budget, string applicationId, TimeProvider time, ILogger<DiscordSharedBudget> logger)
{
    /// <summary>
    /// Discord's second, plus room for the instances' clocks to disagree: a place given back on one machine
    /// is counted by the others' clocks. Turns spaced 1/45 s apart were tried first; a busy machine bunched
    /// requests sent late onto those sent on time and drew 429s, which places cannot do (see <see cref="RateLimiter"/>).
    /// </summary>
    public static readonly TimeSpan GlobalWindow = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(50);

    /// <summary>How often a full window is asked again while its places are all out, their answers not yet in.</summary>
    private static readonly TimeSpan FullWindowPoll = TimeSpan.FromMilliseconds(20);

    private long _lastWarning = long.MinValue;

    private string GlobalKey => $"discord:{applicationId}:global";

    /// <summary>
    /// Waits for a place under Discord's global limit shared by every instance; give it back with
    /// <see cref="GiveBackAsync"/> once the answer is in. Null when the store failed and only local limits apply.
    /// </summary>
    /// <param name="lease">How long the request may take at most: a place never given back (this process died) frees after it.</param>
    public async Task<RatePlace?> TakeGlobalPlaceAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        while (true)
        {
            RatePlace place;
            try
            {
                place = await budget.TryTakePlaceAsync(GlobalKey, RateLimiter.GlobalPerSecond, GlobalWindow, lease + GlobalWindow, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Posts matter more than the shared pacing: the per-instance limits still keep each instance within Discord's.
                Warn(ex);
                return null;
            }

            if (place.Taken) return place;
            var wait = place.MayFreeSooner && place.RetryAfter > FullWindowPoll ? FullWindowPoll : place.RetryAfter;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    /// <summary>The answer is in: the place counts one more window, then frees. A failure leaves it to its lease.</summary>
    public async Task GiveBackAsync(RatePlace place)
    {
        try
        {
            // Not the request's token: a cancelled request still reached Discord, and its place should free on time.
            await budget.GiveBackAsync(place, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Warn(ex);
        }
    }

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
