using System.Globalization;

namespace Bot.Core.Feeds;

/// <summary>What of an item Q&amp;A searches (its title and summary) and how an answer from it names the item.</summary>
public static class FeedItemPassages
{
    public static ItemPassages For(FeedItem item)
    {
        var texts = new List<string> { item.Title };
        if (!string.IsNullOrWhiteSpace(item.Summary) && !string.Equals(item.Summary, item.Title, StringComparison.Ordinal)) texts.Add(item.Summary);
        return new ItemPassages(texts, Citation(item));
    }

    /// <summary>"Reuters — “Balloon debris recovered” (5 Feb 2026) https://…": outlet, title, date and link.</summary>
    public static string Citation(FeedItem item)
    {
        var date = item.HasDate ? $" ({item.PublishedAt.ToString("d MMM yyyy", CultureInfo.InvariantCulture)})" : "";
        var link = item.Link is null ? "" : " " + item.Link;
        return $"{item.Outlet} — “{item.Title}”{date}{link}";
    }
}
