using System.Data.Common;
using Bot.Core.Feeds;
using Dapper;

namespace Bot.Storage.Feeds;

/// <summary>
/// Feeds, their items, item links and item passages (migration 0010), in SQL both providers read alike; the few
/// statements that differ ask <see cref="IStoreConnections.Provider"/>.
/// </summary>
public sealed class SqlFeedStore(IStoreConnections database) : IFeedStore
{
    private bool OnPostgres => database.Provider == StorageProvider.Postgres;

    private const string FeedColumns = """
        f.id AS Id, f.platform AS Platform, f.workspace AS Workspace, f.url AS Url, f.incident_slug AS IncidentSlug, f.title AS Title,
        f.interval_minutes AS IntervalMinutes, f.etag AS ETag, f.last_modified AS LastModified, f.next_due_at AS NextDueAt,
        f.consecutive_failures AS ConsecutiveFailures, f.failing_since AS FailingSince, f.last_error AS LastError,
        f.disabled_reason AS DisabledReason, f.last_fetched_at AS LastFetchedAt, f.added_at AS AddedAt
        """;

    private const string ItemColumns = """
        it.id AS Id, it.feed_id AS FeedId, coalesce(f.title, f.url) AS Outlet, f.title AS FeedTitle, f.url AS FeedUrl, it.link AS Link,
        it.title AS Title, it.summary AS Summary, it.author AS Author, it.published_at AS PublishedAt,
        CASE WHEN it.has_date THEN 1 ELSE 0 END AS HasDate,
        it.first_seen_at AS FirstSeenAt, it.triage AS Triage
        """;

