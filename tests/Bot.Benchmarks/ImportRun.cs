using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Bot.Core.Text;
using Bot.Storage;

namespace Bot.Benchmarks;

/// <summary>
/// "import": <see cref="IncidentImporter.ImportAsync"/> of the generated JSONL into a fresh database, in-process,
/// timed with a Stopwatch while a sampler thread records the resident set and the GC heap.
/// </summary>
public static class ImportRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var jsonl = await BenchFiles.EnsureJsonLinesAsync(settings, Console.Out);
        Console.WriteLine($"Input: {jsonl} ({new FileInfo(jsonl).Length / 1e6:F0} MB, {settings.Count:N0} incidents)");
        Console.WriteLine($"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {System.Runtime.GCSettings.LatencyMode}");

        if (args.Flag("--breakdown")) await BreakdownAsync(jsonl);

        var database = Path.Combine(settings.Directory, $"import-run-{Environment.ProcessId}.db");
        BenchFiles.DeleteDatabase(database);
        try
        {
            await using var services = await BotServices.CreateAsync(database);
            var importer = services.Get<IncidentImporter>();
            // What-ifs change the database around the unchanged importer, to size a change in src before making it.
            var whatIfs = (args.Value("--what-if") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (whatIfs.Except(["bulk-fts", "cache64m", "fts-hash64m"]).FirstOrDefault() is { } unknown)
                throw new ArgumentException($"unknown --what-if '{unknown}' (known: bulk-fts, cache64m, fts-hash64m)");
            if (whatIfs.Contains("fts-hash64m")) await SetFtsHashSizeAsync(services.Get<SqliteDatabase>(), 64 << 20);
            var droppedTriggers = whatIfs.Contains("bulk-fts") ? await DropFtsInsertTriggersAsync(services.Get<SqliteDatabase>()) : [];
            if (whatIfs.Contains("cache64m")) await SetPooledCacheSizeAsync(services.Get<SqliteDatabase>(), -65536);

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var baselineRss = ProcessMemory.CurrentRss();
            var resetPeak = ProcessMemory.TryResetPeakRss();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

            ImportReport report;
            var watch = Stopwatch.StartNew();
            using (var sampler = new MemorySampler(TimeSpan.FromMilliseconds(25)))
            {
                report = await importer.ImportAsync(jsonl, CancellationToken.None);
                var fillStart = watch.Elapsed;
                if (droppedTriggers.Count > 0) await FillFtsAsync(services.Get<SqliteDatabase>(), droppedTriggers);
                watch.Stop();
                if (droppedTriggers.Count > 0)
                    Console.WriteLine($"What-if bulk-fts: rows {fillStart.TotalSeconds:F1} s, FTS5 bulk fill {(watch.Elapsed - fillStart).TotalSeconds:F1} s (both in the import time below)");
                sampler.Dispose();
                var peakRss = resetPeak ? ProcessMemory.PeakRss() : null;
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

                Console.WriteLine();
                Console.WriteLine($"Imported: {report.Added:N0} added, {report.Updated:N0} updated, {report.Unchanged:N0} unchanged, {report.Problems.Count} problems");
                foreach (var problem in report.Problems.Take(5)) Console.WriteLine($"  {problem}");
                Console.WriteLine();
                Console.WriteLine("| measure | value |");
                Console.WriteLine("|---|---:|");
                Console.WriteLine($"| import time | {watch.Elapsed.TotalSeconds:F1} s |");
                Console.WriteLine($"| throughput | {report.Total / watch.Elapsed.TotalSeconds:N0} incidents/s |");
                Console.WriteLine($"| resident set before import | {ProcessMemory.Mb(baselineRss)} |");
                Console.WriteLine($"| peak resident set (sampled every 25 ms) | {ProcessMemory.Mb(sampler.MaxWorkingSet)} |");
                if (peakRss is { } peak) Console.WriteLine($"| peak resident set (VmHWM, reset before import) | {ProcessMemory.Mb(peak)} |");
                Console.WriteLine($"| peak GC heap (live + garbage not yet collected) | {ProcessMemory.Mb(sampler.MaxGcHeap)} |");
                Console.WriteLine($"| peak GC committed | {ProcessMemory.Mb(sampler.MaxGcCommitted)} |");
                Console.WriteLine($"| allocated during import | {allocated / 1e9:F1} GB ({allocated / Math.Max(1, report.Total) / 1024.0:F0} KB per incident) |");
                Console.WriteLine($"| GCs gen0/gen1/gen2 | {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3} |");
                Console.WriteLine($"| database after import (db + wal) | {BenchFiles.DatabaseBytes(database) / 1e6:F0} MB |");
            }

            return report.Problems.Count == 0 && report.Added == settings.Count ? 0 : 1;
        }
        finally
        {
            if (!args.Flag("--keep")) BenchFiles.DeleteDatabase(database);
        }
    }

    /// <summary>The FTS5 tables of 0001_incidents.sql with their external content table and indexed column.</summary>
    private static readonly (string Table, string Content, string Column)[] Fts =
    [
        ("incident_names_words", "incident_names", "normalized"),
        ("incident_names_trigrams", "incident_names", "normalized"),
        ("passages_fts", "passages", "text"),
    ];

    private static readonly string[] FtsTables = Fts.Select(f => f.Table).ToArray();

    /// <summary>
    /// What-if only, never the real import: drops the AFTER INSERT triggers that keep the FTS5 tables in step row by
    /// row, so the import writes plain rows; <see cref="FillFtsAsync"/> then indexes everything in one pass.
    /// </summary>
    private static async Task<List<(string Name, string Sql)>> DropFtsInsertTriggersAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var triggers = new List<(string, string)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_ai' ESCAPE '\\'";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) triggers.Add((reader.GetString(0), reader.GetString(1)));
        }

        foreach (var (name, _) in triggers)
        {
            await using var drop = connection.CreateCommand();
            drop.CommandText = $"DROP TRIGGER {name}";
            await drop.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"What-if bulk-fts: dropped {string.Join(", ", triggers.Select(t => t.Item1))}; FTS5 is filled in one pass after the import");
        return triggers;
    }

    /// <summary>
    /// What-if only: PRAGMA cache_size is per connection and survives in the pool, so setting it on the one idle
    /// pooled connection hands it to the writer the importer opens next.
    /// </summary>
    private static async Task SetPooledCacheSizeAsync(SqliteDatabase database, int cacheSize)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA cache_size = {cacheSize}";
        await command.ExecuteNonQueryAsync();
        Console.WriteLine($"What-if cache64m: PRAGMA cache_size = {cacheSize} on the pooled connection the writer will get");
    }

    /// <summary>What-if only: FTS5's 'hashsize' (pending terms kept in memory before a segment is written; default 1 MB) is stored in the table's config.</summary>
    private static async Task SetFtsHashSizeAsync(SqliteDatabase database, int bytes)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        foreach (var table in FtsTables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {bytes})";
            await command.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"What-if fts-hash64m: FTS5 hashsize = {bytes} on {string.Join(", ", FtsTables)}");
    }

    private static async Task FillFtsAsync(SqliteDatabase database, List<(string Name, string Sql)> triggers)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync();
        // Not FTS5's 'rebuild': it scans the content table in no set order, and for incident_names SQLite picks the
        // covering index on normalized, so rowids reach FTS5 out of order and it flushes a segment at every step back
        // (5-9 s per names table instead of about 1 s). An explicit ORDER BY id keeps them ascending.
        var statements = Fts.Select(f => $"INSERT INTO {f.Table} (rowid, {f.Column}) SELECT id, {f.Column} FROM {f.Content} ORDER BY id");
        foreach (var sql in statements.Concat(triggers.Select(t => t.Sql)))
        {
            var start = Stopwatch.GetTimestamp();
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
            if (sql.StartsWith("INSERT", StringComparison.Ordinal))
                Console.WriteLine($"What-if bulk-fts: {sql} took {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s");
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// The CPU-side stages of an import, each over the whole file on its own: what is left of the import
    /// time after these is SQLite (inserts, indexes, FTS5 triggers).
    /// </summary>
    private static async Task BreakdownAsync(string jsonl)
    {
        Console.WriteLine();
        Console.WriteLine("Breakdown (each stage over the whole file, no database):");
        var lines = 0;
        var watch = Stopwatch.StartNew();
        using (var reader = new StreamReader(jsonl, Encoding.UTF8))
            while (await reader.ReadLineAsync() is not null) lines++;
        var read = watch.Elapsed;

        var incidents = new List<Incident>(lines);
        watch.Restart();
        using (var reader = new StreamReader(jsonl, Encoding.UTF8))
            while (await reader.ReadLineAsync() is { } line) incidents.Add(IncidentJson.Parse(line));
        var parse = watch.Elapsed - read;

        watch.Restart();
        long bytes = 0;
        foreach (var incident in incidents)
            bytes += SHA256.HashData(Encoding.UTF8.GetBytes(IncidentJson.Serialize(incident)))[0];
        var serialize = watch.Elapsed;

        watch.Restart();
        var names = 0;
        foreach (var incident in incidents)
            foreach (var name in incident.Aliases.Prepend(incident.Title).Prepend(incident.Slug))
                names += TextNormalizer.Normalize(name, 300).Length > 0 ? 1 : 0;
        var normalize = watch.Elapsed;
        GC.KeepAlive(bytes);

        Console.WriteLine($"| stage | time |");
        Console.WriteLine($"|---|---:|");
        Console.WriteLine($"| read lines | {read.TotalSeconds:F2} s |");
        Console.WriteLine($"| IncidentJson.Parse | {parse.TotalSeconds:F2} s |");
        Console.WriteLine($"| IncidentJson.Serialize + SHA-256 (writer's content hash) | {serialize.TotalSeconds:F2} s |");
        Console.WriteLine($"| TextNormalizer on {names:N0} names | {normalize.TotalSeconds:F2} s |");
        incidents.Clear();
        incidents.TrimExcess();
        Console.WriteLine("(The breakdown held every incident in memory: run without --breakdown for the memory figures.)");
    }

    /// <summary>"import --via-cli": the real <c>bot import file.jsonl</c> process (server GC, host, logging), peak RSS polled from /proc.</summary>
    public static int RunViaCli(BenchSettings settings, Arguments args)
    {
        var jsonl = BenchFiles.EnsureJsonLinesAsync(settings, Console.Out).GetAwaiter().GetResult();
        var root = BenchFiles.RepositoryRoot();
        var bot = CliRun.BotExecutable(root);
        var database = Path.Combine(settings.Directory, $"import-cli-{Environment.ProcessId}.db");
        BenchFiles.DeleteDatabase(database);
        try
        {
            Console.WriteLine($"Running {Path.GetRelativePath(root, bot)} import {jsonl} …");
            var run = ProcessRunner.Run(bot, ["import", jsonl], root, new Dictionary<string, string> { ["Storage__Path"] = database }, TimeSpan.FromMilliseconds(50));
            Console.Write(run.Output);
            Console.Write(run.Error);
            Console.WriteLine();
            Console.WriteLine("| measure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| `bot import` wall time | {run.Elapsed.TotalSeconds:F1} s |");
            Console.WriteLine($"| `bot import` peak resident set (VmHWM) | {(run.PeakRss is { } p ? ProcessMemory.Mb(p) : "n/a")} |");
            Console.WriteLine($"| exit code | {run.ExitCode} |");
            return run.ExitCode;
        }
        finally
        {
            if (!args.Flag("--keep")) BenchFiles.DeleteDatabase(database);
        }
    }
}
