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
/// it becomes the feed's status. (Only cancellation and the store's own failures propagate.) New items linked to
/// an incident are queued as live posts for the channels that follow it; an updated item never is.
/// </summary>
public sealed class FeedIngestor(
    IFeedFetcher fetcher, IFeedStore store, FeedPolling polling, FeedItemLinker linker, TimeProvider time, ILogger<FeedIngestor> logger, ItemPostOutbox? posts = null)
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

        await QueuePostsAsync(current, indexed, cancellationToken);
        return new FeedPollReport(current, result.Outcome, indexed, null, status.DisabledReason);
    }

    /// <summary>
    /// The live posts of this poll's new, linked items, oldest first. A feed's first fetch brings its backlog, not
    /// news: when every item the feed has is new in this poll, nothing is posted (the digest still reports them).
    /// </summary>
    private async Task QueuePostsAsync(Feed feed, IReadOnlyList<SavedFeedItem> saved, CancellationToken cancellationToken)
    {
        if (posts is null) return;
        var fresh = saved.Where(i => i.Change == ItemChange.New && i.Item.Incidents.Count > 0).Select(i => i.Item).OrderBy(i => i.PublishedAt).ThenBy(i => i.Id).ToList();
        if (fresh.Count == 0) return;
        try
        {
            var followers = await posts.FollowersAsync(feed.Owner, cancellationToken);
            if (followers.Count == 0) return;
            var newCount = saved.Count(i => i.Change == ItemChange.New);
            if (await store.GetAsync(feed.Id, cancellationToken) is not { } stored || stored.ItemCount <= newCount) return;
            foreach (var item in fresh)
                await posts.QueueAsync(followers, item, item.Incidents, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The items are stored and linked either way; a post that could not be queued is reported, not retried by a re-poll.
            logger.LogError(ex, "Queueing live posts for feed {FeedId} failed", feed.Id);
        }
    }
}

/// <summary>
/// Every due feed once, claimed first so that of several instances on one store only one polls each feed; then the
/// vectors of the new passages, unless a background service builds them (in the host: waiting for them after every
/// batch would let a big first poll of many feeds run far past their interval). One round at a time in a process:
/// the poller's and one asked for by hand (the playground's "poll now") take turns instead of fetching a feed twice.
/// </summary>
public sealed class FeedRound(
    IFeedStore store, FeedIngestor ingestor, PassageVectorBuilder vectors, TimeProvider time, ILogger<FeedRound> logger,
    VectorsBuiltInBackground? background = null) : IDisposable
{
    /// <summary>How long a claimed feed is left to its claimer: far longer than a fetch may take (the fetcher times out).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(15);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<IReadOnlyList<FeedPollReport>> RunAsync(int batchSize, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            return await PollAsync(await store.ClaimDueAsync(now, now + ClaimLease, batchSize, cancellationToken), fillVectors: background is null, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Every enabled feed of the owner at once, due or not (conditional GET still spares unchanged ones), for someone
    /// waiting on the answer: without building vectors, which can queue behind a whole build. Full-text search finds the
    /// new passages meanwhile; a host's vector service builds their vectors as soon as the store changed.
    /// </summary>
    public async Task<IReadOnlyList<FeedPollReport>> RunNowAsync(FeedOwner owner, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var feeds = (await store.ListAsync(owner, cancellationToken)).Where(f => !f.IsDisabled).ToList();
            return await PollAsync(feeds, fillVectors: false, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<IReadOnlyList<FeedPollReport>> PollAsync(IReadOnlyList<Feed> feeds, bool fillVectors, CancellationToken cancellationToken)
    {
        var reports = new List<FeedPollReport>();
        foreach (var feed in feeds)
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

        if (fillVectors && reports.Any(r => r.New + r.Updated > 0)) await vectors.FillAsync(cancellationToken);
        return reports;
    }

    public void Dispose() => _oneAtATime.Dispose();
}
