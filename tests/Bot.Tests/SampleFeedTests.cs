using Bot.Cli;
using Bot.Feeds;
using Bot.Testing;
using Bot.Testing.Feeds;

namespace Bot.Tests;

/// <summary>
/// docs/sample-feed.xml, the feed the README has people try: it parses, its items link to the seed incidents (one
/// waits in triage on purpose), and an answer cites it. Served from the file on disk as <c>python3 -m http.server</c>
/// would (application/xml), added and polled with the README's own commands.
/// </summary>
public sealed class SampleFeedTests : IAsyncLifetime
{
    private static readonly string SampleFeed = Path.Combine(RepoPaths.Root, "docs", "sample-feed.xml");
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-sample-feed-").FullName;
    private FeedServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _server.Map("/sample-feed.xml", new FeedResponse(await File.ReadAllTextAsync(SampleFeed), "application/xml"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BotCli.RunAsync(args, output, error, new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(_folder, "bot.db"),
            ["Seeds:Path"] = RepoPaths.Seeds,
            ["Feeds:AllowPrivateAddresses"] = "true",
        });
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task The_sample_feed_parses_with_dates_and_sample_links_only()
    {
        var feed = FeedParser.Parse(await File.ReadAllBytesAsync(SampleFeed), "application/xml", new Uri("http://127.0.0.1:8000/sample-feed.xml"));

        Assert.Null(feed.Problem);
        Assert.Equal("Sample Wire", feed.Title);
        Assert.Equal(5, feed.Items.Count);
        Assert.All(feed.Items, item => Assert.NotNull(item.PublishedAt));
        Assert.All(feed.Items, item => Assert.StartsWith("https://sample-wire.example/", item.Link, StringComparison.Ordinal));
        Assert.DoesNotContain(feed.Items, item => item.Summary?.Contains('<', StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Added_and_polled_it_links_to_the_seed_incidents_and_an_answer_cites_it()
    {
        var url = _server.Url("/sample-feed.xml").ToString();

        var added = await Run("feeds", "add", url);
        var polled = await Run("feeds", "poll", "--json");
        var triage = await Run("feeds", "triage");
        var answer = await Run("ask", "how many chinese-made cameras did the audit find in australian government buildings?");

        Assert.True(added.Code == 0, added.Output);
        Assert.True(polled.Code == 0, polled.Output);
        using var report = System.Text.Json.JsonDocument.Parse(polled.Output);
        var linked = report.RootElement.EnumerateArray().Single().GetProperty("items").EnumerateArray().ToDictionary(
            i => i.GetProperty("link").GetString()!.Split('/')[^1], i => string.Join(",", i.GetProperty("incidents").EnumerateArray().Select(s => s.GetString())));
        Assert.Equal("surveillance-cameras", linked["australia-camera-audit"]);
        Assert.Equal("tiktok", linked["senate-tiktok-inquiry"]);
        Assert.Equal("balloon", linked["balloon-debris-recovered"]);
        Assert.Equal("police-stations", linked["dutch-police-stations"]);
        Assert.Equal("", linked["newsletter"]);
        Assert.Contains("Sample Wire starts a weekly newsletter", triage.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Navy divers", triage.Output, StringComparison.Ordinal);
        Assert.Contains("913", answer.Output, StringComparison.Ordinal);
        Assert.Contains("Sample Wire", answer.Output, StringComparison.Ordinal);
        Assert.Contains("https://sample-wire.example/2023/02/australia-camera-audit", answer.Output, StringComparison.Ordinal);
    }
}
