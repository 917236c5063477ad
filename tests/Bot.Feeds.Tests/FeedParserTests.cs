using System.Text;
using Bot.Testing.Feeds;

namespace Bot.Feeds.Tests;

public sealed class FeedParserTests
{
    private static readonly Uri Base = new("https://news.example/feeds/world.xml");

    private static ParsedFeed Parse(string document, string? contentType = null) =>
        FeedParser.Parse(Encoding.UTF8.GetBytes(document), contentType, Base);

    [Fact]
    public void Relative_links_are_made_absolute_and_only_http_links_kept()
    {
        var feed = Parse(FeedDocuments.Rss("Links",
        [
            new FeedDocumentItem("1", "Relative", "story/1"),
            new FeedDocumentItem("2", "Rooted", "/story/2"),
            new FeedDocumentItem("3", "Script", "javascript:alert(1)"),
            new FeedDocumentItem("4", "Data", "data:text/html,hi"),
            new FeedDocumentItem("5", "Https", "https://other.example/x?y=1"),
            new FeedDocumentItem("6", "Broken", "http://[bad"),
        ]));

        Assert.Null(feed.Problem);
        Assert.Equal(
            ["https://news.example/feeds/story/1", "https://news.example/story/2", null, null, "https://other.example/x?y=1", null],
            feed.Items.Select(i => i.Link));
    }

    [Fact]
    public void Atom_xml_base_and_content_are_honoured()
    {
        const string atom = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://base.example/news/">
              <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">The <b>Feed</b></div></title>
              <id>urn:f</id><updated>2024-03-05T09:00:00Z</updated>
              <entry>
                <id>urn:e1</id><title>Entry &amp; more</title>
                <link href="2024/e1"/>
                <content type="html">&lt;p&gt;Full &lt;em&gt;content&lt;/em&gt;&lt;/p&gt;</content>
                <updated>2024-03-05T10:00:00+01:00</updated>
                <author><name>Ann</name></author>
              </entry>
            </feed>
            """;

        var feed = Parse(atom);

        Assert.Null(feed.Problem);
        Assert.Equal("The Feed", feed.Title);
        var item = feed.Items.Single();
        Assert.Equal("https://base.example/news/2024/e1", item.Link);
        Assert.Equal("Full content", item.Summary);
        Assert.Equal("Entry & more", item.Title);
        Assert.Null(item.PublishedAt);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 10, 0, 0, TimeSpan.FromHours(1)), item.UpdatedAt);
        Assert.Equal("Ann", item.Author);
    }

    [Fact]
    public void Rss_extras_and_bad_dates_do_not_spoil_the_feed()
    {
        const string rss = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <channel><title>Extras</title><link>https://news.example/</link><description>d</description>
              <item><title>No date</title><guid>https://news.example/p/1</guid><pubDate>sometime soon</pubDate>
                <content:encoded><![CDATA[<p>Encoded <b>body</b></p>]]></content:encoded><dc:creator>Bo</dc:creator></item>
              <item><title>dc date</title><guid isPermaLink="false">x2</guid><dc:date>2024-03-05T09:00:00Z</dc:date>
                <author>desk@news.example (Desk)</author></item>
              <item><description>Only a description, no title at all, which then stands in as the title</description></item>
              <item></item>
            </channel></rss>
            """;

        var feed = Parse(rss);

        Assert.Null(feed.Problem);
        Assert.Equal(3, feed.Items.Count);
        Assert.Null(feed.Items[0].PublishedAt);
        Assert.Equal("https://news.example/p/1", feed.Items[0].Link);
        Assert.Equal("Encoded body", feed.Items[0].Summary);
        Assert.Equal("Bo", feed.Items[0].Author);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero), feed.Items[1].PublishedAt);
        Assert.Null(feed.Items[1].Link);
        Assert.Equal("desk@news.example (Desk)", feed.Items[1].Author);
        Assert.Equal("Only a description, no title at all, which then stands in as the title", feed.Items[2].Title);
    }

    [Fact]
    public void Json_feed_tolerates_odd_fields()
    {
        const string json = """
            {"version":"https://jsonfeed.org/version/1","title":"J","items":[
              {"id":42,"url":"/a","title":"Number id","content_text":"text body","date_published":"2024-03-05T09:00:00Z","author":{"name":"Old"}},
              {"id":"b","url":5,"title":["not","a","string"],"summary":"<b>S</b>","date_modified":"Tue, 05 Mar 2024 09:00:00 GMT"},
              {"id":"c","title":"Lone \ud800 surrogate","external_url":"https://ext.example/c"},
              "not an object", null, {}
            ]}
            """;

        var feed = Parse(json);

        Assert.Null(feed.Problem);
        Assert.Equal(3, feed.Items.Count);
        Assert.Equal("42", feed.Items[0].ItemId);
        Assert.Equal("https://news.example/a", feed.Items[0].Link);
        Assert.Equal("text body", feed.Items[0].Summary);
        Assert.Equal("Old", feed.Items[0].Author);
        Assert.Equal("S", feed.Items[1].Title);
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero), feed.Items[1].UpdatedAt);
        Assert.Equal("https://ext.example/c", feed.Items[2].Link);
        Assert.DoesNotContain(feed.Items[2].Title, char.IsSurrogate);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?>\n<!-- generated -->\n<!DOCTYPE html><html><body>x</body></html>", "not a feed: an HTML page")]
    [InlineData("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>", "not a feed: an HTML page")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>", "not a feed we read: RSS 1.0 (RDF); RSS 2.0, Atom and JSON Feed are supported")]
    [InlineData("<feed><title>x</title></feed>", "not a feed: <feed> without the Atom 1.0 namespace")]
    [InlineData("Just words", "not a feed: neither XML nor JSON")]
    public void Says_what_a_non_feed_is(string document, string problem) => Assert.Equal(problem, Parse(document).Problem);

    [Fact]
    public void Reads_utf16_and_latin1_documents()
    {
        var rss = FeedDocuments.Rss("Ünïcode", [new FeedDocumentItem("1", "Café", "https://x.example/")]);
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(rss.Replace("utf-8", "utf-16", StringComparison.Ordinal))).ToArray();
        var latin1 = Encoding.Latin1.GetBytes(rss.Replace("utf-8", "iso-8859-1", StringComparison.Ordinal));

        Assert.Equal("Café", FeedParser.Parse(utf16, null, Base).Items.Single().Title);
        Assert.Equal("Café", FeedParser.Parse(latin1, null, Base).Items.Single().Title);
    }
}
