using Bot.Core.Answers;
using Bot.Core.Feeds;
using Bot.Core.Incidents.Editing;
using Bot.Storage.Answers;
using Bot.Storage.Feeds;
using Bot.Testing;

namespace Bot.Storage.Tests;

/// <summary>Feeds, items, links and item passages against a real SQLite file and a real PostgreSQL database.</summary>
public abstract class FeedStoreTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : FeedStoreTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : FeedStoreTests(fixture.Server);

    private static readonly FeedOwner Guild = new("discord", "guild-1");
    private static readonly FeedOwner Other = new("slack", "T1");

    [Fact]
    public async Task An_item_is_stored_once_per_key_and_a_changed_one_is_updated_not_added()
    {
        await using var store = await NewStoreAsync();
        var feeds = new SqlFeedStore(store.Connections);
        var (feed, added) = await feeds.AddAsync(Guild, "https://news.example/rss", null, 15, store.Time.GetUtcNow(), None);
        var again = await feeds.AddAsync(Guild, "https://news.example/rss", null, 15, store.Time.GetUtcNow(), None);
        var first = FeedItemDrafts.From([Item("guid-1", "Balloon spotted"), Item("guid-2", "Second story")]);
        var corrected = FeedItemDrafts.From([Item("guid-1", "Balloon spotted over Montana"), Item("guid-2", "Second story")]);

        var stored = await feeds.SaveItemsAsync(feed.Id, first, store.Time.GetUtcNow(), None);
        var resaved = await feeds.SaveItemsAsync(feed.Id, first, store.Time.GetUtcNow(), None);
        var updated = await feeds.SaveItemsAsync(feed.Id, corrected, store.Time.GetUtcNow(), None);

        Assert.True(added);
        Assert.False(again.Added);
        Assert.Equal(feed.Id, again.Feed.Id);
        Assert.All(stored, s => Assert.Equal(ItemChange.New, s.Change));
        Assert.All(resaved, s => Assert.Equal(ItemChange.Unchanged, s.Change));
        Assert.Equal([ItemChange.Updated, ItemChange.Unchanged], updated.Select(s => s.Change));
        Assert.Equal(stored[0].Item.Id, updated[0].Item.Id);
        Assert.Equal("Balloon spotted over Montana", updated[0].Item.Title);
        Assert.Equal(2, (await feeds.ListAsync(Guild, None)).Single().ItemCount);
    }

    [Fact]
    public async Task A_linked_item_becomes_passages_that_full_text_search_finds_and_cite_the_item()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var feeds = new SqlFeedStore(store.Connections);
        var (feed, _) = await feeds.AddAsync(Guild, "https://news.example/rss", "balloon", 15, store.Time.GetUtcNow(), None);
        await feeds.SaveStatusAsync(feed.Id, new FeedStatus("Example News", null, null, store.Time.GetUtcNow(), 0, null, null, null, store.Time.GetUtcNow()), None);
        var saved = (await feeds.SaveItemsAsync(feed.Id, FeedItemDrafts.From(
            [Item("g", "Navy divers lift the zeppelinoid payload", summary: "Recovery crews worked off the coast.", link: "https://news.example/a")]),
            store.Time.GetUtcNow(), None)).Single();

        var linked = await feeds.IndexAsync(saved.Item.Id, ["balloon", "no-such-incident"], ItemLinkReason.Feed, FeedItemPassages.For(saved.Item), store.Time.GetUtcNow(), None);
        var index = store.Passages;
        var hits = await index.SearchAsync(["zeppelinoid"], [], 10, None);

        Assert.Equal(["balloon"], linked!.Incidents);
        Assert.Equal(ItemTriage.Linked, linked.Triage);
        var hit = Assert.Single(hits);
        Assert.Equal(PassageKind.Item, hit.Kind);
        Assert.Equal("balloon", hit.Slug);
        Assert.Equal("Example News — “Navy divers lift the zeppelinoid payload” (4 Feb 2026) https://news.example/a", hit.Citation);
        Assert.Single(await index.SearchAsync(["recovery", "crews"], [], 10, None, [["crews"]]));
    }

    [Fact]
    public async Task Item_passages_survive_an_edit_of_the_incident_and_leave_with_the_feed()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var feeds = new SqlFeedStore(store.Connections);
        var (feed, _) = await feeds.AddAsync(Guild, "https://news.example/rss", null, 15, store.Time.GetUtcNow(), None);
        var saved = (await feeds.SaveItemsAsync(feed.Id, FeedItemDrafts.From([Item("g", "Quixotic balloon headline")]), store.Time.GetUtcNow(), None)).Single();
        await feeds.IndexAsync(saved.Item.Id, ["balloon"], ItemLinkReason.Mention, FeedItemPassages.For(saved.Item), store.Time.GetUtcNow(), None);
        var index = store.Passages;

        var edit = await store.Editor.EditAsync("balloon", new IncidentFields { Status = "Edited while an item is linked." }, null, new ContentAuthor(ContentSource.Cli), None);
        var afterEdit = await index.SearchAsync(["quixotic"], [], 10, None);
        var removed = await feeds.RemoveAsync(Guild, "https://news.example/rss", None);
        var afterRemove = await index.SearchAsync(["quixotic"], [], 10, None);

        Assert.IsType<EditResult.Done>(edit);
        Assert.Single(afterEdit);
        Assert.True(removed);
        Assert.Empty(afterRemove);
        Assert.Null(await feeds.GetItemAsync(saved.Item.Id, None));
    }

    [Fact]
    public async Task Due_feeds_skip_disabled_ones_and_triage_lists_only_the_owner_s_unlinked_items()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var feeds = new SqlFeedStore(store.Connections);
        var now = store.Time.GetUtcNow();
        var (due, _) = await feeds.AddAsync(Guild, "https://a.example/rss", null, 15, now, None);
        var (dead, _) = await feeds.AddAsync(Guild, "https://b.example/rss", null, 15, now, None);
        var (elsewhere, _) = await feeds.AddAsync(Other, "https://a.example/rss", null, 15, now, None);
        await feeds.SaveStatusAsync(dead.Id, new FeedStatus(null, null, null, now, 3, now.AddDays(-1), "HTTP 404", "failing for a day: HTTP 404", now), None);
        var mine = (await feeds.SaveItemsAsync(due.Id, FeedItemDrafts.From([Item("1", "Unmatched story")]), now, None)).Single();
        var theirs = (await feeds.SaveItemsAsync(elsewhere.Id, FeedItemDrafts.From([Item("1", "Their unmatched story")]), now, None)).Single();
        await feeds.IndexAsync(mine.Item.Id, [], ItemLinkReason.Mention, FeedItemPassages.For(mine.Item), now, None);

        var dueNow = await feeds.ListDueAsync(now, 10, None);
        var triage = await feeds.ListTriageAsync(Guild, 10, None);
        var dismissed = await feeds.DismissAsync(mine.Item.Id, None);

        Assert.Equal([due.Id, elsewhere.Id], dueNow.Select(f => f.Id).Order());
        Assert.Equal("failing for a day: HTTP 404", (await feeds.GetAsync(dead.Id, None))!.DisabledReason);
        Assert.Equal([mine.Item.Id], triage.Select(i => i.Id));
        Assert.DoesNotContain(theirs.Item.Id, triage.Select(i => i.Id));
        Assert.True(dismissed);
        Assert.Empty(await feeds.ListTriageAsync(Guild, 10, None));
    }

    [Fact]
    public async Task Two_instances_claiming_at_once_never_get_the_same_feed_and_together_get_every_due_one()
    {
        await using var store = await NewStoreAsync();
        var now = store.Time.GetUtcNow();
        var setup = new SqlFeedStore(store.Connections);
        var due = new List<long>();
        for (var i = 0; i < 60; i++)
            due.Add((await setup.AddAsync(Guild, $"https://n{i}.example/rss", null, 15, now, None)).Feed.Id);
        // Each "instance" has its own connections, as two processes would.
        var instances = new[] { new SqlFeedStore(store.OpenAnotherProcess().Connections), new SqlFeedStore(store.OpenAnotherProcess().Connections) };

        var claims = await Task.WhenAll(instances.Select(feeds => Task.Run(async () =>
        {
            var mine = new List<long>();
            while (await feeds.ClaimDueAsync(now, now.AddMinutes(15), 4, None) is { Count: > 0 } claimed)
                mine.AddRange(claimed.Select(f => f.Id));
            return mine;
        })));

        Assert.Empty(claims[0].Intersect(claims[1]));
        Assert.Equal(due.Order(), claims.SelectMany(c => c).Order());
        Assert.Equal(claims.Sum(c => c.Count), claims.SelectMany(c => c).Distinct().Count());
    }

    [Fact]
    public async Task A_claimed_feed_is_not_due_again_until_its_status_is_saved_or_the_lease_runs_out()
    {
        await using var store = await NewStoreAsync();
        var feeds = new SqlFeedStore(store.Connections);
        var now = store.Time.GetUtcNow();
        var (polled, _) = await feeds.AddAsync(Guild, "https://polled.example/rss", null, 15, now, None);
        var (abandoned, _) = await feeds.AddAsync(Guild, "https://abandoned.example/rss", null, 15, now, None);

        var claimed = await feeds.ClaimDueAsync(now, now.AddMinutes(15), 10, None);
        var again = await feeds.ClaimDueAsync(now, now.AddMinutes(15), 10, None);
        await feeds.SaveStatusAsync(polled.Id, new FeedStatus(null, null, null, now.AddMinutes(5), 0, null, null, null, now), None);
        var afterFiveMinutes = await feeds.ClaimDueAsync(now.AddMinutes(5), now.AddMinutes(20), 10, None);
        var afterTheLease = await feeds.ClaimDueAsync(now.AddMinutes(15), now.AddMinutes(30), 10, None);

        Assert.Equal([polled.Id, abandoned.Id], claimed.Select(f => f.Id));
        Assert.Empty(again);
        Assert.Equal([polled.Id], afterFiveMinutes.Select(f => f.Id));
        Assert.Equal([abandoned.Id], afterTheLease.Select(f => f.Id));
    }

    [Fact]
    public async Task Reports_keep_the_newest_per_incident_and_count_the_rest()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var feeds = new SqlFeedStore(store.Connections);
        var now = store.Time.GetUtcNow();
        var (feed, _) = await feeds.AddAsync(Guild, "https://a.example/rss", null, 15, now, None);
        var drafts = FeedItemDrafts.From(Enumerable.Range(1, 8).Select(i => Item($"b{i}", $"Balloon story {i}", published: now.AddHours(-i)))
            .Concat(Enumerable.Range(1, 3).Select(i => Item($"t{i}", $"TikTok story {i}", published: now.AddMinutes(-i))))
            .Append(Item("old", "Too old", published: now.AddDays(-3))));
        foreach (var saved in await feeds.SaveItemsAsync(feed.Id, drafts, now, None))
            await feeds.IndexAsync(saved.Item.Id, [saved.Item.Title.StartsWith("TikTok", StringComparison.Ordinal) ? "tiktok" : "balloon"],
                ItemLinkReason.Mention, FeedItemPassages.For(saved.Item), now, None);

        var page = await feeds.ListReportsAsync(Guild, now.AddDays(-1), now.AddSeconds(1), perIncident: 5, limit: 15, None);
        var otherOwner = await feeds.ListReportsAsync(Other, now.AddDays(-1), now.AddSeconds(1), 5, 15, None);

        Assert.Equal(11, page.Total);
        Assert.Equal(8, page.Reports.Count);
        Assert.Equal(["TikTok story 1", "TikTok story 2", "TikTok story 3", "Balloon story 1"], page.Reports.Take(4).Select(r => r.Item.Title));
        Assert.Equal(5, page.Reports.Count(r => r.Slug == "balloon"));
        Assert.Equal(0, otherOwner.Total);
    }

    private static FetchedFeedItem Item(string? id, string title, string? summary = null, string? link = null, DateTimeOffset? published = null) =>
        new(id, link, title, summary, published ?? new DateTimeOffset(2026, 2, 4, 7, 0, 0, TimeSpan.Zero), null, null);
}
