using Bot.Core.Incidents;
using Bot.Core.Text;
using Bot.Testing;
using Dapper;

namespace Bot.Storage.Tests;

public abstract class IncidentStoreTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : IncidentStoreTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : IncidentStoreTests(fixture.Server);

    [Fact]
    public async Task An_incident_reads_back_exactly_as_written()
    {
        await using var store = await NewStoreAsync();
        var incident = TestIncidents.Make("round-trip", "Round trip", "Cyber", "rt alias") with
        {
            Quotes = [new Quote("short words", "Someone", null)],
            Timeline = [new TimelineEvent(new PartialDate(2022, 11), "Month event."), new TimelineEvent(new PartialDate(2023, 2, 4), "Day event.")],
        };

        Assert.Equal(UpsertOutcome.Added, await store.UpsertAsync(incident));
        var read = await store.Store.GetAsync("round-trip", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(Core.Incidents.Import.IncidentJson.Serialize(incident), Core.Incidents.Import.IncidentJson.Serialize(read));
    }

    [Fact]
    public async Task Writing_the_same_incident_again_is_a_no_op()
    {
        await using var store = await NewStoreAsync();
        var incident = TestIncidents.Make("same");
        await store.UpsertAsync(incident);
        var before = await UpdatedAt(store, "same");
        store.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(UpsertOutcome.Unchanged, await store.UpsertAsync(incident));
        Assert.Equal(before, await UpdatedAt(store, "same"));
    }

    [Fact]
    public async Task The_full_text_index_follows_every_write()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("fts") with { Facts = ["The zeppelin drifted east."] });
        Assert.Equal(1, await CountMatches(store, "zeppelin"));

        await store.UpsertAsync(TestIncidents.Make("fts") with { Facts = ["The dirigible drifted west."] });

        Assert.Equal(0, await CountMatches(store, "zeppelin"));
        Assert.Equal(1, await CountMatches(store, "dirigible"));
        // Porter stemming: "drifting" finds "drifted".
        Assert.Equal(1, await CountMatches(store, "drifting"));
    }

    [Fact]
    public async Task Names_are_reindexed_when_aliases_change()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("renamed", "Renamed incident", "Cyber", "old name"));
        await store.UpsertAsync(TestIncidents.Make("renamed", "Renamed incident", "Cyber", "new name"));

        Assert.Empty(await store.Store.FindByExactNameAsync("old name", CancellationToken.None));
        Assert.Single(await store.Store.FindByExactNameAsync("new name", CancellationToken.None));
        Assert.Empty(await store.Store.SearchNamesAsync(["old"], matchAll: true, 10, CancellationToken.None));
        Assert.Empty(await store.Store.FindSimilarNamesAsync("old nam", 10, CancellationToken.None)
            .ContinueWith(t => t.Result.Where(m => TextNormalizer.Normalize(m.MatchedName) == "old name").ToList()));
    }

    [Fact]
    public async Task A_slug_beats_an_alias_spelled_the_same()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("balloon", "The balloon"));
        await store.UpsertAsync(TestIncidents.Make("weather", "Weather", "Airspace", "balloon"));

        var matches = await store.Store.FindByExactNameAsync("balloon", CancellationToken.None);

        Assert.Equal("balloon", Assert.Single(matches).Slug);
    }

    [Fact]
    public async Task Events_on_a_day_only_include_day_precise_events()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var events = await store.Store.EventsOnDayAsync(2, 4, CancellationToken.None);

        Assert.All(events, e => Assert.Equal(DatePrecision.Day, e.Event.Date.Precision));
        Assert.Contains(events, e => e.Slug == "balloon");
    }

    [Fact]
    public async Task Stats_count_incidents_and_day_precise_events()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var stats = await store.Store.GetStatsAsync(CancellationToken.None);

        var seeds = Directory.GetFiles(RepoPaths.Seeds, "*.json").Select(f => Core.Incidents.Import.IncidentJson.Parse(File.ReadAllText(f))).ToList();
        Assert.Equal(seeds.Count, stats.Incidents);
        Assert.Equal(seeds.Sum(i => i.Timeline.Count(e => e.Date.Precision == DatePrecision.Day)), stats.DatedEvents);
    }

    [Fact]
    public async Task Deleting_an_incident_cascades_to_every_derived_row()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("gone") with { Facts = ["The zeppelin drifted east."] });
        await using var connection = await store.Connections.OpenAsync(CancellationToken.None);

        await connection.ExecuteAsync("DELETE FROM incidents WHERE slug = 'gone'");

        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM passages"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM incident_names"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM timeline_events"));
        Assert.Equal(0, await CountMatches(store, "zeppelin"));
        Assert.Empty(await store.Store.FindSimilarNamesAsync("gone", 10, CancellationToken.None));
    }

    private static async Task<DateTimeOffset> UpdatedAt(TestStore store, string slug)
    {
        await using var connection = await store.Connections.OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<DateTimeOffset>("SELECT updated_at FROM incidents WHERE slug = @slug", new { slug });
    }

    /// <summary>Passages the provider's full-text index finds for the word.</summary>
    internal static async Task<int> CountMatches(TestStore store, string word) =>
        (await store.Passages.SearchAsync([word], [], 100, CancellationToken.None)).Count;
}

