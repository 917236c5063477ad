using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Feeds;

/// <summary>Configuration section <c>Feeds</c> as the domain reads it (the fetcher has its own settings).</summary>
public sealed class FeedOptions
{
    public const string Section = "Feeds";

    /// <summary>How often a feed added without an interval is fetched.</summary>
    [Range(FeedPolling.MinimumIntervalMinutes, 24 * 60)]
    public int DefaultIntervalMinutes { get; set; } = FeedPolling.DefaultIntervalMinutes;

    /// <summary>Feeds fetched at most in one round of the poller; the rest wait for the next round.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// When each feed is fetched next: its interval after a success; after failures a growing wait with
/// jitter (so feeds of one failing host do not retry in step); switched off after a day of failures,
/// or at once when the fetcher refused the address (retrying cannot help), with the reason kept.
/// </summary>
public sealed class FeedPolling(TimeProvider time, Random? random = null)
{
    public const int DefaultIntervalMinutes = 15;
    public const int MinimumIntervalMinutes = 2;
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(2);
    public static readonly TimeSpan DisableAfter = TimeSpan.FromDays(1);

    private readonly Random _random = random ?? Random.Shared;

    public static int ClampInterval(int? minutes) =>
        Math.Clamp(minutes ?? DefaultIntervalMinutes, MinimumIntervalMinutes, 24 * 60);

    public FeedStatus AfterFetch(Feed feed, FeedFetchResult result)
    {
        var now = time.GetUtcNow();
        return result.Outcome switch
        {
            FeedFetchOutcome.Fetched => Healthy(feed, now) with
            {
                Title = string.IsNullOrWhiteSpace(result.FeedTitle) ? null : Text.TextClipper.Clip(Incidents.Editing.EditLimits.Clean(result.FeedTitle), 120),
                ETag = result.ETag,
                LastModified = result.LastModified,
            },
            FeedFetchOutcome.NotModified => Healthy(feed, now),
            FeedFetchOutcome.Refused => Failed(feed, now, result.Problem ?? "refused", refused: true),
            _ => Failed(feed, now, result.Problem ?? "failed", refused: false),
        };
    }

    /// <summary>The fetcher itself threw: counted as a failure like any other, so the feed cannot stall the poller.</summary>
    public FeedStatus AfterCrash(Feed feed, Exception exception) =>
        Failed(feed, time.GetUtcNow(), $"internal error: {exception.GetType().Name}", refused: false);

    private static FeedStatus Healthy(Feed feed, DateTimeOffset now) => new(
        null, feed.ETag, feed.LastModified, now + TimeSpan.FromMinutes(ClampInterval(feed.IntervalMinutes)), 0, null, null, null, now);

    private FeedStatus Failed(Feed feed, DateTimeOffset now, string problem, bool refused)
    {
        var failures = feed.ConsecutiveFailures + 1;
        var since = feed.FailingSince ?? now;
        var reason = Text.TextClipper.Clip(problem, 300);
        string? disabled = refused ? reason
            : now - since >= DisableAfter ? $"failing for a day: {reason}"
            : null;
        return new FeedStatus(null, feed.ETag, feed.LastModified, now + Backoff(feed, failures), failures, since, reason, disabled, now);
    }

    /// <summary>The interval doubled per failure up to two hours, then ±20 % at random.</summary>
    public TimeSpan Backoff(Feed feed, int failures)
    {
        var interval = TimeSpan.FromMinutes(ClampInterval(feed.IntervalMinutes));
        var doubled = interval * Math.Pow(2, Math.Min(failures - 1, 10));
        var capped = doubled > MaxBackoff ? (interval > MaxBackoff ? interval : MaxBackoff) : doubled;
        var jitter = 0.8 + _random.NextDouble() * 0.4;
        return TimeSpan.FromSeconds(Math.Max(60, capped.TotalSeconds * jitter));
    }
}
