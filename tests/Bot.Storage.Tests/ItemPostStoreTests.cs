using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Storage.Briefings;
using Bot.Storage.Migrations;
using Bot.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Storage.Tests;

/// <summary>
/// Live item posts in the store (migration 0012): a channel follows the items of several incidents, and an
/// item is queued once per channel, beside the daily posts of the same date.
/// </summary>
public abstract class ItemPostStoreTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : ItemPostStoreTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : ItemPostStoreTests(fixture.Server);

    private static readonly DateOnly Day = new(2026, 2, 4);
    private static readonly ChatMessage Card = new() { Title = "New reporting", Text = "An item." };

    [Fact]
    public async Task A_channel_follows_the_items_of_several_incidents_and_drops_one_without_the_others()
    {
        await using var store = await NewStoreAsync();
        var subscriptions = store.Subscriptions;
        var balloon = await subscriptions.SaveAsync(Items("C1", "balloon"), None);
        var tiktok = await subscriptions.SaveAsync(Items("C1", "tiktok"), None);
        var again = await subscriptions.SaveAsync(Items("C1", "balloon"), None);
        var digest = await subscriptions.SaveAsync(new Subscription { Platform = "slack", Workspace = "T1", Channel = "C1", Kind = BriefingKind.Digest }, None);

        Assert.Equal(balloon.Id, again.Id);
        Assert.NotEqual(balloon.Id, tiktok.Id);
        var listed = await subscriptions.ListAsync("slack", "T1", "C1", None);
        Assert.Equal(["digest:", "items:balloon", "items:tiktok"], listed.Select(s => $"{Subscription.KindName(s.Kind)}:{s.Topic}").Order(StringComparer.Ordinal));
        Assert.Null(listed.Single(s => s.Id == digest.Id).Topic);

        Assert.True(await subscriptions.RemoveAsync("slack", "T1", "C1", BriefingKind.Items, "balloon", None));
        Assert.False(await subscriptions.RemoveAsync("slack", "T1", "C1", BriefingKind.Items, "balloon", None));
        Assert.Equal([tiktok.Id, digest.Id], (await subscriptions.ListAsync("slack", "T1", "C1", None)).Select(s => s.Id).Order());
    }

    [Fact]
    public async Task An_item_is_queued_once_per_channel_and_beside_the_daily_post_of_that_date()
    {
        await using var store = await NewStoreAsync();
        var (first, second) = await TwoItemsAsync(store);
        var subscriptions = store.Subscriptions;
        var deliveries = store.Deliveries;
        var balloon = await subscriptions.SaveAsync(Items("C1", "balloon"), None);
        var tiktok = await subscriptions.SaveAsync(Items("C1", "tiktok"), None);
        var elsewhere = await subscriptions.SaveAsync(Items("C2", "balloon"), None);

        var queued = await deliveries.CreateItemPostAsync(balloon.Id, first, Day, Card, None);
        var repeated = await deliveries.CreateItemPostAsync(balloon.Id, first, Day, Card, None);
        var sameChannel = await deliveries.CreateItemPostAsync(tiktok.Id, first, Day, Card, None);
        var otherChannel = await deliveries.CreateItemPostAsync(elsewhere.Id, first, Day, Card, None);
        var nextItem = await deliveries.CreateItemPostAsync(balloon.Id, second, Day, Card, None);
        var daily = await deliveries.CreateAsync(balloon.Id, Day, Card, null, None);

        Assert.NotNull(queued);
        Assert.Equal((DeliveryStatus.Pending, first, "New reporting"), (queued.Status, queued.ItemId, queued.Message?.Title));
        Assert.Null(repeated);
        Assert.Null(sameChannel);
        Assert.NotNull(otherChannel);
        Assert.NotNull(nextItem);
        // The daily key ignores item posts: a digest of that date is still its own, found by date.
        Assert.Null(daily.ItemId);
        Assert.Equal(daily.Id, (await deliveries.FindAsync(balloon.Id, Day, None))?.Id);
        Assert.Equal(4, (await deliveries.DueAsync(store.Time.GetUtcNow(), 10, None)).Count);
        var history = await deliveries.RecentAsync("C1", 10, None);
        Assert.All(history, r => Assert.Equal("balloon", r.Topic));
    }

    [Fact]
    public async Task An_item_removed_with_its_feed_takes_its_posts_with_it()
    {
        await using var store = await NewStoreAsync();
        var (first, _) = await TwoItemsAsync(store);
        var balloon = await store.Subscriptions.SaveAsync(Items("C1", "balloon"), None);
        var queued = await store.Deliveries.CreateItemPostAsync(balloon.Id, first, Day, Card, None);

        await using (var connection = await store.Connections.OpenAsync(None))
            await connection.ExecuteAsync("DELETE FROM feeds");

        Assert.Null(await store.Deliveries.GetAsync(queued!.Id, None));
    }

    private static Subscription Items(string channel, string slug) =>
        new() { Platform = "slack", Workspace = "T1", Channel = channel, Kind = BriefingKind.Items, Topic = slug };

    /// <summary>A feed with two items, written directly: the feed store is not what these tests are about.</summary>
    private static async Task<(long First, long Second)> TwoItemsAsync(TestStore store)
    {
        var now = store.Time.GetUtcNow();
        await using var connection = await store.Connections.OpenAsync(None);
        var feed = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO feeds (platform, workspace, url, next_due_at, added_at) VALUES ('slack', 'T1', 'https://news.example/rss', @now, @now) RETURNING id", new { now });
        const string Item = """
            INSERT INTO feed_items (feed_id, dedupe_key, title, published_at, has_date, first_seen_at, content_hash)
            VALUES (@feed, @key, 'A report', @now, @dated, @now, 'h') RETURNING id
            """;
        // has_date is an integer on SQLite and a boolean on PostgreSQL.
        object dated = store.Provider == StorageProvider.Postgres ? true : 1;
        var first = await connection.ExecuteScalarAsync<long>(Item, new { feed, key = "a", now, dated });
        var second = await connection.ExecuteScalarAsync<long>(Item, new { feed, key = "b", now, dated });
        return (first, second);
    }
}

