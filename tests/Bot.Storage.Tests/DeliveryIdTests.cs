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
/// A delivery's id is its Discord nonce and its Slack metadata: it must never be handed out twice, or a
/// new post is taken for one already made.
/// </summary>
public abstract class DeliveryIdTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : DeliveryIdTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : DeliveryIdTests(fixture.Server);

    private static readonly DateOnly Day = new(2026, 2, 4);

    [Fact]
    public async Task A_delivery_id_removed_with_its_subscription_is_never_given_out_again()
    {
        await using var store = await NewStoreAsync();
        var subscriptions = store.Subscriptions;
        var deliveries = store.Deliveries;
        var kept = await subscriptions.SaveAsync(Digest("C1"), CancellationToken.None);
        var first = await deliveries.GetOrCreateAsync(kept.Id, Day, ComposeAsync, CancellationToken.None);
        var removed = await subscriptions.SaveAsync(Digest("C2"), CancellationToken.None);
        var newest = await deliveries.GetOrCreateAsync(removed.Id, Day, ComposeAsync, CancellationToken.None);

        // Unsubscribing deletes the channel's deliveries with it, the newest among them.
        Assert.True(await subscriptions.RemoveAsync("discord", "w", "C2", BriefingKind.Digest, CancellationToken.None));
        Assert.Null(await deliveries.GetAsync(newest.Id, CancellationToken.None));
        var again = await subscriptions.SaveAsync(Digest("C3"), CancellationToken.None);
        var next = await deliveries.GetOrCreateAsync(again.Id, Day, ComposeAsync, CancellationToken.None);

        // The id is the Discord nonce of the post: a repeat would let Discord answer with the removed channel's message.
        Assert.True(next.Id > newest.Id, $"delivery id {next.Id} reuses or precedes {newest.Id}");
        Assert.True(newest.Id > first.Id);
    }

    private static Subscription Digest(string channel) =>
        new() { Platform = "discord", Workspace = "w", Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" };

    private static Task<(ChatMessage? Message, string? Spotlight)> ComposeAsync() =>
        Task.FromResult<(ChatMessage?, string?)>((new ChatMessage { Title = "Digest", Text = "Today." }, null));
}

/// <summary>The SQLite migration that made delivery ids never reused (PostgreSQL's identity never reuses one).</summary>
public class SqliteDeliveryIdMigrationTests
{
    private static readonly DateOnly Day = new(2026, 2, 4);

    [Fact]
    public async Task A_version_4_outbox_keeps_its_rows_and_never_reuses_their_ids_after_migrating()
    {
        await using var store = await TestStore.CreateAsync();
        var path = Path.Combine(store.Folder, "v4.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False;Foreign Keys=True"))
        {
            await connection.OpenAsync();
            foreach (var (version, _, sql) in Migrator.Scripts.Where(s => s.Version <= 4))
                await connection.ExecuteAsync(sql + $"; PRAGMA user_version = {version};");
            await connection.ExecuteAsync(
                """
                INSERT INTO subscriptions VALUES (1, 'discord', 'w', 'C1', 'digest', '09:00', 'UTC', 't0', 't0', NULL, NULL);
                INSERT INTO subscriptions VALUES (2, 'slack', 'w', 'C2', 'onthisday', '07:30', 'Europe/Paris', 't0', 't1', 't2', 'gone');
                INSERT INTO deliveries VALUES (5, 1, '2026-02-03', 'sent', '{"title":"x"}', 'slug-a', 1, 'n1', 'l1', NULL, 'M5', 'c5', 's5');
                INSERT INTO deliveries VALUES (9, 2, '2026-02-03', 'pending', NULL, NULL, 3, 'n2', 'l2', 'timeout', NULL, 'c9', NULL);
                """);
            // A table from another migration that refers to deliveries: rebuilding the outbox must not empty it.
            await connection.ExecuteAsync(
                "CREATE TABLE delivery_notes (delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE); INSERT INTO delivery_notes VALUES (9);");
        }

        var database = new SqliteDatabase(path);
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(
            ["5|1|2026-02-03|sent|{\"title\":\"x\"}|slug-a|1|n1|l1||M5|c5|s5", "9|2|2026-02-03|pending|||3|n2|l2|timeout||c9|"],
            await check.QueryAsync<string>(
                """
                SELECT concat_ws('|', id, subscription_id, local_date, status, coalesce(message, ''), coalesce(spotlight, ''), attempts,
                       coalesce(next_attempt_at, ''), coalesce(last_attempt_at, ''), coalesce(last_error, ''), coalesce(platform_message_id, ''),
                       created_at, coalesce(sent_at, ''))
                FROM deliveries ORDER BY id
                """));
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'ix_deliveries_due'"));
        Assert.Empty(await check.QueryAsync("PRAGMA foreign_key_check"));
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM delivery_notes"));

        // Removing the subscription still takes its deliveries with it, and the highest id stays spent.
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
        await check.ExecuteAsync("DELETE FROM subscriptions WHERE id = 2");
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM deliveries"));
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM delivery_notes"));
        var deliveries = new SqlDeliveryStore(database, store.Time);
        var next = await deliveries.GetOrCreateAsync(1, Day, ComposeAsync, CancellationToken.None);
        Assert.Equal(10, next.Id);
    }

    private static Subscription Digest(string channel) =>
        new() { Platform = "discord", Workspace = "w", Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" };

    private static Task<(ChatMessage? Message, string? Spotlight)> ComposeAsync() =>
        Task.FromResult<(ChatMessage?, string?)>((new ChatMessage { Title = "Digest", Text = "Today." }, null));
}
