using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Testing;
using Dapper;

namespace Bot.Storage.Tests;

/// <summary>The store is the source of truth: seed files fill it, and never undo what the team wrote.</summary>
public abstract class ContentOwnershipTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : ContentOwnershipTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : ContentOwnershipTests(fixture.Server);

    private static readonly ContentAuthor Alice = new(ContentSource.Chat, "discord", "guild-1", "111", "alice");
    private static readonly ContentAuthor Bob = new(ContentSource.Chat, "slack", "T1", "U2", "bob");

    [Fact]
    public async Task Seeds_fill_an_empty_store_and_update_incidents_nobody_edited()
    {
        await using var store = await NewStoreAsync();
        var seeds = CopySeeds(store);

        var first = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);
        await EditSeedFileAsync(seeds, "tiktok", i => i with { Status = "A new shipped status." });
        var second = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);

        Assert.Equal(12, first.Added);
        Assert.Equal(1, second.Updated);
        Assert.Equal("A new shipped status.", (await store.Store.GetAsync("tiktok", None))!.Status);
    }

    [Fact]
    public async Task A_team_edit_survives_every_later_seed_run_and_the_difference_is_reported_once()
    {
        await using var store = await NewStoreAsync();
        var seeds = CopySeeds(store);
        await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);

        var edit = await store.Editor.EditAsync("balloon", new IncidentFields { Status = "Team's own status." }, null, Alice, None);
        var firstStart = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);
        var secondStart = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);
        await EditSeedFileAsync(seeds, "balloon", i => i with { Summary = i.Summary + " A shipped correction." });
        var newSeedVersion = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);
        var again = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);

        Assert.IsType<EditResult.Done>(edit);
        var notice = Assert.Single(firstStart.KeptTeamVersions);
        Assert.Equal("kept the team's version of balloon; seeds/balloon.json differs", notice.Reason);
        Assert.Empty(secondStart.KeptTeamVersions);
        Assert.Single(newSeedVersion.KeptTeamVersions);
        Assert.Empty(again.KeptTeamVersions);
        var balloon = (await store.Store.GetAsync("balloon", None))!;
        Assert.Equal("Team's own status.", balloon.Status);
        Assert.DoesNotContain("A shipped correction.", balloon.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_running_import_owns_what_they_imported()
    {
        await using var store = await NewStoreAsync();
        var seeds = CopySeeds(store);
        await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);
        var corrected = Path.Combine(store.Folder, "corrected");
        Directory.CreateDirectory(corrected);
        var balloon = IncidentJson.Parse(await File.ReadAllTextAsync(Path.Combine(seeds, "balloon.json"))) with { Status = "Corrected by hand." };
        await File.WriteAllTextAsync(Path.Combine(corrected, "balloon.json"), IncidentJson.Serialize(balloon));

        var imported = await store.Importer.ImportAsync(corrected, None);
        var restartSeeds = await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);

        Assert.Equal(1, imported.Updated);
        Assert.Single(restartSeeds.KeptTeamVersions);
        Assert.Equal("Corrected by hand.", (await store.Store.GetAsync("balloon", None))!.Status);
    }

    [Fact]
    public async Task A_removed_incident_stays_removed_when_seeds_run_and_can_be_restored()
    {
        await using var store = await NewStoreAsync();
        var seeds = CopySeeds(store);
        await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);

        var removed = await store.Editor.RemoveAsync("tiktok", Alice, None);
        await store.Importer.ImportAsync(seeds, ContentAuthor.Seed, None);
        var whileRemoved = await store.Store.GetAsync("tiktok", None);
        var restored = await store.Editor.RestoreAsync("tiktok", Bob, None);

        Assert.IsType<EditResult.Done>(removed);
        Assert.Null(whileRemoved);
        Assert.IsType<EditResult.Done>(restored);
        Assert.NotNull(await store.Store.GetAsync("tiktok", None));
        Assert.Contains(await store.Store.FindByExactNameAsync("tiktok", None), m => m.Slug == "tiktok");
    }

    [Fact]
    public async Task Every_change_is_in_the_history_with_who_what_and_from_where()
    {
        await using var store = await NewStoreAsync(seeded: true);

        await store.Editor.EditAsync("balloon", new IncidentFields { Status = "One." }, null, Alice, None);
        await store.Editor.AddEventAsync("balloon", "2023-02-10", "Debris analysis published.", "https://example.org/a", Bob, None);
        var (history, _) = await store.Editor.HistoryAsync("balloon", None);

        Assert.Equal(["event", "edit", "add"], history.Select(c => c.Action).ToArray());
        var latest = history[0];
        Assert.Equal(("slack", "T1", "U2", "bob"), (latest.Author.Platform, latest.Author.Workspace, latest.Author.UserId, latest.Author.UserName));
        Assert.Equal(ContentSource.Chat, latest.Author.Source);
        Assert.Equal("One.", latest.Before!.Status);
        Assert.Contains(latest.After!.Timeline, e => e.Text == "Debris analysis published." && e.Date == new PartialDate(2023, 2, 10));
        Assert.Equal(ContentSource.Import, history[^1].Author.Source);
    }

    [Fact]
    public async Task Undo_reverts_the_last_change_and_undoing_a_creation_removes_it()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var original = (await store.Store.GetAsync("balloon", None))!.Status;

        await store.Editor.EditAsync("balloon", new IncidentFields { Status = "Wrong." }, null, Alice, None);
        var undo = await store.Editor.UndoAsync("balloon", Bob, None);
        await store.Editor.CreateAsync(new IncidentFields { Title = "Drone over a base", Category = "Airspace", Summary = "A drone flew." }, Alice, None);
        var undoCreate = await store.Editor.UndoAsync("drone-over-a-base", Alice, None);

        Assert.IsType<EditResult.Done>(undo);
        Assert.Equal(original, (await store.Store.GetAsync("balloon", None))!.Status);
        Assert.IsType<EditResult.Done>(undoCreate);
        Assert.Null(await store.Store.GetAsync("drone-over-a-base", None));
    }

    [Fact]
    public async Task The_second_of_two_editors_who_opened_the_same_version_is_told_it_changed_and_nothing_is_lost()
    {
        await using var store = await NewStoreAsync(seeded: true);
        var opened = (await store.Edits.GetAsync("balloon", None))!;

        var first = await store.Editor.EditAsync("balloon", new IncidentFields { Status = "Alice's status." }, opened.Revision, Alice, None);
        var second = await store.Editor.EditAsync("balloon", new IncidentFields { Status = "Bob's status." }, opened.Revision, Bob, None);

        Assert.IsType<EditResult.Done>(first);
        var conflict = Assert.IsType<EditResult.Conflict>(second);
        Assert.Equal("Alice's status.", conflict.Current.Incident.Status);
        Assert.Equal("Alice's status.", (await store.Store.GetAsync("balloon", None))!.Status);
    }

    [Fact]
    public async Task Concurrent_saves_from_many_editors_each_land_or_are_told_and_the_history_holds_every_saved_one()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            store.Editor.AddEventAsync("balloon", "2024", $"Event number {i}.", null, Alice, None))));

        var incident = (await store.Store.GetAsync("balloon", None))!;
        var saved = results.Count(r => r is EditResult.Done);
        Assert.Equal(20, saved + results.Count(r => r is EditResult.Conflict));
        Assert.Equal(saved, incident.Timeline.Count(e => e.Text.StartsWith("Event number", StringComparison.Ordinal)));
        Assert.True(saved >= 1);
    }

    [Theory]
    [InlineData("title", "")]
    [InlineData("category", "Sports")]
    [InlineData("summary", "")]
    public async Task A_new_incident_with_a_bad_field_is_refused_naming_the_field(string field, string value)
    {
        await using var store = await NewStoreAsync(seeded: true);
        var fields = new IncidentFields { Title = "A title", Category = "Cyber", Summary = "Something happened." };
        fields = field switch
        {
            "title" => fields with { Title = value },
            "category" => fields with { Category = value },
            _ => fields with { Summary = value },
        };

        var result = await store.Editor.CreateAsync(fields, Alice, None);

        Assert.Equal(field, Assert.IsType<EditResult.Invalid>(result).Field);
    }

    [Fact]
    public async Task Limits_dates_links_and_taken_slugs_are_refused_with_the_field_named()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var longTitle = await store.Editor.CreateAsync(new IncidentFields { Title = new string('a', 201), Category = "Cyber", Summary = "s" }, Alice, None);
        var longSummary = await store.Editor.EditAsync("balloon", new IncidentFields { Summary = new string('a', 2001) }, null, Alice, None);
        var badDate = await store.Editor.AddEventAsync("balloon", "31/02/2023", "text", null, Alice, None);
        var longEvent = await store.Editor.AddEventAsync("balloon", "2023", new string('e', 501), null, Alice, None);
        var badUrl = await store.Editor.AddSourceAsync("balloon", "javascript:alert(1)", null, Alice, None);
        var taken = await store.Editor.CreateAsync(new IncidentFields { Slug = "balloon", Title = "Another", Category = "Cyber", Summary = "s" }, Alice, None);

        Assert.Equal("title", Assert.IsType<EditResult.Invalid>(longTitle).Field);
        Assert.Equal("summary", Assert.IsType<EditResult.Invalid>(longSummary).Field);
        Assert.Equal("date", Assert.IsType<EditResult.Invalid>(badDate).Field);
        Assert.Equal("text", Assert.IsType<EditResult.Invalid>(longEvent).Field);
        Assert.Equal("url", Assert.IsType<EditResult.Invalid>(badUrl).Field);
        Assert.Equal("slug", Assert.IsType<EditResult.Invalid>(taken).Field);
    }

    [Fact]
    public async Task An_unknown_incident_gets_suggestions_instead_of_a_fuzzy_edit()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var result = await store.Editor.AddSourceAsync("baloon", "https://example.org/x", null, Alice, None);

        var notFound = Assert.IsType<EditResult.NotFound>(result);
        Assert.Contains("balloon", notFound.Suggestions);
        Assert.DoesNotContain(await store.Store.GetAsync("balloon", None) is { } b ? b.Sources : [], s => s.Url == "https://example.org/x");
    }

    [Fact]
    public async Task Markup_mentions_and_control_characters_are_stored_as_plain_text()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var result = await store.Editor.CreateAsync(new IncidentFields
        {
            Title = "<b>Bold</b> @everyone <!channel> *star*\u0007\r\nnext \ud800",
            Category = "cyber",
            Summary = "Line one\nline two\u0000",
        }, Alice, None);

        var done = Assert.IsType<EditResult.Done>(result);
        var stored = (await store.Store.GetAsync(done.Incident!.Slug, None))!;
        Assert.Equal("<b>Bold</b> @everyone <!channel> *star* next \uFFFD", stored.Title);
        Assert.Equal("Line one\nline two", stored.Summary);
        Assert.Equal("Cyber", stored.Category);
        Assert.Equal("b-bold-b-everyone-channel-star-next", stored.Slug);
    }

    [Fact]
    public async Task An_edit_is_searchable_at_once_by_its_new_words()
    {
        await using var store = await NewStoreAsync(seeded: true);

        await store.Editor.EditAsync("balloon", new IncidentFields { Aliases = "zeppelin affair" }, null, Alice, None);

        Assert.Contains(await store.Store.FindByExactNameAsync("zeppelin affair", None), m => m.Slug == "balloon");
        Assert.Contains(await store.Store.SearchNamesAsync(["zeppelin"], matchAll: true, 10, None), m => m.Slug == "balloon");
        Assert.Contains(await store.Store.FindSimilarNamesAsync("zepelin affair", 10, None), m => m.Slug == "balloon");
    }

    [Fact]
    public async Task An_edit_is_seen_by_another_process_on_the_same_file_within_a_second()
    {
        await using var store = await NewStoreAsync(seeded: true);
        // Another process: its own database object (so none of this one's local change counts), its own clock.
        var other = store.OpenAnotherProcess();
        var otherClock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(store.Time.GetUtcNow());
        var otherVersion = other.ContentVersion(otherClock);
        var otherStore = other.Store;
        var before = otherVersion.Current;
        _ = (await otherStore.GetAsync("balloon", None))!.Status;

        await store.Editor.EditAsync("balloon", new IncidentFields { Status = "Seen elsewhere." }, null, Alice, None);
        otherClock.Advance(TimeSpan.FromSeconds(1));

        Assert.NotEqual(before, otherVersion.Current);
        Assert.Equal("Seen elsewhere.", (await otherStore.GetAsync("balloon", None))!.Status);
    }

    private static string CopySeeds(TestStore store)
    {
        var folder = Path.Combine(store.Folder, "seeds");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Seeds, "*.json"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    private static async Task EditSeedFileAsync(string folder, string slug, Func<Incident, Incident> change)
    {
        var file = Path.Combine(folder, slug + ".json");
        await File.WriteAllTextAsync(file, IncidentJson.Serialize(change(IncidentJson.Parse(await File.ReadAllTextAsync(file)))));
    }
}

