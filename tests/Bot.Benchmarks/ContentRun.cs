using System.Diagnostics;
using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Storage;

namespace Bot.Benchmarks;

/// <summary>
/// "content": how soon an edit made in chat shows in the next /incident and /ask (save, then both
/// answers, timed together), over the seed store and over the N-incident store; then export and
/// import of the N-incident store.
/// </summary>
public static class ContentRun
{
    private static readonly ContentAuthor Editor = new(ContentSource.Chat, "bench", "w", "u", "bench");

    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var edits = args.Number("--edits", 200);
        Console.WriteLine("| store | edits | save median | save → next /incident and /ask, median | p90 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        await EditVisibilityAsync("seeds (12)", await SeedStoreAsync(settings), edits);
        await EditVisibilityAsync($"{settings.Count:N0} generated + seeds", await LargeStoreCopyAsync(settings), edits);
        if (!args.Flag("--no-export")) await ExportImportAsync(settings);
        return 0;
    }

    private static async Task EditVisibilityAsync(string label, string database, int edits)
    {
        await using var services = await BotServices.CreateAsync(database);
        var editor = services.Get<IncidentEditor>();
        var router = services.Get<CommandRouter>();
        var context = new ChatContext { Platform = "bench", Workspace = "w", Channel = "c", User = "u", CanEditContent = true };
        // Warm the caches and the engine as a running host would have them.
        await router.HandleAsync(new ChatRequest("incident balloon", context), CancellationToken.None);
        await router.HandleAsync(new ChatRequest("ask when was the balloon shot down", context), CancellationToken.None);

        var saves = new List<double>(edits);
        var visible = new List<double>(edits);
        for (var i = 0; i < edits; i++)
        {
            var status = $"Bench status {i} zebracorn{i}";
            var watch = Stopwatch.StartNew();
            var result = await editor.EditAsync("balloon", new IncidentFields { Status = status }, null, Editor, CancellationToken.None);
            var saved = watch.Elapsed.TotalMilliseconds;
            var card = await router.HandleAsync(new ChatRequest("incident balloon", context), CancellationToken.None);
            var answer = await router.HandleAsync(new ChatRequest($"ask what is the balloon's status zebracorn{i}", context), CancellationToken.None);
            watch.Stop();
            if (result is not EditResult.Done || !card.Fields.Any(f => f.Value == status))
                throw new InvalidOperationException($"edit {i} was not visible in the next card");
            _ = answer;
            saves.Add(saved);
            visible.Add(watch.Elapsed.TotalMilliseconds);
        }

        var save = TimingStats.From(saves);
        var seen = TimingStats.From(visible);
        Console.WriteLine($"| {label} | {edits} | {save.Median:F1} ms | {seen.Median:F1} ms | {seen.P90:F1} ms | {seen.P99:F1} ms |");
    }

    private static async Task ExportImportAsync(BenchSettings settings)
    {
        var source = await LargeStoreCopyAsync(settings);
        var export = Path.Combine(settings.Directory, $"export-{Environment.ProcessId}.jsonl");
        var target = Path.Combine(settings.Directory, $"export-import-{Environment.ProcessId}.db");
        BenchFiles.DeleteDatabase(target);
        try
        {
            int count;
            var watch = Stopwatch.StartNew();
            await using (var services = await BotServices.CreateAsync(source))
            await using (var writer = new StreamWriter(export))
                count = await services.Get<IncidentExporter>().ExportAsync(writer, CancellationToken.None);
            var exported = watch.Elapsed;
            watch.Restart();
            ImportReport report;
            await using (var services = await BotServices.CreateAsync(target))
                report = await services.Get<IncidentImporter>().ImportAsync(export, CancellationToken.None);
            var imported = watch.Elapsed;
            Console.WriteLine();
            Console.WriteLine($"Export of {count:N0} incidents: {exported.TotalSeconds:F1} s ({new FileInfo(export).Length / 1e6:F0} MB); import of the export into an empty store: {imported.TotalSeconds:F1} s ({report.Added:N0} added)");
        }
        finally
        {
            File.Delete(export);
            BenchFiles.DeleteDatabase(target);
            BenchFiles.DeleteDatabase(source);
        }
    }

    private static async Task<string> SeedStoreAsync(BenchSettings settings)
    {
        var database = Path.Combine(settings.Directory, $"content-seeds-{Environment.ProcessId}.db");
        BenchFiles.DeleteDatabase(database);
        await using var services = await BotServices.CreateAsync(database);
        await services.Get<IncidentImporter>().ImportAsync(Path.Combine(BenchFiles.RepositoryRoot(), "seeds"), ContentAuthor.Seed, CancellationToken.None);
        return database;
    }

    /// <summary>A copy of the cached large store with the seeds added, so edits never touch the cache.</summary>
    private static async Task<string> LargeStoreCopyAsync(BenchSettings settings)
    {
        var large = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
        var copy = Path.Combine(settings.Directory, $"content-large-{Environment.ProcessId}-{Guid.NewGuid():N}.db");
        await using (var services = await BotServices.CreateAsync(large))
            await services.Get<SqliteBackup>().BackupAsync(copy, CancellationToken.None);
        await using (var services = await BotServices.CreateAsync(copy))
            await services.Get<IncidentImporter>().ImportAsync(Path.Combine(BenchFiles.RepositoryRoot(), "seeds"), ContentAuthor.Seed, CancellationToken.None);
        return copy;
    }
}
