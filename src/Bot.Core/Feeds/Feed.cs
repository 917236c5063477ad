namespace Bot.Core.Feeds;

/// <summary>Whose feed it is: feeds belong to one guild or workspace (the CLI and the playground share "local").</summary>
public sealed record FeedOwner(string Platform, string Workspace)
{
    public static readonly FeedOwner Local = new("local", "local");

    /// <summary>The CLI and the playground are the same person's machine, so they see the same feeds.</summary>
    public static FeedOwner For(Chat.ChatContext context) => context.Platform is "cli" or "local"
        ? Local
        : new FeedOwner(context.Platform, context.Workspace ?? "");
}

/// <summary>A feed as stored, with everything the poller needs to decide when and how to fetch it next.</summary>
public sealed record Feed
{
    public required long Id { get; init; }
    public required FeedOwner Owner { get; init; }
    public required string Url { get; init; }
    /// <summary>Every item of this feed is about this incident (given in <c>/feeds add</c>).</summary>
    public string? IncidentSlug { get; init; }
    /// <summary>The feed's own title, once fetched: the outlet items are cited by.</summary>
    public string? Title { get; init; }
    public int IntervalMinutes { get; init; } = FeedPolling.DefaultIntervalMinutes;
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public required DateTimeOffset NextDueAt { get; init; }
    public int ConsecutiveFailures { get; init; }
    public DateTimeOffset? FailingSince { get; init; }
    public string? LastError { get; init; }
    /// <summary>Set when polling stopped for good; shown in <c>/feeds list</c> and <c>/briefing status</c>.</summary>
    public string? DisabledReason { get; init; }
    public DateTimeOffset? LastFetchedAt { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public int ItemCount { get; init; }

    public bool IsDisabled => DisabledReason is not null;
    public bool IsFailing => ConsecutiveFailures > 0;

    /// <summary>The name items are cited by: the feed's title, else its host without "www.".</summary>
    public string Outlet => !string.IsNullOrWhiteSpace(Title) ? Title : OutletOf(Url);

    public static string OutletOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host
            : url;
}

/// <summary>What one poll leaves behind on the feed: validators, schedule and health.</summary>
public sealed record FeedStatus(
    string? Title,
    string? ETag,
    string? LastModified,
    DateTimeOffset NextDueAt,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    string? LastError,
    string? DisabledReason,
    DateTimeOffset? LastFetchedAt);

/// <summary>An item ready to store: cleaned, clipped, with the key it is deduplicated on and a hash of its content.</summary>
public sealed record FeedItemDraft(
    string DedupeKey,
    string? Link,
    string Title,
    string? Summary,
    string? Author,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? UpdatedAt,
    string ContentHash);

public enum ItemChange
{
    New,
    /// <summary>Seen before with other content: stored over the old version, never posted again.</summary>
    Updated,
    Unchanged,
}

/// <summary>Why an item is attached to an incident.</summary>
public enum ItemLinkReason
{
    /// <summary>The feed was added for this incident.</summary>
    Feed,
    /// <summary>The item names the incident, one of its aliases or its actors.</summary>
    Mention,
    /// <summary>An editor attached it from the triage list.</summary>
    Editor,
}

public enum ItemTriage
{
    /// <summary>Matched nothing: waits for an editor.</summary>
    Pending,
    Linked,
    Dismissed,
}

/// <summary>A stored item with the feed it came from and the incidents it is linked to.</summary>
public sealed record FeedItem
{
    public required long Id { get; init; }
    public required long FeedId { get; init; }
    public required string Outlet { get; init; }
    public string? Link { get; init; }
    public required string Title { get; init; }
    public string? Summary { get; init; }
    public string? Author { get; init; }
    /// <summary>The feed's date, or when the bot first saw the item if the feed gives none.</summary>
    public required DateTimeOffset PublishedAt { get; init; }
    /// <summary>False when the feed gave no date (<see cref="PublishedAt"/> is then the first sighting).</summary>
    public bool HasDate { get; init; } = true;
    public DateTimeOffset FirstSeenAt { get; init; }
    public ItemTriage Triage { get; init; }
    public IReadOnlyList<string> Incidents { get; init; } = [];
}

/// <summary>The result of storing one draft.</summary>
public sealed record SavedFeedItem(FeedItem Item, ItemChange Change);

/// <summary>An item's searchable passages (title, summary) and how an answer taken from them cites it.</summary>
public sealed record ItemPassages(IReadOnlyList<string> Texts, string Citation);

/// <summary>A linked item for the digest: the incident it is reported under and the item.</summary>
public sealed record IncidentReport(string Slug, string IncidentTitle, FeedItem Item);

/// <summary>The reports shown and how many there were in all (the rest is "and N more").</summary>
public sealed record ReportPage(IReadOnlyList<IncidentReport> Reports, int Total);
