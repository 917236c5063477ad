using Bot.Core.Feeds;
using Bot.Core.Incidents.Editing;
using Bot.Storage.Answers;
using Dapper;

namespace Bot.Core.Tests.Feeds;

public class FeedIngestTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_poll_stores_new_items_links_them_and_sends_the_rest_to_triage()
    {
        await using var world = await FeedWorld.CreateAsync();
        var feed = await world.AddFeedAsync("https://news.example/rss");
        world.Fetcher.Serve(feed.Url,
            FeedWorld.Item("1", "Navy divers recover spy balloon debris off South Carolina", link: "https://news.example/1"),
            FeedWorld.Item("2", "Heavy snow closes schools", link: "https://news.example/2"));

        var reports = await world.Round.RunAsync(10, None);
        var again = await world.Ingestor.PollAsync((await world.Feeds.GetAsync(feed.Id, None))!, None);

        var report = Assert.Single(reports);
        Assert.Equal((2, 0, 1), (report.New, report.Updated, report.ToTriage));
        Assert.Equal(["balloon"], report.Items[0].Item.Incidents);
        Assert.Equal("Heavy snow closes schools", Assert.Single(await world.Triage.PendingAsync(FeedOwner.Local, None)).Title);
        Assert.Equal((0, 0), (again.New, again.Updated));
        Assert.Equal("\"v1\"", world.Fetcher.Requests[^1].ETag);
        Assert.Equal("Example News", (await world.Feeds.GetAsync(feed.Id, None))!.Title);
    }

    [Fact]
    public async Task Every_item_of_a_feed_added_for_an_incident_is_linked_to_it()
    {
        await using var world = await FeedWorld.CreateAsync();
        var feed = await world.AddFeedAsync("https://tiktok.example/rss", incident: "tiktok");
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Quarterly results announced"));

        var report = await world.Ingestor.PollAsync(feed, None);

        Assert.Equal(["tiktok"], report.Items.Single().Item.Incidents);
        Assert.Equal(0, report.ToTriage);
    }

    [Fact]
    public async Task Bad_items_store_nothing_they_should_not_and_a_throwing_fetcher_only_fails_the_feed()
    {
        await using var world = await FeedWorld.CreateAsync();
        var feed = await world.AddFeedAsync("https://bad.example/rss");
        var broken = await world.AddFeedAsync("https://broken.example/rss");
        world.Fetcher.Serve(feed.Url,
            FeedWorld.Item("dup", new string('A', 10_000)),
            FeedWorld.Item("dup", "A second item with the same GUID"),
            FeedWorld.Item(null, "  \u0000\u200B  "),
            FeedWorld.Item(null, "<script>alert(1)</script> @everyone <@123>", link: "javascript:alert(1)", published: null) with { PublishedAt = null },
            FeedWorld.Item(null, "No id, no link, no date", published: null) with { PublishedAt = null });
        world.Fetcher.Serve(broken.Url, _ => throw new InvalidOperationException("parser bug"));

        var reports = await world.Round.RunAsync(10, None);

        var good = reports.Single(r => r.Feed.Id == feed.Id);
        Assert.Equal(3, good.New);
        Assert.Equal(FeedItemDrafts.MaxTitle, good.Items[0].Item.Title.Length);
        Assert.All(good.Items, i => Assert.Null(i.Item.Link));
        Assert.Contains(good.Items, i => !i.Item.HasDate && i.Item.PublishedAt == world.Store.Time.GetUtcNow());
        var failed = reports.Single(r => r.Feed.Id == broken.Id);
        Assert.Equal(FeedFetchOutcome.Failed, failed.Outcome);
        Assert.Equal("internal error: InvalidOperationException", (await world.Feeds.GetAsync(broken.Id, None))!.LastError);
    }

    [Fact]
    public async Task A_changed_item_is_updated_and_its_passages_follow_without_a_repost()
    {
        await using var world = await FeedWorld.CreateAsync();
        var feed = await world.AddFeedAsync("https://news.example/rss", incident: "balloon");
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Debris found near the zeppelinette"));
        await world.Ingestor.PollAsync(feed, None);
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Debris found near the blimpette"));

        var second = await world.Ingestor.PollAsync((await world.Feeds.GetAsync(feed.Id, None))!, None);
        var index = new SqlitePassageIndex(world.Store.Database);

        Assert.Equal((0, 1), (second.New, second.Updated));
        Assert.Empty(await index.SearchAsync(["zeppelinette"], [], 10, None));
        Assert.Single(await index.SearchAsync(["blimpette"], [], 10, None));
    }

    [Fact]
    public async Task Triage_attaches_an_item_through_the_editor_so_the_audit_log_records_it()
    {
        await using var world = await FeedWorld.CreateAsync();
        var feed = await world.AddFeedAsync("https://news.example/rss");
        world.Fetcher.Serve(feed.Url,
            FeedWorld.Item("1", "Officials weigh response to the overflight", link: "https://news.example/overflight"),
            FeedWorld.Item("2", "A brand new affair begins", summary: "Two sentences on what happened. And another.", link: "https://news.example/new"));
        await world.Ingestor.PollAsync(feed, None);
        var pending = await world.Triage.PendingAsync(FeedOwner.Local, None);
        var editor = new ContentAuthor(ContentSource.Chat, "discord", "guild-1", "111", "alice");

        var attached = await world.Triage.AttachAsync(FeedOwner.Local, pending.Single(i => i.Title.StartsWith("Officials", StringComparison.Ordinal)).Id, "balloon", editor, None);
        var created = await world.Triage.CreateIncidentAsync(FeedOwner.Local, pending.Single(i => i.Title.StartsWith("A brand", StringComparison.Ordinal)).Id, "Espionage", editor, None);
        var otherWorkspace = await world.Triage.AttachAsync(new FeedOwner("slack", "T1"), pending[0].Id, "balloon", editor, None);

        Assert.IsType<EditResult.Done>(attached);
        var done = Assert.IsType<EditResult.Done>(created);
        Assert.Equal("a-brand-new-affair-begins", done.Incident!.Slug);
        Assert.IsType<EditResult.Refused>(otherWorkspace);
        Assert.Empty(await world.Triage.PendingAsync(FeedOwner.Local, None));
        await using var connection = await world.Store.Database.OpenAsync(None);
        var audit = (await connection.QueryAsync<(string Slug, string Action, string UserName)>(
            "SELECT slug, action, user_name FROM incident_changes WHERE source = 'chat' ORDER BY id")).ToList();
        Assert.Contains(("balloon", "source", "alice"), audit);
        Assert.Contains(("a-brand-new-affair-begins", "add", "alice"), audit);
        Assert.Contains("https://news.example/overflight", (await world.Store.Store.GetAsync("balloon", None))!.Sources.Select(s => s.Url));
    }
}
