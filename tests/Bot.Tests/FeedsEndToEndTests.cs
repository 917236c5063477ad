using Bot.Cli;
using Bot.Testing;
using Bot.Testing.Feeds;

namespace Bot.Tests;

/// <summary>
/// The whole path of a feed through the shipped composition: <c>bot feeds add</c>, then <c>bot feeds poll</c> with the
/// real fetcher against a feed server on 127.0.0.1, then the items in the answers; and the address rule that
/// refuses that same server when private addresses are not allowed.
/// </summary>
public sealed class FeedsEndToEndTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-feeds-").FullName;
    private FeedServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _server.Map("/news.xml", new FeedResponse(FeedDocuments.Rss("Harbour Post",
        [
            new FeedDocumentItem("hp-1", "FBI lab finishes its study of the balloon debris recovered off South Carolina", "https://news.example/1",
                "Investigators say the payload carried antennas able to collect signals.", "Mon, 06 Feb 2023 10:00:00 GMT"),
            new FeedDocumentItem("hp-2", "Harbour festival draws record crowds", "https://news.example/2", null, "Tue, 07 Feb 2023 10:00:00 GMT"),
        ])));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Dictionary<string, string?> Settings(bool allowPrivate) => new()
    {
        ["Storage:Path"] = Path.Combine(_folder, "bot.db"),
        ["Seeds:Path"] = RepoPaths.Seeds,
        ["Feeds:AllowPrivateAddresses"] = allowPrivate ? "true" : "false",
    };

    private async Task<(int Code, string Output, string Error)> Run(bool allowPrivate, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BotCli.RunAsync(args, output, error, Settings(allowPrivate));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task A_polled_item_is_stored_once_linked_to_its_incident_and_cited_by_answers()
    {
        var url = _server.Url("/news.xml").ToString();

        var added = await Run(true, "feeds", "add", url);
        var first = await Run(true, "feeds", "poll");
        var again = await Run(true, "feeds", "poll");
        var answer = await Run(true, "ask", "what did the fbi lab find in the balloon debris?");

        Assert.True(added.Code == 0, added.Output + added.Error);
        Assert.Contains("2 new", first.Output, StringComparison.Ordinal);
        Assert.Contains("1 to triage", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" new,", again.Output.Replace("0 new,", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Harbour Post", answer.Output, StringComparison.Ordinal);
        Assert.Single(_server.Requests, r => r.Path == "/news.xml" && r.IfNoneMatch is null && r.IfModifiedSince is null);
    }

    [Fact]
    public async Task Without_the_setting_a_feed_on_a_loopback_address_is_refused_with_the_reason_in_the_list()
    {
        var url = _server.Url("/news.xml").ToString();

        await Run(false, "feeds", "add", url);
        var poll = await Run(false, "feeds", "poll");
        var list = await Run(false, "feeds", "list");

        Assert.Contains("loopback", poll.Output, StringComparison.Ordinal);
        Assert.Contains("loopback", list.Output, StringComparison.Ordinal);
        Assert.Equal(0, _server.Hits("/news.xml"));
    }
}