public abstract class ExportTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : ExportTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : ExportTests(fixture.Server);

    [Fact]
    public async Task Export_then_import_into_an_empty_store_gives_back_every_incident_exactly()
    {
        await using var source = await NewStoreAsync(seeded: true);
        await source.Editor.AddEventAsync("balloon", "2024-02-04", "A year on: “quotes”, <tags> & emoji 🎈", null, new ContentAuthor(ContentSource.Cli), CancellationToken.None);
        await using var target = await NewStoreAsync();
        var file = Path.Combine(target.Folder, "export.jsonl");

        int exported;
        await using (var writer = new StreamWriter(file))
            exported = await new Core.Incidents.Editing.IncidentExporter(source.Documents).ExportAsync(writer, CancellationToken.None);
        var imported = await target.Importer.ImportAsync(file, CancellationToken.None);

        Assert.Equal(12, exported);
        Assert.Equal(12, imported.Added);
        foreach (var summary in await source.Store.ListAsync(null, CancellationToken.None))
        {
            var before = (await source.Store.GetAsync(summary.Slug, CancellationToken.None))!;
            var after = (await target.Store.GetAsync(summary.Slug, CancellationToken.None))!;
            Assert.Equal(IncidentJson.Serialize(before), IncidentJson.Serialize(after));
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Core.Incidents.IncidentCards.Card(before)),
                System.Text.Json.JsonSerializer.Serialize(Core.Incidents.IncidentCards.Card(after)));
        }
    }

    [Fact]
    public async Task Ten_thousand_generated_incidents_survive_export_and_import_document_for_document()
    {
        await using var source = await NewStoreAsync();
        var file = Path.Combine(source.Folder, "generated.jsonl");
        var categories = IncidentJson.Categories.Order().ToArray();
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 10_000).Select(i => IncidentJson.Serialize(
            TestIncidents.Make($"generated-{i}", $"Generated incident {i} “quoted” & <tagged> 🎈", categories[i % categories.Length], $"alias {i}") with
            {
                Status = i % 3 == 0 ? null : $"Status {i}",
                Timeline = [new(new Core.Incidents.PartialDate(2000 + i % 25, 1 + i % 12, 1 + i % 28), $"Event {i}."), new(new Core.Incidents.PartialDate(2024), "A year-only event.")],
            })));
        await source.Importer.ImportAsync(file, CancellationToken.None);
        await using var target = await NewStoreAsync();
        var export = Path.Combine(target.Folder, "export.jsonl");

        await using (var writer = new StreamWriter(export))
            await new Core.Incidents.Editing.IncidentExporter(source.Documents).ExportAsync(writer, CancellationToken.None);
        var imported = await target.Importer.ImportAsync(export, CancellationToken.None);

        Assert.Equal(10_000, imported.Added);
        Assert.Empty(imported.Problems);
        var again = new StringWriter();
        await new Core.Incidents.Editing.IncidentExporter(target.Documents).ExportAsync(again, CancellationToken.None);
        Assert.Equal(await File.ReadAllTextAsync(export), again.ToString());
        foreach (var slug in new[] { "generated-0", "generated-4242", "generated-9999" })
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(Core.Incidents.IncidentCards.Card((await source.Store.GetAsync(slug, CancellationToken.None))!)),
                System.Text.Json.JsonSerializer.Serialize(Core.Incidents.IncidentCards.Card((await target.Store.GetAsync(slug, CancellationToken.None))!)));
    }
}

