using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Incidents.Editing;
using Bot.Core.Text;

namespace Bot.Core.Feeds;

/// <summary>
/// Turns what a fetcher parsed into drafts the store keeps: text cleaned and clipped again (the fetcher
/// promises it, the store must not depend on it), links http(s) only, and each item keyed once.
/// </summary>
public static class FeedItemDrafts
{
    public const int MaxTitle = 300;
    public const int MaxSummary = 2_000;
    public const int MaxAuthor = 200;
    /// <summary>More items than any real feed holds: a runaway document cannot flood the store.</summary>
    public const int MaxItemsPerFetch = 500;

    public static IReadOnlyList<FeedItemDraft> From(IEnumerable<FetchedFeedItem> items)
    {
        var drafts = new List<FeedItemDraft>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Take(MaxItemsPerFetch))
        {
            if (item is null || From(item) is not { } draft) continue;
            // A feed that repeats an id keeps its first (newest, in feed order) version.
            if (keys.Add(draft.DedupeKey)) drafts.Add(draft);
        }

        return drafts;
    }

    /// <summary>Null for an item with nothing to show (no title left after cleaning).</summary>
    public static FeedItemDraft? From(FetchedFeedItem item)
    {
        var title = TextClipper.Clip(EditLimits.Clean(item.Title), MaxTitle);
        if (title.Length == 0) return null;
        var summary = NullIfEmpty(TextClipper.Clip(EditLimits.Clean(item.Summary), MaxSummary));
        var author = NullIfEmpty(TextClipper.Clip(EditLimits.Clean(item.Author), MaxAuthor));
        var link = EditLimits.TryUrl(item.Link, out var url, out _) && url!.AbsoluteUri.Length <= EditLimits.Url ? url.AbsoluteUri : null;
        var itemId = NullIfEmpty(TextClipper.Clip(EditLimits.Clean(item.ItemId), 500));
        var published = item.PublishedAt ?? item.UpdatedAt;
        var key = itemId is not null ? "id:" + itemId
            : link is not null ? "link:" + link
            : "hash:" + Hash(title + "\n" + (published?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) ?? ""));
        var content = Hash(string.Join('\n', title, summary, link, author,
            published?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), item.UpdatedAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)));
        return new FeedItemDraft(key, link, title, summary, author, published?.ToUniversalTime(), item.UpdatedAt?.ToUniversalTime(), content);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
