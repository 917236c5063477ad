using Bot.Core.Feeds;
using Bot.Storage.Answers;
using Bot.Storage.Feeds;
using Bot.Testing;
using Dapper;

namespace Bot.Storage.Tests;

/// <summary>What several instances on one store must share (migration 0013), on both providers.</summary>
public abstract class SharedStateTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : SharedStateTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : SharedStateTests(fixture.Server);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_conversation_s_incident_is_kept_until_it_expires_and_replaced_by_the_next()
    {
        await using var store = await NewStoreAsync();
        var conversations = store.Conversations;
        var now = store.Time.GetUtcNow();

        Assert.Null(await conversations.LastIncidentAsync("slack/T1/C1/1.2", now, None));
        await conversations.RememberAsync("slack/T1/C1/1.2", "balloon", now, now + Day, None);
        await conversations.RememberAsync("slack/T1/C1/9.9", "tiktok", now, now + Day, None);
        var kept = await conversations.LastIncidentAsync("slack/T1/C1/1.2", now.AddHours(23), None);
        await conversations.RememberAsync("slack/T1/C1/1.2", "wei-sun", now.AddHours(1), now.AddHours(1) + Day, None);
        var replaced = await conversations.LastIncidentAsync("slack/T1/C1/1.2", now.AddHours(2), None);

        Assert.Equal("balloon", kept);
        Assert.Equal("wei-sun", replaced);
        Assert.Equal("tiktok", await conversations.LastIncidentAsync("slack/T1/C1/9.9", now.AddHours(2), None));
        Assert.Null(await conversations.LastIncidentAsync("slack/T1/C1/9.9", now + Day, None));
    }

    [Fact]
    public async Task What_one_instance_remembered_another_reads()
    {
        await using var store = await NewStoreAsync();
        var now = store.Time.GetUtcNow();

        await store.Conversations.RememberAsync("discord/G1/C1/C1", "balloon", now, now + Day, None);

        Assert.Equal("balloon", await new SqlConversationStore(store.OpenAnotherProcess().Connections).LastIncidentAsync("discord/G1/C1/C1", now, None));
    }

    [Fact]
    public async Task Expired_conversations_are_deleted_so_the_table_stays_small()
    {
        await using var store = await NewStoreAsync();
        var conversations = store.Conversations;
        var now = store.Time.GetUtcNow();
        for (var i = 0; i < 20; i++)
            await conversations.RememberAsync($"slack/T1/C{i}/1.2", "balloon", now, now + Day, None);

        var later = now + Day + SqlConversationStore.PruneEvery;
        await conversations.RememberAsync("slack/T1/fresh/1.2", "balloon", later, later + Day, None);

        await using var connection = await store.Connections.OpenAsync(None);
        Assert.Equal(["slack/T1/fresh/1.2"], await connection.QueryAsync<string>("SELECT conversation FROM conversation_memory"));
    }

    [Fact]
    public async Task A_feed_item_indexed_by_another_instance_moves_the_content_version()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var version = store.ContentVersion(store.Time);
        _ = version.Current; // starts watching, as a running instance is
        // The other instance's poller: its own connections and writes, none of this process's change counter.
        var elsewhere = new SqlFeedStore(store.OpenAnotherProcess().Connections);
        var now = store.Time.GetUtcNow();
        var (feed, _) = await elsewhere.AddAsync(new FeedOwner("slack", "T1"), "https://news.example/rss", "balloon", 15, now, None);
        store.Time.Advance(TimeSpan.FromSeconds(2));
        var afterAdd = version.Current;

        var saved = (await elsewhere.SaveItemsAsync(feed.Id, FeedItemDrafts.From([new FetchedFeedItem("g", null, "Payload recovered", null, now, null, null)]), now, None)).Single();
        await elsewhere.IndexAsync(saved.Item.Id, ["balloon"], ItemLinkReason.Feed, FeedItemPassages.For(saved.Item), now, None);
        store.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotEqual(afterAdd, version.Current);
        (version as IDisposable)?.Dispose();
    }
}
