namespace Bot.Core.Feeds;

/// <summary>
/// Fetches and parses one feed. The domain (polling schedule, items, linking) knows nothing of HTTP, XML or HTML:
/// an implementation does the safe fetching (allowed addresses, redirects, size and time caps, conditional GET),
/// parses RSS 2.0, Atom 1.0 or JSON Feed, and hands back plain-text items. It never throws for anything the feed's
/// server or document does: every such problem is an <see cref="FeedFetchOutcome"/> with a message a person can read.
/// </summary>
public interface IFeedFetcher
{
    Task<FeedFetchResult> FetchAsync(FeedFetchRequest request, CancellationToken cancellationToken);
}

/// <summary>What to fetch, with the validators of the last successful fetch for a conditional GET.</summary>
public sealed record FeedFetchRequest(Uri Url, string? ETag = null, string? LastModified = null);

public enum FeedFetchOutcome
{
    /// <summary>The document was fetched and parsed; <see cref="FeedFetchResult.Items"/> holds its items.</summary>
    Fetched,

    /// <summary>304: nothing changed since the validators given.</summary>
    NotModified,

    /// <summary>Not fetched, and retrying will not help until someone changes something (a refused address or scheme).</summary>
    Refused,

    /// <summary>Fetched or tried and failed (network, status, size, time, not a feed, malformed): worth retrying later.</summary>
    Failed,
}

/// <summary>
/// One fetch's result. <see cref="Problem"/> is set for <see cref="FeedFetchOutcome.Refused"/> and
/// <see cref="FeedFetchOutcome.Failed"/> ("refused: 127.0.0.1 is a loopback address", "HTTP 404", "not a feed: an HTML page").
/// <see cref="FinalUrl"/> is where the redirects (if any) ended.
/// </summary>
public sealed record FeedFetchResult(
    FeedFetchOutcome Outcome,
    IReadOnlyList<FetchedFeedItem> Items,
    string? FeedTitle = null,
    string? ETag = null,
    string? LastModified = null,
    Uri? FinalUrl = null,
    string? Problem = null)
{
    public static FeedFetchResult NotModified(Uri url) => new(FeedFetchOutcome.NotModified, [], FinalUrl: url);

    public static FeedFetchResult Refused(string problem) => new(FeedFetchOutcome.Refused, [], Problem: problem);

    public static FeedFetchResult Failed(string problem) => new(FeedFetchOutcome.Failed, [], Problem: problem);
}

/// <summary>
/// An item as the feed gives it (<see cref="ItemId"/>: the RSS guid, Atom id or JSON Feed id), already plain text (HTML reduced, whitespace collapsed, lone surrogates replaced,
/// clipped: title to 300 characters, summary to 2,000). <see cref="Link"/> is absolute (resolved against the feed's URL)
/// and http(s) only, else null. Dates are null when the feed has none or none that parses.
/// </summary>
public sealed record FetchedFeedItem(
    string? ItemId,
    string? Link,
    string Title,
    string? Summary,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? UpdatedAt,
    string? Author);
