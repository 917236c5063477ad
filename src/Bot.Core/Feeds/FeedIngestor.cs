using Bot.Core.Answers;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Feeds;

/// <summary>What one poll of one feed did, for the poller's log and <c>bot feeds poll</c>.</summary>
public sealed record FeedPollReport(Feed Feed, FeedFetchOutcome Outcome, IReadOnlyList<SavedFeedItem> Items, string? Problem, string? DisabledReason)
{
    public int New => Items.Count(i => i.Change == ItemChange.New);
    public int Updated => Items.Count(i => i.Change == ItemChange.Updated);
    /// <summary>New items that matched no incident and wait in triage.</summary>
    public int ToTriage => Items.Count(i => i.Change == ItemChange.New && i.Item.Incidents.Count == 0);
}

/// <summary>
/// One feed, once: fetch, record the feed's health, store the items, link the new and changed ones to
/// incidents and index them as passages. Nothing the feed or the fetcher does escapes as an exception:
/// it becomes the feed's status. (Only cancellation and the store's own failures propagate.)
/// </summary>
public sealed class FeedIngestor(IFeedFetcher fetcher, IFeedStore store, FeedPolling polling, FeedItemLinker linker, TimeProvider time, ILogger<FeedIngestor> logger)
{
    public async Task<FeedPollReport> PollAsync(Feed feed, CancellationToken cancellationToken)
    {
        FeedFetchResult result;
        FeedStatus status;
        try
        {
            result = await fetcher.FetchAsync(new FeedFetchRequest(new Uri(feed.Url), feed.ETag, feed.LastModified), cancellationToken) ?? FeedFetchResult.Failed("the fetcher returned nothing");
            status = polling.AfterFetch(feed, result);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The contract says a fetcher never throws for a feed's doing; if it does anyway, the feed fails, not the poller.
            logger.LogWarning(ex, "Fetching feed {FeedId} threw", feed.Id);
            result = FeedFetchResult.Failed($"internal error: {ex.GetType().Name}");
            status = polling.AfterCrash(feed, ex);
        }

        await store.SaveStatusAsync(feed.Id, status, cancellationToken);
        var current = feed with
        {
            Title = status.Title ?? feed.Title,
            ETag = status.ETag,
            LastModified = status.LastModified,
            NextDueAt = status.NextDueAt,
            ConsecutiveFailures = status.ConsecutiveFailures,
            FailingSince = status.FailingSince,
            LastError = status.LastError,
            DisabledReason = status.DisabledReason,
        };
        if (status.DisabledReason is not null && feed.DisabledReason is null)
            logger.LogWarning("Feed {FeedId} is switched off: {Reason}", feed.Id, status.DisabledReason);
        if (result.Outcome != FeedFetchOutcome.Fetched) return new FeedPollReport(current, result.Outcome, [], result.Problem, status.DisabledReason);

        var saved = await store.SaveItemsAsync(feed.Id, FeedItemDrafts.From(result.Items ?? []), time.GetUtcNow(), cancellationToken);
        var indexed = new List<SavedFeedItem>(saved.Count);
        foreach (var item in saved)
        {
            if (item.Change == ItemChange.Unchanged)
            {
                indexed.Add(item);
                continue;
            }

            var slugs = await linker.LinkAsync(item.Item, current, cancellationToken);
            var linked = await store.IndexAsync(item.Item.Id, slugs, current.IncidentSlug is not null && slugs.Count == 1 && slugs[0] == current.IncidentSlug
                ? ItemLinkReason.Feed : ItemLinkReason.Mention, FeedItemPassages.For(item.Item), time.GetUtcNow(), cancellationToken);
            indexed.Add(item with { Item = linked ?? item.Item });
        }

        return new FeedPollReport(current, result.Outcome, indexed, null, status.DisabledReason);
    }
}

/// <summary>
/// Every due feed once, claimed first so that of several instances on one store only one polls each feed;
/// then the vectors of the new passages.
/// </summary>
public sealed class FeedRound(IFeedStore store, FeedIngestor ingestor, PassageVectorBuilder vectors, TimeProvider time, ILogger<FeedRound> logger)
{
    /// <summary>How long a claimed feed is left to its claimer: far longer than a fetch may take (the fetcher times out).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(15);

    public async Task<IReadOnlyList<FeedPollReport>> RunAsync(int batchSize, CancellationToken cancellationToken)
    {
        var reports = new List<FeedPollReport>();
        var now = time.GetUtcNow();
        foreach (var feed in await store.ClaimDueAsync(now, now + ClaimLease, batchSize, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                reports.Add(await ingestor.PollAsync(feed, cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A store hiccup on one feed must not starve the others; the feed is tried again when its claim runs out.
                logger.LogError(ex, "Polling feed {FeedId} failed", feed.Id);
            }
        }

        if (reports.Any(r => r.New + r.Updated > 0)) await vectors.FillAsync(cancellationToken);
        return reports;
    }
}