    public async Task<(Feed Feed, bool Added)> AddAsync(FeedOwner owner, string url, string? incidentSlug, int intervalMinutes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        var inserted = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO feeds (platform, workspace, url, incident_slug, interval_minutes, next_due_at, added_at)
            VALUES (@Platform, @Workspace, @url, @incidentSlug, @intervalMinutes, @now, @now)
            ON CONFLICT (platform, workspace, url) DO NOTHING
            RETURNING id
            """, new { owner.Platform, owner.Workspace, url, incidentSlug, intervalMinutes, now }, cancellationToken: cancellationToken));
        if (inserted is null)
            // Adding a switched-off feed again is how someone says "fixed, try again": it starts afresh.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE feeds SET disabled_reason = NULL, consecutive_failures = 0, failing_since = NULL, last_error = NULL, next_due_at = @now,
                    incident_slug = coalesce(@incidentSlug, incident_slug)
                WHERE platform = @Platform AND workspace = @Workspace AND url = @url AND (disabled_reason IS NOT NULL OR @incidentSlug IS NOT NULL)
                """, new { owner.Platform, owner.Workspace, url, incidentSlug, now }, cancellationToken: cancellationToken));
        var row = await connection.QuerySingleAsync<FeedRow>(new CommandDefinition(
            $"SELECT {FeedColumns}, 0 AS ItemCount FROM feeds f WHERE f.platform = @Platform AND f.workspace = @Workspace AND f.url = @url",
            new { owner.Platform, owner.Workspace, url }, cancellationToken: cancellationToken));
        database.NotifyChanged();
        return (row.ToFeed(), inserted is not null);
    }

    public async Task<IReadOnlyList<Feed>> ListAsync(FeedOwner owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedRow>(new CommandDefinition(
            $"""
            SELECT {FeedColumns}, (SELECT count(*) FROM feed_items it WHERE it.feed_id = f.id) AS ItemCount
            FROM feeds f WHERE f.platform = @Platform AND f.workspace = @Workspace ORDER BY f.url
            """, new { owner.Platform, owner.Workspace }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToFeed()).ToList();
    }

    public async Task<Feed?> GetAsync(long feedId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<FeedRow>(new CommandDefinition(
            $"SELECT {FeedColumns}, (SELECT count(*) FROM feed_items it WHERE it.feed_id = f.id) AS ItemCount FROM feeds f WHERE f.id = @feedId",
            new { feedId }, cancellationToken: cancellationToken));
        return row?.ToFeed();
    }

    public async Task<bool> RemoveAsync(FeedOwner owner, string url, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        // Items, their links and their passages go by cascade; the passages' full-text rows by the delete trigger.
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM feeds WHERE platform = @Platform AND workspace = @Workspace AND url = @url",
            new { owner.Platform, owner.Workspace, url }, cancellationToken: cancellationToken)) > 0;
        if (removed) database.NotifyChanged();
        return removed;
    }

    public async Task<IReadOnlyList<Feed>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedRow>(new CommandDefinition(
            $"""
            SELECT {FeedColumns}, 0 AS ItemCount FROM feeds f
            WHERE f.disabled_reason IS NULL AND f.next_due_at <= @now
            ORDER BY f.next_due_at, f.id LIMIT @limit
            """, new { now, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToFeed()).ToList();
    }

    // One statement each, so the choice and the move cannot interleave with another instance's. SQLite has one
    // writer at a time; on PostgreSQL SKIP LOCKED lets a second claimer pass over rows the first is taking
    // instead of waiting for its commit and then finding them no longer due.
    // SQLite's RETURNING takes no table alias: the same columns, unqualified.
    private static readonly string ReturnedFeedColumns = FeedColumns.Replace("f.", "", StringComparison.Ordinal);

    private static readonly string ClaimDue = $"""
        UPDATE feeds SET next_due_at = @leaseUntil
        WHERE id IN (SELECT id FROM feeds WHERE disabled_reason IS NULL AND next_due_at <= @now ORDER BY next_due_at, id LIMIT @limit)
        RETURNING {ReturnedFeedColumns}, 0 AS ItemCount
        """;

    private static readonly string ClaimDueSkippingLocked = $"""
        UPDATE feeds SET next_due_at = @leaseUntil
        WHERE id IN (SELECT id FROM feeds WHERE disabled_reason IS NULL AND next_due_at <= @now ORDER BY next_due_at, id LIMIT @limit
                     FOR UPDATE SKIP LOCKED)
        RETURNING {ReturnedFeedColumns}, 0 AS ItemCount
        """;

    public async Task<IReadOnlyList<Feed>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        var rows = await connection.QueryAsync<FeedRow>(new CommandDefinition(
            OnPostgres ? ClaimDueSkippingLocked : ClaimDue, new { now, leaseUntil, limit }, cancellationToken: cancellationToken));
        // RETURNING promises no order; the longest-waiting feed went first in the choice, and the id breaks ties.
        return rows.Select(r => r.ToFeed()).OrderBy(f => f.Id).ToList();
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT min(next_due_at) FROM feeds WHERE disabled_reason IS NULL", cancellationToken: cancellationToken));
    }

    public async Task SaveStatusAsync(long feedId, FeedStatus status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE feeds SET title = coalesce(@Title, title), etag = @ETag, last_modified = @LastModified, next_due_at = @NextDueAt,
                consecutive_failures = @ConsecutiveFailures, failing_since = @FailingSince, last_error = @LastError,
                disabled_reason = @DisabledReason, last_fetched_at = coalesce(@LastFetchedAt, last_fetched_at)
            WHERE id = @feedId
            """,
            new
            {
                feedId,
                status.Title,
                status.ETag,
                status.LastModified,
                status.NextDueAt,
                status.ConsecutiveFailures,
                status.FailingSince,
                status.LastError,
                status.DisabledReason,
                status.LastFetchedAt,
            }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<SavedFeedItem>> SaveItemsAsync(long feedId, IReadOnlyList<FeedItemDraft> drafts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changes = new List<(long Id, ItemChange Change)>(drafts.Count);
        foreach (var draft in drafts)
        {
            var existing = await connection.QuerySingleOrDefaultAsync<(long Id, string Hash)?>(new CommandDefinition(
                "SELECT id, content_hash FROM feed_items WHERE feed_id = @feedId AND dedupe_key = @DedupeKey",
                new { feedId, draft.DedupeKey }, transaction, cancellationToken: cancellationToken));
            var published = draft.PublishedAt is { } at && at <= now ? at : now;
            var values = new
            {
                feedId,
                draft.DedupeKey,
                draft.Link,
                draft.Title,
                draft.Summary,
                draft.Author,
                published,
                hasDate = draft.PublishedAt is not null,
                draft.UpdatedAt,
                now,
                draft.ContentHash,
            };
            if (existing is null)
            {
                var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    """
                    INSERT INTO feed_items (feed_id, dedupe_key, link, title, summary, author, published_at, has_date, updated_at, first_seen_at, content_hash)
                    VALUES (@feedId, @DedupeKey, @Link, @Title, @Summary, @Author, @published, @hasDate, @UpdatedAt, @now, @ContentHash)
                    RETURNING id
                    """, values, transaction, cancellationToken: cancellationToken));
                changes.Add((id, ItemChange.New));
            }
            else if (existing.Value.Hash != draft.ContentHash)
            {
                // The first sighting and the triage state stay: a correction is the same story, not a new one.
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE feed_items SET link = @Link, title = @Title, summary = @Summary, author = @Author,
                        published_at = CASE WHEN @hasDate THEN @published ELSE published_at END,
                        has_date = (has_date OR @hasDate), updated_at = @UpdatedAt, content_hash = @ContentHash
                    WHERE id = @id
                    """, new { draft.Link, draft.Title, draft.Summary, draft.Author, published, hasDate = values.hasDate, draft.UpdatedAt, draft.ContentHash, id = existing.Value.Id },
                    transaction, cancellationToken: cancellationToken));
                changes.Add((existing.Value.Id, ItemChange.Updated));
            }
            else
            {
                changes.Add((existing.Value.Id, ItemChange.Unchanged));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (changes.Any(c => c.Change != ItemChange.Unchanged)) database.NotifyChanged();
        var items = await GetItemsAsync(connection, changes.Select(c => c.Id).ToList(), cancellationToken);
        return changes.Where(c => items.ContainsKey(c.Id)).Select(c => new SavedFeedItem(items[c.Id], c.Change)).ToList();
    }

    public async Task<FeedItem?> IndexAsync(long itemId, IReadOnlyCollection<string> slugs, ItemLinkReason reason, ItemPassages passages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var known = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM feed_items WHERE id = @itemId", new { itemId }, transaction, cancellationToken: cancellationToken));
            if (known == 0) return null;
            var reasonName = reason.ToString().ToLowerInvariant();
            foreach (var slug in slugs.Distinct(StringComparer.Ordinal))
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO feed_item_incidents (item_id, incident_slug, reason, linked_at)
                    SELECT @itemId, @slug, @reasonName, @now WHERE EXISTS (SELECT 1 FROM incidents WHERE slug = @slug)
                    ON CONFLICT (item_id, incident_slug) DO NOTHING
                    """, new { itemId, slug, reasonName, now }, transaction, cancellationToken: cancellationToken));

            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE feed_items SET triage = CASE
                    WHEN EXISTS (SELECT 1 FROM feed_item_incidents WHERE item_id = @itemId) THEN 'linked'
                    WHEN triage = 'dismissed' THEN 'dismissed' ELSE 'pending' END
                WHERE id = @itemId
                """, new { itemId }, transaction, cancellationToken: cancellationToken));
            await ReplacePassagesAsync(connection, transaction, itemId, passages, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        database.NotifyChanged();
        return (await GetItemsAsync(connection, [itemId], cancellationToken)).GetValueOrDefault(itemId);
    }

    /// <summary>
    /// One passage per text under each incident the item is linked to. On SQLite bulk writes dropped the full-text
    /// insert trigger (migration 0003), so the index rows are written here (deletes still go through the trigger);
    /// PostgreSQL computes its terms column itself.
    /// </summary>
    private async Task ReplacePassagesAsync(DbConnection connection, DbTransaction transaction, long itemId, ItemPassages passages, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM passages WHERE feed_item_id = @itemId", new { itemId }, transaction, cancellationToken: cancellationToken));
        var published = await connection.QuerySingleAsync<PublishedRow>(new CommandDefinition(
            "SELECT published_at AS PublishedAt, CASE WHEN has_date THEN 1 ELSE 0 END AS HasDate FROM feed_items WHERE id = @itemId",
            new { itemId }, transaction, cancellationToken: cancellationToken));
        var date = published.HasDate != 0 ? published.PublishedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null;
        foreach (var text in passages.Texts.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal))
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO passages (incident_id, kind, text, date, feed_item_id, citation)
                SELECT i.id, 'item', @text, @date, @itemId, @Citation
                FROM feed_item_incidents l JOIN incidents i ON i.slug = l.incident_slug
                WHERE l.item_id = @itemId
                """, new { text, date, itemId, passages.Citation }, transaction, cancellationToken: cancellationToken));
        if (!OnPostgres)
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO passages_fts (rowid, text) SELECT id, text FROM passages WHERE feed_item_id = @itemId ORDER BY id",
                new { itemId }, transaction, cancellationToken: cancellationToken));
    }

    public async Task<FeedItem?> GetItemAsync(long itemId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await GetItemsAsync(connection, [itemId], cancellationToken)).GetValueOrDefault(itemId);
    }

    public async Task<IReadOnlyList<FeedItem>> ListTriageAsync(FeedOwner owner, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition(
            $"""
            SELECT {ItemColumns} FROM feed_items it JOIN feeds f ON f.id = it.feed_id
            WHERE f.platform = @Platform AND f.workspace = @Workspace AND it.triage = 'pending'
            ORDER BY it.published_at DESC, it.id DESC LIMIT @limit
            """, new { owner.Platform, owner.Workspace, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToItem([])).ToList();
    }

    public async Task<bool> DismissAsync(long itemId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE feed_items SET triage = 'dismissed' WHERE id = @itemId AND triage = 'pending'", new { itemId }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<FeedItem>> ListRecentAsync(FeedOwner owner, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            SELECT it.id FROM feed_items it JOIN feeds f ON f.id = it.feed_id
            WHERE f.platform = @Platform AND f.workspace = @Workspace
            ORDER BY it.first_seen_at DESC, it.published_at DESC, it.id DESC LIMIT @limit
            """, new { owner.Platform, owner.Workspace, limit }, cancellationToken: cancellationToken))).ToList();
        var items = await GetItemsAsync(connection, ids, cancellationToken);
        return ids.Where(items.ContainsKey).Select(id => items[id]).ToList();
    }

    public async Task<ReportPage> ListReportsAsync(FeedOwner owner, DateTimeOffset since, DateTimeOffset until, int perIncident, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var parameters = new { owner.Platform, owner.Workspace, since, until, perIncident, limit };
        // Both queries go down the published_at index: left to itself, SQLite starts from the owner's feeds (an equality
        // on a unique key looks cheapest) and reads every item they ever had to find the day's few thousand.
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"""
            SELECT count(*) FROM feed_items it {(OnPostgres ? "" : "INDEXED BY ix_feed_items_published")}
            JOIN feeds f ON f.id = it.feed_id
            JOIN feed_item_incidents l ON l.item_id = it.id
            JOIN incidents i ON i.slug = l.incident_slug
            WHERE f.platform = @Platform AND f.workspace = @Workspace AND it.published_at >= @since AND it.published_at < @until
            """, parameters, cancellationToken: cancellationToken));
        if (total == 0) return new ReportPage([], 0);
        // Newest first, stopping once the page is full: a window function would sort every item of the window
        // (thousands on a busy day) to show fifteen.
        var rows = connection.QueryUnbufferedAsync<ReportRow>(
            $"""
            SELECT {ItemColumns}, l.incident_slug AS Slug, i.title AS IncidentTitle
            FROM feed_items it {(OnPostgres ? "" : "INDEXED BY ix_feed_items_published")}
            JOIN feeds f ON f.id = it.feed_id
            JOIN feed_item_incidents l ON l.item_id = it.id
            JOIN incidents i ON i.slug = l.incident_slug
            WHERE f.platform = @Platform AND f.workspace = @Workspace AND it.published_at >= @since AND it.published_at < @until
            ORDER BY it.published_at DESC, it.id DESC
            """, parameters);
        var picked = new List<IncidentReport>(limit);
        var perSlug = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var count = perSlug.GetValueOrDefault(row.Slug);
            if (count >= perIncident) continue;
            perSlug[row.Slug] = count + 1;
            picked.Add(new IncidentReport(row.Slug, row.IncidentTitle, row.ToItem([row.Slug])));
            if (picked.Count == limit) break;
        }

        return new ReportPage(picked, total);
    }

    private async Task<Dictionary<long, FeedItem>> GetItemsAsync(DbConnection connection, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, FeedItem>();
        // Dapper hands Npgsql a list as one array parameter, which IN cannot take; SQLite needs it spelled out.
        var inChunk = OnPostgres ? "= ANY(@chunk)" : "IN @chunk";
        foreach (var chunk in ids.Distinct().Chunk(500))
        {
            var rows = await connection.QueryAsync<ItemRow>(new CommandDefinition(
                $"SELECT {ItemColumns} FROM feed_items it JOIN feeds f ON f.id = it.feed_id WHERE it.id {inChunk}",
                new { chunk }, cancellationToken: cancellationToken));
            var links = (await connection.QueryAsync<(long ItemId, string Slug)>(new CommandDefinition(
                $"SELECT item_id, incident_slug FROM feed_item_incidents WHERE item_id {inChunk} ORDER BY incident_slug",
                new { chunk }, cancellationToken: cancellationToken))).ToLookup(l => l.ItemId, l => l.Slug);
            foreach (var row in rows) found[row.Id] = row.ToItem([.. links[row.Id]]);
        }

        return found;
    }

    private sealed class FeedRow
    {
        public long Id { get; set; }
        public string Platform { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string Url { get; set; } = "";
        public string? IncidentSlug { get; set; }
        public string? Title { get; set; }
        public long IntervalMinutes { get; set; }
        public string? ETag { get; set; }
        public string? LastModified { get; set; }
        public DateTimeOffset NextDueAt { get; set; }
        public long ConsecutiveFailures { get; set; }
        public DateTimeOffset? FailingSince { get; set; }
        public string? LastError { get; set; }
        public string? DisabledReason { get; set; }
        public DateTimeOffset? LastFetchedAt { get; set; }
        public DateTimeOffset AddedAt { get; set; }
        public long ItemCount { get; set; }

        public Feed ToFeed() => new()
        {
            Id = Id,
            Owner = new FeedOwner(Platform, Workspace),
            Url = Url,
            IncidentSlug = IncidentSlug,
            Title = Title,
            IntervalMinutes = (int)IntervalMinutes,
            ETag = ETag,
            LastModified = LastModified,
            NextDueAt = NextDueAt,
            ConsecutiveFailures = (int)ConsecutiveFailures,
            FailingSince = FailingSince,
            LastError = LastError,
            DisabledReason = DisabledReason,
            LastFetchedAt = LastFetchedAt,
            AddedAt = AddedAt,
            ItemCount = (int)ItemCount,
        };
    }

    private class ItemRow
    {
        public long Id { get; set; }
        public long FeedId { get; set; }
        public string? FeedTitle { get; set; }
        public string FeedUrl { get; set; } = "";
        public string? Link { get; set; }
        public string Title { get; set; } = "";
        public string? Summary { get; set; }
        public string? Author { get; set; }
        public DateTimeOffset PublishedAt { get; set; }
        public long HasDate { get; set; }
        public DateTimeOffset FirstSeenAt { get; set; }
        public string Triage { get; set; } = "pending";

        public FeedItem ToItem(IReadOnlyList<string> incidents) => new()
        {
            Id = Id,
            FeedId = FeedId,
            Outlet = !string.IsNullOrWhiteSpace(FeedTitle) ? FeedTitle : Feed.OutletOf(FeedUrl),
            Link = Link,
            Title = Title,
            Summary = Summary,
            Author = Author,
            PublishedAt = PublishedAt,
            HasDate = HasDate != 0,
            FirstSeenAt = FirstSeenAt,
            Triage = Enum.TryParse<ItemTriage>(Triage, ignoreCase: true, out var triage) ? triage : ItemTriage.Pending,
            Incidents = incidents,
        };
    }

    private sealed class PublishedRow
    {
        public DateTimeOffset PublishedAt { get; set; }
        public long HasDate { get; set; }
    }

    private sealed class ReportRow : ItemRow
    {
        public string Slug { get; set; } = "";
        public string IncidentTitle { get; set; } = "";
    }
}
