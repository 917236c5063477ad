using System.Text;
using System.Text.Json;
using Bot.Core.Feeds;

namespace Bot.Feeds;

/// <summary>JSON Feed 1.0 and 1.1 (jsonfeed.org) with System.Text.Json; fields of the wrong type are ignored, not fatal.</summary>
internal static class JsonFeedReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static ParsedFeed Read(ReadOnlyMemory<byte> body, Uri baseUrl)
    {
        JsonDocument document;
        try
        {
            // Decoding first replaces invalid UTF-8 instead of failing the whole feed on one bad byte.
            document = JsonDocument.Parse(Encoding.UTF8.GetString(body.Span), Options);
        }
        catch (JsonException exception)
        {
            return ParsedFeed.NotAFeed($"malformed JSON Feed: {FeedParser.OneLine(exception.Message)}");
        }

        using (document)
        {
            var root = document.RootElement;
            var version = String(root, "version");
            if (root.ValueKind != JsonValueKind.Object || version is null || !version.Contains("jsonfeed.org/version/", StringComparison.OrdinalIgnoreCase))
                return ParsedFeed.NotAFeed("not a feed: JSON without a JSON Feed version");

            var items = new List<FetchedFeedItem>();
            if (root.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in array.EnumerateArray())
                {
                    if (element.ValueKind != JsonValueKind.Object) continue;
                    var item = ReadItem(element, baseUrl);
                    if (item is not null) items.Add(item);
                }
            }

            return new ParsedFeed(PlainText.FromHtml(String(root, "title"), PlainText.TitleLength), items);
        }
    }

    private static FetchedFeedItem? ReadItem(JsonElement element, Uri baseUrl)
    {
        var id = PlainText.Clean(String(element, "id"), 1000);
        var link = Links.Absolute(baseUrl, String(element, "url")) ?? Links.Absolute(baseUrl, String(element, "external_url"));
        var summary = PlainText.FromHtml(String(element, "summary"), PlainText.SummaryLength)
            ?? PlainText.Clean(String(element, "content_text"), PlainText.SummaryLength)
            ?? PlainText.FromHtml(String(element, "content_html"), PlainText.SummaryLength);
        var title = PlainText.FromHtml(String(element, "title"), PlainText.TitleLength);
        if (title is null && summary is null && link is null) return null;

        return new FetchedFeedItem(
            id,
            link,
            title ?? XmlFeedReader.Untitled(summary, link),
            summary,
            FeedDates.Parse(String(element, "date_published")),
            FeedDates.Parse(String(element, "date_modified")),
            PlainText.FromHtml(Author(element), 200));
    }

    private static string? Author(JsonElement element)
    {
        if (element.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in authors.EnumerateArray())
            {
                if (String(author, "name") is { } name) return name;
            }
        }

        return element.TryGetProperty("author", out var single) ? String(single, "name") : null;
    }

    // Ids may be numbers in the wild; a string with a lone surrogate escape cannot be read as .NET text and counts as missing.
    private static string? String(JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value)) return null;
        try
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
