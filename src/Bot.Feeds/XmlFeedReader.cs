using System.Globalization;
using System.Runtime.InteropServices;
using System.ServiceModel.Syndication;
using System.Xml;
using System.Xml.Linq;
using Bot.Core.Feeds;

namespace Bot.Feeds;

/// <summary>
/// RSS 2.0 and Atom 1.0 through System.ServiceModel.Syndication, over an XML reader that refuses DTDs (no entity
/// expansion bombs) and resolves nothing external. Dates and URIs go through lenient callbacks, so one odd
/// &lt;pubDate&gt; or href does not throw away the whole feed.
/// </summary>
internal static class XmlFeedReader
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";
    private const string RdfNamespace = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace DublinCore = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace ContentModule = "http://purl.org/rss/1.0/modules/content/";

    public static ParsedFeed Read(ReadOnlyMemory<byte> body, Uri baseUrl)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CloseInput = true,
            MaxCharactersFromEntities = 1024,
        };
        using var stream = MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, settings);
        reader.MoveToContent();

        SyndicationFeedFormatter? formatter = (reader.LocalName, reader.NamespaceURI) switch
        {
            ("rss", _) => new Rss20FeedFormatter(),
            ("feed", AtomNamespace) => new Atom10FeedFormatter(),
            _ => null,
        };
        if (formatter is null)
        {
            return (reader.LocalName, reader.NamespaceURI) switch
            {
                ("html", _) => ParsedFeed.NotAFeed("not a feed: an HTML page"),
                ("RDF", RdfNamespace) => ParsedFeed.NotAFeed("not a feed we read: RSS 1.0 (RDF); RSS 2.0, Atom and JSON Feed are supported"),
                ("feed", _) => ParsedFeed.NotAFeed("not a feed: <feed> without the Atom 1.0 namespace"),
                _ => ParsedFeed.NotAFeed($"not a feed: an XML document whose root is <{PlainText.Clean(reader.LocalName, 40)}>"),
            };
        }

        formatter.DateTimeParser = ParseDate;
        formatter.UriParser = ParseUri;
        if (formatter is Rss20FeedFormatter)
        {
            // The RSS reader throws over things a reader need not care about; mend them in a tree first.
            var document = XDocument.Load(reader);
            MendRss(document.Root!);
            using var mended = document.CreateReader();
            mended.MoveToContent();
            formatter.ReadFrom(mended);
        }
        else
        {
            formatter.ReadFrom(reader);
        }

        var feed = formatter.Feed;

        var items = new List<FetchedFeedItem>();
        foreach (var item in feed.Items)
        {
            var read = ReadItem(item, feed, baseUrl);
            if (read is not null) items.Add(read);
        }

        return new ParsedFeed(PlainText.FromHtml(feed.Title?.Text, PlainText.TitleLength), items);
    }

    // RSS 0.91/0.92 and version-less documents are 2.0 for every element read here; an enclosure length that is not a
    // number is dropped rather than failing the feed.
    private static void MendRss(XElement root)
    {
        root.SetAttributeValue("version", "2.0");
        // A tree hands indentation back as text, where the formatter wants none between elements.
        root.DescendantNodes().OfType<XText>()
            .Where(t => t is not XCData && string.IsNullOrWhiteSpace(t.Value) && t.Parent is { } parent && parent.HasElements)
            .ToList()
            .ForEach(t => t.Remove());
        foreach (var enclosure in root.Descendants("enclosure"))
        {
            if (enclosure.Attribute("length") is { } length && !long.TryParse(length.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                length.Remove();
        }
    }

    private static FetchedFeedItem? ReadItem(SyndicationItem item, SyndicationFeed feed, Uri baseUrl)
    {
        // The formatter hands each element the xml:base in effect there (itself perhaps relative): resolve it once against the fetch URL.
        var itemBase = Links.Combine(baseUrl, item.BaseUri ?? feed.BaseUri);
        var link = item.Links
            .OrderBy(l => l.RelationshipType is null or "alternate" ? 0 : 1)
            .Select(l => Links.Absolute(Links.Combine(baseUrl, l.BaseUri ?? item.BaseUri ?? feed.BaseUri), l.Uri?.OriginalString))
            .FirstOrDefault(l => l is not null);
        var id = PlainText.Clean(item.Id, 1000);
        // An RSS guid that is a permalink is the article's address when the item has no <link>.
        link ??= id is not null && id.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? Links.Absolute(itemBase, id) : null;

        var summarySource = TextOf(item.Summary) ?? TextOf(item.Content) ?? Extension(item, ContentModule + "encoded");
        var summary = PlainText.FromHtml(summarySource, PlainText.SummaryLength);
        var title = PlainText.FromHtml(TextOf(item.Title), PlainText.TitleLength);
        if (title is null && summary is null && link is null) return null;

        var published = Known(item.PublishDate) ?? FeedDates.Parse(Extension(item, DublinCore + "date"));
        var updated = Known(item.LastUpdatedTime);
        var author = item.Authors.Select(a => a.Name ?? a.Email).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a))
            ?? Extension(item, DublinCore + "creator");

        return new FetchedFeedItem(
            id,
            link,
            title ?? Untitled(summary, link),
            summary,
            published,
            updated,
            PlainText.FromHtml(author, 200));
    }

    internal static string Untitled(string? summary, string? link) =>
        summary is not null ? PlainText.Clean(summary, 100)! : link!;

    private static string? TextOf(SyndicationContent? content) => content switch
    {
        TextSyndicationContent text => text.Text,
        _ => null,
    };

    private static string? Extension(SyndicationItem item, XName name)
    {
        foreach (var extension in item.ElementExtensions)
        {
            if (extension.OuterName != name.LocalName || extension.OuterNamespace != name.NamespaceName) continue;
            using var reader = extension.GetReader();
            return reader.ReadElementContentAsString();
        }

        return null;
    }

    private static DateTimeOffset? Known(DateTimeOffset value) => value == DateTimeOffset.MinValue ? null : value;

    // The formatter throws when a callback says no, so an unreadable date becomes MinValue, which means "none" above.
    private static bool ParseDate(XmlDateTimeData data, out DateTimeOffset value)
    {
        value = FeedDates.Parse(data.DateTimeString) ?? DateTimeOffset.MinValue;
        return true;
    }

    private static bool ParseUri(XmlUriData data, out Uri value)
    {
        var text = data.UriString?.Trim() ?? string.Empty;
        if (!Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out value!)) value = new Uri(string.Empty, UriKind.Relative);
        return true;
    }
}
