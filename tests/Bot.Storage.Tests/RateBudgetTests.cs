using Bot.Core.Limits;
using Bot.Storage.Limits;
using Bot.Testing;

namespace Bot.Storage.Tests;

/// <summary>The shared rate budget: turns a spacing apart per key, whichever instance asks, none handed out twice.</summary>
public abstract class RateBudgetTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : RateBudgetTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : RateBudgetTests(fixture.Server);

    private static readonly TimeSpan Spacing = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task Turns_asked_for_at_once_come_a_spacing_apart_and_free_up_as_time_passes()
    {
        await using var store = await NewStoreAsync();
        var budget = new SqlRateBudget(store.Connections, store.Time);

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++) waits.Add(await WaitAsync(budget, store, "discord:1:global", Spacing));

        Assert.Equal([TimeSpan.Zero, Spacing, 2 * Spacing, 3 * Spacing], waits);
        store.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, await WaitAsync(budget, store, "discord:1:global", Spacing));
    }

    [Fact]
    public async Task Each_key_has_its_own_turns()
    {
        await using var store = await NewStoreAsync();
        var budget = new SqlRateBudget(store.Connections, store.Time);

        await budget.ReserveAsync("discord:1:identify:0", TimeSpan.FromSeconds(5), None);

        Assert.Equal(TimeSpan.Zero, await WaitAsync(budget, store, "discord:1:identify:1", TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(5), await WaitAsync(budget, store, "discord:1:identify:0", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Instances_asking_together_never_get_the_same_turn()
    {
        await using var store = await NewStoreAsync();
        var instances = new[] { store.Connections, store.OpenAnotherProcess().Connections, store.OpenAnotherProcess().Connections }
            .Select(connections => new SqlRateBudget(connections, store.Time))
            .ToArray();

        var waits = await Task.WhenAll(Enumerable.Range(0, 90)
            .Select(i => Task.Run(() => WaitAsync(instances[i % instances.Length], store, "discord:1:global", Spacing))));

        Assert.Equal(Enumerable.Range(0, 90).Select(i => i * Spacing), waits.Order());
    }

    [Fact]
    public async Task A_hold_pushes_the_next_turn_back_and_never_pulls_it_forward()
    {
        await using var store = await NewStoreAsync();
        var budget = new SqlRateBudget(store.Connections, store.Time);
        var other = new SqlRateBudget(store.OpenAnotherProcess().Connections, store.Time);

        await budget.HoldAsync("discord:1:global", store.Time.GetUtcNow() + TimeSpan.FromSeconds(2), None);
        Assert.Equal(TimeSpan.FromSeconds(2), await WaitAsync(other, store, "discord:1:global", Spacing));

        await other.HoldAsync("discord:1:global", store.Time.GetUtcNow() + TimeSpan.FromSeconds(1), None);
        Assert.Equal(TimeSpan.FromSeconds(2) + Spacing, await WaitAsync(budget, store, "discord:1:global", Spacing));
    }

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Places_run_out_at_the_limit_and_free_a_window_after_they_are_given_back()
    {
        await using var store = await NewStoreAsync();
        var budget = new SqlRateBudget(store.Connections, store.Time);

        var first = await budget.TryTakePlaceAsync("discord:1:global", 2, Window, Lease, None);
        var second = await budget.TryTakePlaceAsync("discord:1:global", 2, Window, Lease, None);
        var third = await budget.TryTakePlaceAsync("discord:1:global", 2, Window, Lease, None);

        Assert.True(first.Taken && second.Taken);
        Assert.NotEqual(first.Id, second.Id);
        // Both still out: the latest a place frees is when the first one's lease ends.
        Assert.Equal(new RatePlace(null, Lease, MayFreeSooner: true), third);

        store.Time.Advance(TimeSpan.FromMilliseconds(300));
        await budget.GiveBackAsync(first, None);
        Assert.Equal(new RatePlace(null, Window, MayFreeSooner: true), await budget.TryTakePlaceAsync("discord:1:global", 2, Window, Lease, None));

        // A place given back still counts for a whole window: a request answered late may have reached the platform late.
        store.Time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.False((await budget.TryTakePlaceAsync("discord:1:global", 2, Window, Lease, None)).Taken);
        store.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await budget.TryTakePlaceAsync("discord:1:global", 2, Window, Lease, None)).Taken);
    }

    [Fact]
    public async Task A_place_never_given_back_frees_when_its_lease_ends()
    {
        await using var store = await NewStoreAsync();
        var dead = new SqlRateBudget(store.OpenAnotherProcess().Connections, store.Time);
        var alive = new SqlRateBudget(store.Connections, store.Time);

        Assert.True((await dead.TryTakePlaceAsync("discord:1:global", 1, Window, Lease, None)).Taken);

        Assert.False((await alive.TryTakePlaceAsync("discord:1:global", 1, Window, Lease, None)).Taken);
        store.Time.Advance(Lease);
        Assert.True((await alive.TryTakePlaceAsync("discord:1:global", 1, Window, Lease, None)).Taken);
    }

    [Fact]
    public async Task A_hold_keeps_every_place_closed_until_it_ends()
    {
        await using var store = await NewStoreAsync();
        var budget = new SqlRateBudget(store.Connections, store.Time);

        await budget.HoldAsync("discord:1:global", store.Time.GetUtcNow() + TimeSpan.FromSeconds(2), None);

        Assert.Equal(new RatePlace(null, TimeSpan.FromSeconds(2)), await budget.TryTakePlaceAsync("discord:1:global", 50, Window, Lease, None));
        store.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await budget.TryTakePlaceAsync("discord:1:global", 50, Window, Lease, None)).Taken);
    }

    [Fact]
    public async Task Instances_taking_places_together_never_hold_more_than_the_limit()
    {
        await using var store = await NewStoreAsync();
        var instances = new[] { store.Connections, store.OpenAnotherProcess().Connections, store.OpenAnotherProcess().Connections }
            .Select(connections => new SqlRateBudget(connections, store.Time))
            .ToArray();

        var places = await Task.WhenAll(Enumerable.Range(0, 90)
            .Select(i => Task.Run(() => instances[i % instances.Length].TryTakePlaceAsync("discord:1:global", 50, Window, Lease, None))));

        Assert.Equal(50, places.Count(p => p.Taken));
        Assert.Equal(50, places.Where(p => p.Taken).Select(p => p.Id).Distinct().Count());
        Assert.True((await instances[0].TryTakePlaceAsync("discord:1:other", 50, Window, Lease, None)).Taken, "each key has its own places");
    }

    /// <summary>How far the reserved turn lies ahead of the store's (fake, unmoving) clock.</summary>
    private static async Task<TimeSpan> WaitAsync(SqlRateBudget budget, TestStore store, string key, TimeSpan spacing) =>
        await budget.ReserveAsync(key, spacing, None) - store.Time.GetUtcNow();
}
