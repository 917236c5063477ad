using System.Text;
using Bot.Testing.Feeds;

namespace Bot.Feeds.Tests;

/// <summary>Seeded mutations of valid RSS, Atom and JSON Feed documents: the parser must answer every one without throwing.</summary>
public sealed class FeedParserFuzzTests
{
    private static readonly Uri Base = new("https://news.example/feed");

    private static readonly string[] Fragments =
    [
        "<", ">", "&", "&amp;", "&#0;", "&#xD800;", "&unknown;", "]]>", "<![CDATA[", "<!--", "-->", "<!DOCTYPE x>", "<?pi?>",
        "\"", "'", "{", "}", "[", "]", ":", ",", "null", "\\u0000", "\\ud800", "\u0000", "\ud800", "\uffff", "\u00e9",
        "<item>", "</item>", "<entry>", "<link href=\"javascript:x\"/>", "<pubDate>32 Foo 99</pubDate>", "xml:base=\"::\"",
        "<title type=\"xhtml\">", "<guid>", "\"items\":", "\"version\":\"https://jsonfeed.org/version/1\"", "<script>", "\n",
    ];

    [Fact]
    public void Thousands_of_malformed_documents_never_throw()
    {
        var random = new Random(1414);
        var items = FeedDocuments.Items(4);
        string[] seeds =
        [
            FeedDocuments.Rss("Fuzz", items),
            FeedDocuments.Atom("Fuzz", items),
            FeedDocuments.JsonFeed("Fuzz", items),
            FeedDocuments.ScriptsAndMentions(),
        ];

        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 4000; i++)
        {
            var document = Mutate(seeds[i % seeds.Length], random);
            var bytes = random.Next(10) == 0 ? Corrupt(Encoding.UTF8.GetBytes(document), random) : Encoding.UTF8.GetBytes(document);

            var parsed = FeedParser.Parse(bytes, random.Next(2) == 0 ? "text/html" : null, Base);

            var key = parsed.Problem is null ? "parsed" : parsed.Problem.Split(':')[0];
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            foreach (var item in parsed.Items)
            {
                Assert.InRange(item.Title.Length, 0, PlainText.TitleLength);
                Assert.True(item.Summary is null || item.Summary.Length <= PlainText.SummaryLength);
                Assert.True(item.Link is null || item.Link.StartsWith("http://", StringComparison.Ordinal) || item.Link.StartsWith("https://", StringComparison.Ordinal));
            }
        }

        // The mutations must leave some documents readable, or the run tests nothing but the error path.
        Assert.True(outcomes.GetValueOrDefault("parsed") > 200, string.Join(", ", outcomes.Select(p => $"{p.Key}={p.Value}")));
    }

    private static string Mutate(string seed, Random random)
    {
        var builder = new StringBuilder(seed);
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && builder.Length > 0; e++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(4))
            {
                case 0:
                    builder.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1:
                    builder.Remove(at, Math.Min(random.Next(1, 20), builder.Length - at));
                    break;
                case 2:
                    builder[at] = (char)random.Next(0, 0x3000);
                    break;
                default:
                    // Truncate: the feed that was cut off mid-transfer.
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }

    private static byte[] Corrupt(byte[] bytes, Random random)
    {
        for (var i = 0; i < 5 && bytes.Length > 0; i++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        return bytes;
    }
}
