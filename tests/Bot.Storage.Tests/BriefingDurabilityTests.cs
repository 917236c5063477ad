using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Storage.Briefings;
using Bot.Testing;
using Dapper;

namespace Bot.Storage.Tests;

/// <summary>What a user was told (subscribed, posted) must survive a power cut.</summary>
public class BriefingDurabilityTests
{
    private static readonly DateOnly Day = new(2026, 2, 4);

    [Fact]
    public async Task Subscription_and_delivery_writes_commit_with_full_sync_even_on_a_pooled_normal_connection()
    {
        await using var store = await TestStore.CreateAsync();
        await InstallSyncProbeAsync(store.Database);
        var subscriptions = new SqlSubscriptionStore(store.Database, store.Time);
        var deliveries = new SqlDeliveryStore(store.Database, store.Time);

        // Each write below runs right after an ordinary connection went back to the pool, so a
        // writer that relied on the pooled connection's setting would commit with NORMAL.
        await ReturnNormalConnectionToPoolAsync(store.Database);
        var subscription = await subscriptions.SaveAsync(Digest("C1"), CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await subscriptions.SaveAsync(Digest("C1") with { LocalTime = new TimeOnly(8, 0) }, CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await subscriptions.MarkFailingAsync(subscription.Id, "missing access", CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        var delivery = await deliveries.GetOrCreateAsync(subscription.Id, Day, ComposeAsync, CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        Assert.True(await deliveries.TryClaimAsync(delivery.Id, store.Time.GetUtcNow(), store.Time.GetUtcNow().AddMinutes(1), CancellationToken.None));
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await deliveries.MarkRetryAsync(delivery.Id, "timeout", store.Time.GetUtcNow(), CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await deliveries.MarkSentAsync(delivery.Id, "m1", store.Time.GetUtcNow(), CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await deliveries.MarkFailedAsync(delivery.Id, "gone", CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await deliveries.RecordSkippedAsync(subscription.Id, Day.AddDays(1), "downtime", CancellationToken.None);
        await ReturnNormalConnectionToPoolAsync(store.Database);
        await subscriptions.RemoveAsync("discord", "w", "C1", BriefingKind.Digest, CancellationToken.None);

        await using var check = await store.Database.OpenAsync(CancellationToken.None);
        var probes = (await check.QueryAsync<(string Write, long Synchronous)>("SELECT write, synchronous FROM sync_probe ORDER BY rowid")).ToList();
        // Sorted: the cascade's deletes and the subscription's own fire in SQLite's order, not ours.
        Assert.Equal(
            ["delivery delete", "delivery delete", "delivery insert", "delivery insert", "delivery update", "delivery update", "delivery update",
             "delivery update", "subscription delete", "subscription insert", "subscription update", "subscription update"],
            probes.Select(p => p.Write).Order(StringComparer.Ordinal));
        Assert.All(probes, p => Assert.Equal(2, p.Synchronous));
        // The FULL connections went back to the pool too; an ordinary open must not inherit their setting.
        Assert.Equal(1, await check.ExecuteScalarAsync<int>("PRAGMA synchronous"));
    }

    [Fact]
    public async Task Each_open_gets_the_durability_it_asks_for_whatever_the_pool_held_before()
    {
        await using var store = await TestStore.CreateAsync();
        foreach (var durability in new[] { Durability.Full, Durability.Normal, Durability.Full, Durability.Full, Durability.Normal, Durability.Normal })
        {
            await using var connection = await store.Database.OpenAsync(durability, CancellationToken.None);
            Assert.Equal(durability == Durability.Full ? 2 : 1, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous"));
            Assert.Equal(30_000, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout"));
        }
    }

    private static Subscription Digest(string channel) =>
        new() { Platform = "discord", Workspace = "w", Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" };

    private static Task<(ChatMessage? Message, string? Spotlight)> ComposeAsync() =>
        Task.FromResult<(ChatMessage?, string?)>((new ChatMessage { Title = "Digest", Text = "Today." }, null));

    private static async Task ReturnNormalConnectionToPoolAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous"));
    }

    /// <summary>
    /// Triggers record the synchronous setting of whichever connection runs each write, so the test
    /// sees the stores' own connections rather than one it opened itself.
    /// </summary>
    private static async Task InstallSyncProbeAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE sync_probe (write TEXT NOT NULL, synchronous INTEGER NOT NULL)");
        foreach (var (table, name) in new[] { ("subscriptions", "subscription"), ("deliveries", "delivery") })
            foreach (var operation in new[] { "insert", "update", "delete" })
                await connection.ExecuteAsync(
                    $"""
                CREATE TRIGGER probe_{table}_{operation} AFTER {operation.ToUpperInvariant()} ON {table}
                BEGIN INSERT INTO sync_probe SELECT '{name} {operation}', synchronous FROM pragma_synchronous; END
                """);
    }
}
