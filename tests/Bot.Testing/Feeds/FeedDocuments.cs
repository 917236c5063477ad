using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;

namespace Bot.Testing.Feeds;

/// <summary>An item for the document builders; text is escaped for you, dates are written as given.</summary>
public sealed record FeedDocumentItem(
    string? Id,
    string? Title,
    string? Link = null,
    string? Summary = null,
    string? Published = null,
    string? Author = null);

/// <summary>Feed documents for tests and benchmarks: builders for RSS 2.0, Atom 1.0 and JSON Feed, and the hostile samples of issue #14.</summary>
public static class FeedDocuments
{
    public static string Rss(string title, IEnumerable<FeedDocumentItem> items, string link = "https://news.example/")
    {
        ArgumentNullException.ThrowIfNull(items);
        var builder = new StringBuilder();
        builder.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel>")
            .Append(Element("title", title)).Append(Element("link", link)).Append(Element("description", "Fixture feed"));
        foreach (var item in items)
        {
            builder.Append("<item>")
                .Append(Element("title", item.Title))
                .Append(Element("link", item.Link))
                .Append(Element("description", item.Summary))
                .Append(Element("pubDate", item.Published))
                .Append(Element("dc:creator", item.Author));
            if (item.Id is not null) builder.Append("<guid isPermaLink=\"false\">").Append(Escape(item.Id)).Append("</guid>");
            builder.Append("</item>\n");
        }

        return builder.Append("</channel></rss>").ToString();
    }

    public static string Atom(string title, IEnumerable<FeedDocumentItem> items, string id = "urn:fixture:atom")
    {
        ArgumentNullException.ThrowIfNull(items);
        var builder = new StringBuilder();
        builder.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
            .Append(Element("title", title)).Append(Element("id", id)).Append("<updated>2024-03-05T09:00:00Z</updated>");
        foreach (var item in items)
        {
            builder.Append("<entry>")
                .Append(Element("id", item.Id))
                .Append(item.Title is null ? string.Empty : $"<title type=\"html\">{Escape(item.Title)}</title>")
                .Append(item.Link is null ? string.Empty : $"<link rel=\"alternate\" href=\"{Escape(item.Link)}\"/>")
                .Append(item.Summary is null ? string.Empty : $"<summary type=\"html\">{Escape(item.Summary)}</summary>")
                .Append(Element("published", item.Published))
                .Append(Element("updated", item.Published))
                .Append(item.Author is null ? string.Empty : $"<author><name>{Escape(item.Author)}</name></author>")
                .Append("</entry>\n");
        }

        return builder.Append("</feed>").ToString();
    }

    public static string JsonFeed(string title, IEnumerable<FeedDocumentItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var document = new Dictionary<string, object?>
        {
            ["version"] = "https://jsonfeed.org/version/1.1",
            ["title"] = title,
            ["items"] = items.Select(i => new Dictionary<string, object?>
            {
                ["id"] = i.Id,
                ["url"] = i.Link,
                ["title"] = i.Title,
                ["content_html"] = i.Summary,
                ["date_published"] = i.Published,
                ["authors"] = i.Author is null ? null : new[] { new Dictionary<string, string> { ["name"] = i.Author } },
            }).ToList(),
        };
        return JsonSerializer.Serialize(document);
    }

    /// <summary><paramref name="count"/> plain items with distinct ids, links and dates.</summary>
    public static IReadOnlyList<FeedDocumentItem> Items(int count, string prefix = "item") =>
        [.. Enumerable.Range(1, count).Select(i => new FeedDocumentItem(
            $"{prefix}-{i}",
            $"Report {i} on the {prefix}",
            $"https://news.example/{prefix}/{i}",
            $"<p>Summary of report <b>{i}</b>.</p>",
            new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero).AddMinutes(-i).ToString("R", CultureInfo.InvariantCulture),
            "Desk"))];

    public const string HtmlPage = "<!DOCTYPE html>\n<html><head><title>News</title></head><body><h1>Not a feed</h1></body></html>";

    public const string MalformedXml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Broken</title><item><title>Unclosed</item></channel>";

    /// <summary>Entity expansion ("billion laughs"): must be refused, not expanded.</summary>
    public const string EntityBomb = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><rss version=\"2.0\"><channel><title>&d;</title></channel></rss>";

    /// <summary>An external entity pointing at a local file: must be refused, never read.</summary>
    public const string ExternalEntity = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><title>x</title><item><title>&secret;</title></item></channel></rss>";

    public static string DuplicateGuids() => Rss("Duplicates",
    [
        new FeedDocumentItem("same-guid", "First version", "https://news.example/a"),
        new FeedDocumentItem("same-guid", "Second version", "https://news.example/a"),
        new FeedDocumentItem("other", "Other", "https://news.example/b"),
    ]);

    public static string LongTitle(int length = 10_000) => Rss("Long", [new FeedDocumentItem("long", new string('x', length - 4) + " end", "https://news.example/long")]);

    /// <summary>Script tags, entities and chat mention syntax in titles and summaries.</summary>
    public static string ScriptsAndMentions() => Rss("Hostile",
    [
        new FeedDocumentItem("script", "Breaking <script>alert('x')</script>news &amp; more", "https://news.example/s",
            "<style>p{}</style><p>Body <img src=x onerror=alert(1)>text</p><script>steal()</script>"),
        new FeedDocumentItem("mentions", "Ping <@everyone> and <!channel> and @here", "https://news.example/m", "<@U123> said"),
    ]);

    private static string Element(string name, string? value) => value is null ? string.Empty : $"<{name}>{Escape(value)}</{name}>";

    private static string Escape(string value) => SecurityElement.Escape(value);
}
