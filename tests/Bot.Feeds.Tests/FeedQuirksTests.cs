using System.Text;

namespace Bot.Feeds.Tests;

/// <summary>Oddities real feeds carry around otherwise good items: the items must still come through.</summary>
public sealed class FeedQuirksTests
{
    private static readonly Uri Base = new("https://news.example/feed");

    [Theory]
    [InlineData("<ttl>sixty</ttl>")]
    [InlineData("<ttl>-5</ttl>")]
    [InlineData("<skipHours><hour>25</hour><hour>x</hour></skipHours>")]
    [InlineData("<skipDays><day>Caturday</day></skipDays>")]
    [InlineData("<image><url>not a url</url></image>")]
    [InlineData("<image><url>https://news.example/i.png</url><width>wide</width><height>-1</height></image>")]
    [InlineData("<textInput><title>t</title></textInput>")]
    [InlineData("<cloud domain=\"x\" port=\"abc\"/>")]
    [InlineData("<lastBuildDate>never</lastBuildDate><pubDate></pubDate>")]
    [InlineData("<atom:link xmlns:atom=\"http://www.w3.org/2005/Atom\" href=\"https://news.example/feed\" rel=\"self\"/>")]
    [InlineData("<category domain=\"::\">c</category><docs>::</docs><generator/>")]
    [InlineData("<managingEditor></managingEditor><webMaster>x</webMaster>")]
    public void Channel_oddities(string extra) => AssertItemSurvives($"<rss version=\"2.0\"><channel><title>Q</title>{extra}<item><title>Kept</title><guid>g</guid></item></channel></rss>");

    [Theory]
    [InlineData("<enclosure url=\"a.mp3\"/>")]
    [InlineData("<enclosure url=\"a.mp3\" length=\"lots\" type=\"audio/mpeg\"/>")]
    [InlineData("<enclosure/>")]
    [InlineData("<enclosure url=\"a.mp3\" length=\"\"/><enclosure url=\"b.mp3\" length=\"-3\"/>")]
    [InlineData("<source>no url</source>")]
    [InlineData("<comments>::bad</comments>")]
    [InlineData("<guid isPermaLink=\"maybe\">g</guid>")]
    [InlineData("<guid></guid><link></link><pubDate></pubDate>")]
    [InlineData("<category>c</category><category/>")]
    [InlineData("<author></author>")]
    public void Item_oddities(string extra) => AssertItemSurvives($"<rss version=\"2.0\"><channel><title>Q</title><item><title>Kept</title>{extra}</item></channel></rss>");

    [Theory]
    [InlineData("<rss version=\"0.92\"><channel><title>Q</title><item><title>Kept</title></item></channel></rss>")]
    [InlineData("<rss><channel><title>Q</title><item><title>Kept</title></item></channel></rss>")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Q</title><entry><title>Kept</title><updated>bad</updated><link href=\"::\"/><category/></entry></feed>")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">Kept</div></title><author/><contributor><name/></contributor></entry></feed>")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Q</title><entry><title>Kept</title><content type=\"image/png\" src=\"x.png\"/></entry></feed>")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Q</title><entry><title>Kept</title><content type=\"text/plain\">binary?</content></entry></feed>")]
    public void Format_oddities(string document) => AssertItemSurvives(document);

    private static void AssertItemSurvives(string document)
    {
        var parsed = FeedParser.Parse(Encoding.UTF8.GetBytes(document), null, Base);
        Assert.Null(parsed.Problem);
        Assert.Equal("Kept", Assert.Single(parsed.Items).Title);
    }
}