public abstract class WriterBatchTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : WriterBatchTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : WriterBatchTests(fixture.Server);

    [Fact]
    public async Task The_same_incident_written_twice_in_one_batch_leaves_the_index_consistent()
    {
        await using var store = await NewStoreAsync();
        await using (var writer = await store.Writers.BeginAsync(CancellationToken.None))
        {
            await writer.UpsertAsync(TestIncidents.Make("twice") with { Facts = ["The zeppelin drifted east."] }, CancellationToken.None);
            await writer.UpsertAsync(TestIncidents.Make("twice") with { Facts = ["The dirigible drifted west."] }, CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(0, await IncidentStoreTests.CountMatches(store, "zeppelin"));
        Assert.Equal(1, await IncidentStoreTests.CountMatches(store, "dirigible"));
        if (store.Provider != StorageProvider.Sqlite) return;
        // FTS5 external-content indexes can drift from their table; PostgreSQL's generated columns cannot.
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')");
        await connection.ExecuteAsync("INSERT INTO incident_names_words (incident_names_words) VALUES ('integrity-check')");
        await connection.ExecuteAsync("INSERT INTO incident_names_trigrams (incident_names_trigrams) VALUES ('integrity-check')");
    }

    [Fact]
    public async Task A_rolled_back_batch_leaves_nothing_in_the_index()
    {
        await using var store = await NewStoreAsync();
        await using (var writer = await store.Writers.BeginAsync(CancellationToken.None))
            await writer.UpsertAsync(TestIncidents.Make("never") with { Facts = ["The zeppelin drifted east."] }, CancellationToken.None);

        Assert.Equal(0, await IncidentStoreTests.CountMatches(store, "zeppelin"));
        Assert.Null(await store.Store.GetAsync("never", CancellationToken.None));
    }
}

public abstract class ParsedCacheTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : ParsedCacheTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : ParsedCacheTests(fixture.Server);

    [Fact]
    public async Task A_cached_incident_is_refreshed_when_another_writer_changes_it_and_forgotten_when_deleted()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("cached") with { Status = "first" });
        Assert.Equal("first", (await store.Store.GetAsync("cached", CancellationToken.None))!.Status);

        // A second store on the same file stands in for another process importing.
        var other = store.OpenAnotherProcess();
        await using (var writer = await other.Writers.BeginAsync(CancellationToken.None))
        {
            await writer.UpsertAsync(TestIncidents.Make("cached") with { Status = "second" }, CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        Assert.Equal("second", (await store.Store.GetAsync("cached", CancellationToken.None))!.Status);

        await using (var connection = await other.Connections.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("DELETE FROM incidents WHERE slug = 'cached'");
        Assert.Null(await store.Store.GetAsync("cached", CancellationToken.None));
        Assert.Null(await store.Store.GetAsync("never-there", CancellationToken.None));
    }
}

public abstract class ContentVersionTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : ContentVersionTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : ContentVersionTests(fixture.Server);

    [Fact]
    public async Task The_version_moves_on_this_process_writes_and_on_another_connections_commits()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var version = store.ContentVersion(store.Time);
        var first = version.Current;

        await store.UpsertAsync(TestIncidents.Make("new-one"));
        var afterLocal = version.Current;
        Assert.NotEqual(first, afterLocal);

        // Another process: a connection outside this process's writers, then more than a second later.
        await using (var other = await store.OpenAnotherProcess().Connections.OpenAsync(CancellationToken.None))
            await other.ExecuteAsync("UPDATE incidents SET title = 'Changed elsewhere' WHERE slug = 'balloon'");

        store.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotEqual(afterLocal, version.Current);
        (version as IDisposable)?.Dispose();
    }
}
