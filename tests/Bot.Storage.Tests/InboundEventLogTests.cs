using Bot.Storage.Chat;
using Bot.Testing;
using Dapper;

namespace Bot.Storage.Tests;

public abstract class InboundEventLogTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : InboundEventLogTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : InboundEventLogTests(fixture.Server);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task A_key_is_new_once_then_a_repeat_until_it_expires()
    {
        await using var store = await NewStoreAsync();
        var log = store.InboundEvents;

        Assert.True(await log.FirstTimeAsync("slack", ["event:Ev1", "message:C1:1.2"], Day, CancellationToken.None));
        Assert.False(await log.FirstTimeAsync("slack", ["event:Ev1", "message:C1:1.2"], Day, CancellationToken.None));
        // The same message under a new event id is still a repeat; another platform's key is not.
        Assert.False(await log.FirstTimeAsync("slack", ["event:Ev2", "message:C1:1.2"], Day, CancellationToken.None));
        Assert.True(await log.FirstTimeAsync("discord", ["event:Ev1"], Day, CancellationToken.None));

        store.Time.Advance(Day + TimeSpan.FromSeconds(1));

        Assert.True(await log.FirstTimeAsync("slack", ["event:Ev1", "message:C1:1.2"], Day, CancellationToken.None));
    }

    [Fact]
    public async Task What_one_process_recorded_another_sees()
    {
        await using var store = await NewStoreAsync();

        Assert.True(await store.InboundEvents.FirstTimeAsync("slack", ["event:Ev9"], Day, CancellationToken.None));

        Assert.False(await new SqlInboundEventLog(store.OpenAnotherProcess().Connections, store.Time).FirstTimeAsync("slack", ["event:Ev9"], Day, CancellationToken.None));
    }

    [Fact]
    public async Task Expired_rows_are_deleted_so_the_table_stays_small()
    {
        await using var store = await NewStoreAsync();
        var log = store.InboundEvents;
        for (var i = 0; i < 50; i++)
            await log.FirstTimeAsync("slack", [$"event:Ev{i}"], Day, CancellationToken.None);

        store.Time.Advance(Day + SqlInboundEventLog.PruneEvery);
        await log.FirstTimeAsync("slack", ["event:fresh"], Day, CancellationToken.None);

        await using var connection = await store.Connections.OpenAsync(CancellationToken.None);
        Assert.Equal(["event:fresh"], await connection.QueryAsync<string>("SELECT key FROM seen_events"));
    }
}
