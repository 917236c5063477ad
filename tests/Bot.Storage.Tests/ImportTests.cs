using Bot.Core.Incidents.Import;
using Bot.Testing;

namespace Bot.Storage.Tests;

public abstract class ImportTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : ImportTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : ImportTests(fixture.Server);

    [Fact]
    public async Task Importing_the_seeds_twice_changes_nothing_the_second_time()
    {
        await using var store = await NewStoreAsync();

        var first = await store.Importer.ImportAsync(RepoPaths.Seeds, CancellationToken.None);
        var second = await store.Importer.ImportAsync(RepoPaths.Seeds, CancellationToken.None);

        Assert.Empty(first.Problems);
        Assert.Equal(12, first.Added);
        Assert.Equal((0, 0, 12), (second.Added, second.Updated, second.Unchanged));
    }

    [Fact]
    public async Task An_edited_file_updates_its_incident()
    {
        await using var store = await NewStoreAsync();
        var folder = CopySeeds(store);
        await store.Importer.ImportAsync(folder, CancellationToken.None);
        var file = Path.Combine(folder, "tiktok.json");
        var edited = IncidentJson.Parse(await File.ReadAllTextAsync(file)) with { Status = "Inquiry report published." };
        await File.WriteAllTextAsync(file, IncidentJson.Serialize(edited));

        var report = await store.Importer.ImportAsync(folder, CancellationToken.None);

        Assert.Equal((0, 1, 11), (report.Added, report.Updated, report.Unchanged));
        Assert.Equal("Inquiry report published.", (await store.Store.GetAsync("tiktok", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_malformed_file_is_reported_by_name_and_the_rest_still_import()
    {
        await using var store = await NewStoreAsync();
        var folder = CopySeeds(store);
        await File.WriteAllTextAsync(Path.Combine(folder, "broken.json"), """{"slug": "broken", "title": """);
        await File.WriteAllTextAsync(Path.Combine(folder, "bad-date.json"),
            """{"slug":"bad-date","title":"t","category":"Cyber","summary":"s","timeline":[{"date":"yesterday","text":"x"}]}""");

        var report = await store.Importer.ImportAsync(folder, CancellationToken.None);

        Assert.Equal(12, report.Added);
        Assert.Equal(2, report.Problems.Count);
        Assert.Contains(report.Problems, p => p.File.EndsWith("broken.json", StringComparison.Ordinal) && p.Reason.Contains("invalid JSON", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.File.EndsWith("bad-date.json", StringComparison.Ordinal) && p.Reason.Contains("yesterday", StringComparison.Ordinal));
        Assert.Null(await store.Store.GetAsync("bad-date", CancellationToken.None));
    }

    [Fact]
    public async Task Two_files_with_the_same_slug_are_reported()
    {
        await using var store = await NewStoreAsync();
        var folder = Directory.CreateDirectory(Path.Combine(store.Folder, "dupes")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.json"), IncidentJson.Serialize(TestIncidents.Make("same")));
        await File.WriteAllTextAsync(Path.Combine(folder, "b.json"), IncidentJson.Serialize(TestIncidents.Make("same")));

        var report = await store.Importer.ImportAsync(folder, CancellationToken.None);

        Assert.Equal(1, report.Added);
        Assert.Contains("already used by a.json", Assert.Single(report.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jsonl_file_imports_one_incident_per_line()
    {
        await using var store = await NewStoreAsync();
        var file = Path.Combine(store.Folder, "bulk.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 50).Select(i => IncidentJson.Serialize(TestIncidents.Make($"bulk-{i}"))).Append(""));

        var report = await store.Importer.ImportAsync(file, CancellationToken.None);
        var again = await store.Importer.ImportAsync(file, CancellationToken.None);

        Assert.Equal(50, report.Added);
        Assert.Equal(50, again.Unchanged);
        Assert.Equal(50, (await store.Store.GetStatsAsync(CancellationToken.None)).Incidents);
    }

    [Fact]
    public async Task A_jsonl_file_with_a_bad_line_imports_nothing_and_names_the_line()
    {
        await using var store = await NewStoreAsync();
        var file = Path.Combine(store.Folder, "bulk.jsonl");
        var lines = Enumerable.Range(1, 10).Select(i => IncidentJson.Serialize(TestIncidents.Make($"bulk-{i}"))).ToList();
        lines.Insert(7, """{"slug":"oops","title":"t","category":"Nonsense","summary":"s"}""");
        await File.WriteAllLinesAsync(file, lines);

        var report = await store.Importer.ImportAsync(file, CancellationToken.None);

        Assert.Equal(0, report.Total);
        Assert.StartsWith("line 8:", Assert.Single(report.Problems).Reason, StringComparison.Ordinal);
        Assert.Equal(0, (await store.Store.GetStatsAsync(CancellationToken.None)).Incidents);
    }

    [Fact]
    public async Task A_missing_path_is_reported()
    {
        await using var store = await NewStoreAsync();

        var report = await store.Importer.ImportAsync(Path.Combine(store.Folder, "nope"), CancellationToken.None);

        Assert.Contains("no such file", Assert.Single(report.Problems).Reason, StringComparison.Ordinal);
    }

    private static string CopySeeds(TestStore store)
    {
        var folder = Directory.CreateDirectory(Path.Combine(store.Folder, "seeds")).FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Seeds, "*.json"))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }
}