/// <summary>SQLite's own backup; on PostgreSQL, `bot backup` points at pg_dump instead.</summary>
public class SqliteBackupTests
{
    [Fact]
    public async Task A_backup_taken_while_a_writer_is_busy_is_a_whole_owner_only_database()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        var backup = Path.Combine(store.Folder, "backups", "copy.db");
        using var stop = new CancellationTokenSource();
        var writes = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
                await store.Editor.AddEventAsync("tiktok", "2024", $"Busy writer {i++}.", null, new ContentAuthor(ContentSource.Cli), CancellationToken.None);
            return i;
        });

        await Task.Delay(50);
        await new SqliteBackup(store.Database).BackupAsync(backup, CancellationToken.None);
        await stop.CancelAsync();
        var written = await writes;

        var copy = new SqliteDatabase(backup, readOnly: true);
        await using var connection = await copy.OpenAsync(CancellationToken.None);
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        Assert.Equal(12, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM incidents"));
        var copied = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM incident_changes WHERE slug = 'tiktok' AND action = 'event'");
        Assert.InRange(copied, 0, written);
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnlyFiles.FileMode, File.GetUnixFileMode(backup));
        await Assert.ThrowsAsync<IOException>(() => new SqliteBackup(store.Database).BackupAsync(backup, CancellationToken.None));
    }
}
