using Bot.Core.Feeds;

namespace Bot.Feeds;

/// <summary>A parsed document: its title and items, or why it is not a feed (<see cref="Problem"/>, and then no items).</summary>
public sealed record ParsedFeed(string? Title, IReadOnlyList<FetchedFeedItem> Items, string? Problem = null)
{
    public static ParsedFeed NotAFeed(string problem) => new(null, [], problem);
}