/// <summary>The SQLite rebuild of migration 0012 keeps every subscription and delivery, and the outbox's id sequence.</summary>
public class SqliteItemPostMigrationTests
{
    [Fact]
    public async Task A_version_11_store_keeps_its_rows_and_never_reuses_a_spent_delivery_id()
    {
        await using var store = await TestStore.CreateAsync();
        var path = Path.Combine(store.Folder, "v11.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False;Foreign Keys=True"))
        {
            await connection.OpenAsync();
            foreach (var (version, _, sql) in Migrator.Scripts.Where(s => s.Version <= 11))
                await connection.ExecuteAsync(sql + $"; PRAGMA user_version = {version};");
            await connection.ExecuteAsync(
                """
                INSERT INTO subscriptions (id, platform, workspace, channel, kind, local_time, time_zone, created_at, updated_at, paused_since, pause_reason)
                VALUES (3, 'discord', 'g', 'C1', 'digest', '09:00', 'UTC', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', NULL, NULL),
                       (7, 'slack', 'T', 'C2', 'onthisday', '07:30', 'Europe/Paris', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', 'uninstalled');
                INSERT INTO deliveries (id, subscription_id, local_date, status, message, attempts, created_at)
                VALUES (4, 3, '2026-02-03', 'sent', '{"title":"x"}', 1, 'c4'), (12, 7, '2026-02-03', 'pending', NULL, 0, 'c12');
                DELETE FROM deliveries WHERE id = 12;
                """);
        }

        var database = new SqliteDatabase(path);
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(
            ["3|discord|g|C1|digest||09:00|UTC|", "7|slack|T|C2|onthisday||07:30|Europe/Paris|uninstalled"],
            await check.QueryAsync<string>(
                "SELECT concat_ws('|', id, platform, workspace, channel, kind, topic, local_time, time_zone, coalesce(pause_reason, '')) FROM subscriptions ORDER BY id"));
        Assert.Equal(["4|3|2026-02-03|sent|"], await check.QueryAsync<string>(
            "SELECT concat_ws('|', id, subscription_id, local_date, status, coalesce(item_id, '')) FROM deliveries"));
        Assert.Empty(await check.QueryAsync("PRAGMA foreign_key_check"));

        // Id 12 was handed out before the rebuild; the next delivery comes after it.
        var subscriptions = new SqlSubscriptionStore(database, store.Time);
        var deliveries = new SqlDeliveryStore(database, store.Time);
        var next = await deliveries.CreateAsync(3, new DateOnly(2026, 2, 4), new ChatMessage { Title = "Digest" }, null, CancellationToken.None);
        Assert.Equal(13, next.Id);
        Assert.Equal(7, (await subscriptions.GetAsync(7, CancellationToken.None))?.Id);
        Assert.True(await subscriptions.RemoveAsync("discord", "g", "C1", BriefingKind.Digest, CancellationToken.None));
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM deliveries"));
    }
}
