namespace Bot.Core.Feeds;

/// <summary>The store's side of feeds: the feeds of each workspace, their items, links to incidents and the items' passages.</summary>
public interface IFeedStore
{
    /// <summary>Adds the feed, or returns the one the owner already has for that URL (Added false).</summary>
    Task<(Feed Feed, bool Added)> AddAsync(FeedOwner owner, string url, string? incidentSlug, int intervalMinutes, DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<Feed>> ListAsync(FeedOwner owner, CancellationToken cancellationToken);

    Task<Feed?> GetAsync(long feedId, CancellationToken cancellationToken);

    /// <summary>Removes the feed and its items (their passages leave the answers with them).</summary>
    Task<bool> RemoveAsync(FeedOwner owner, string url, CancellationToken cancellationToken);

    /// <summary>Enabled feeds due at <paramref name="now"/>, the longest-waiting first.</summary>
    Task<IReadOnlyList<Feed>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> enabled feeds due at <paramref name="now"/> for this instance alone: each
    /// is moved to be due at <paramref name="leaseUntil"/> in the same statement, so another instance claiming at
    /// the same moment gets other feeds. Saving the feed's status ends the claim; an instance that dies with it
    /// leaves the feed to be claimed again when the lease runs out.
    /// </summary>
    Task<IReadOnlyList<Feed>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);

    /// <summary>The soonest moment an enabled feed is due, or null when there is none.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task SaveStatusAsync(long feedId, FeedStatus status, CancellationToken cancellationToken);

    /// <summary>Stores each draft once per feed (by its dedupe key): new ones inserted, changed ones updated.</summary>
    Task<IReadOnlyList<SavedFeedItem>> SaveItemsAsync(long feedId, IReadOnlyList<FeedItemDraft> drafts, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Links the item to these incidents (slugs that do not exist are skipped) and writes its passages
    /// under every incident it is linked to, replacing older ones. With no links at all, the item waits in triage.
    /// </summary>
    Task<FeedItem?> IndexAsync(long itemId, IReadOnlyCollection<string> slugs, ItemLinkReason reason, ItemPassages passages, DateTimeOffset now, CancellationToken cancellationToken);

    Task<FeedItem?> GetItemAsync(long itemId, CancellationToken cancellationToken);

    /// <summary>The owner's items waiting in triage, newest first.</summary>
    Task<IReadOnlyList<FeedItem>> ListTriageAsync(FeedOwner owner, int limit, CancellationToken cancellationToken);

    Task<bool> DismissAsync(long itemId, CancellationToken cancellationToken);

    /// <summary>The owner's items as they arrived, the latest first (then by date), whatever their triage, with their incidents.</summary>
    Task<IReadOnlyList<FeedItem>> ListRecentAsync(FeedOwner owner, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Items of the owner's feeds published in [since, until) and linked to an incident, one row per
    /// link: the newest <paramref name="perIncident"/> of each incident, newest first, at most
    /// <paramref name="limit"/> rows; <see cref="ReportPage.Total"/> counts them all.
    /// </summary>
    Task<ReportPage> ListReportsAsync(FeedOwner owner, DateTimeOffset since, DateTimeOffset until, int perIncident, int limit, CancellationToken cancellationToken);
}
