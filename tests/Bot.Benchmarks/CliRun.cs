namespace Bot.Benchmarks;

/// <summary>
/// "cli": the built <c>bot</c> executable as a whole process, from the repository root (so it finds seeds/ and
/// config/), with Storage__Path pointing at a temporary database. Wall time from process start to exit.
/// </summary>
public static class CliRun
{
    public static string BotExecutable(string root)
    {
        var bot = Path.Combine(root, "src", "Bot", "bin", "Release", "net10.0", OperatingSystem.IsWindows() ? "bot.exe" : "bot");
        if (!File.Exists(bot))
            throw new InvalidOperationException($"{bot} does not exist: build it with `dotnet build src/Bot -c Release` (or pass --build).");
        return bot;
    }

    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var root = BenchFiles.RepositoryRoot();
        if (args.Flag("--build"))
        {
            Console.WriteLine("dotnet build src/Bot/Bot.csproj -c Release …");
            var build = ProcessRunner.Run("dotnet", ["build", Path.Combine(root, "src", "Bot", "Bot.csproj"), "-c", "Release", "-v", "q", "-nologo"], root,
                new Dictionary<string, string>());
            if (build.ExitCode != 0)
            {
                Console.Write(build.Output);
                Console.Write(build.Error);
                return build.ExitCode;
            }
        }

        var bot = BotExecutable(root);
        var runs = args.Number("--runs", 10);
        var query = args.Text("--query", "balloon");
        Console.WriteLine($"Executable: {Path.GetRelativePath(root, bot)} (built {File.GetLastWriteTime(bot):yyyy-MM-dd HH:mm:ss}), working directory {root}");
        Directory.CreateDirectory(settings.Directory);

        var rows = new List<string>();
        var exitCode = 0;

        // The floor: runtime start-up and argument parsing, no host, no store.
        var help = Measure(bot, ["--help"], root, null, Math.Max(3, runs / 2), out _);
        rows.Add(Row("`bot --help` (start-up floor, no store)", help.Runs, help.Stats, help.PeakRss));

        var database = Path.Combine(settings.Directory, $"cli-{Environment.ProcessId}.db");
        BenchFiles.DeleteDatabase(database);
        try
        {
            var small = Measure(bot, ["incident", .. query.Split(' ')], root, database, runs, out var first);
            rows.Add(Row($"`bot incident {query}`, first run on a new database (migrate + seed {SeedCount(root)} files)", 1, TimingStats.From([first.Elapsed.TotalMilliseconds]), first.PeakRss));
            rows.Add(Row($"`bot incident {query}`, seeded database", small.Runs, small.Stats, small.PeakRss));
            if (small.Failures > 0) exitCode = 1;
        }
        finally
        {
            BenchFiles.DeleteDatabase(database);
        }

        if (args.Flag("--large"))
        {
            var source = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
            var copy = Path.Combine(settings.Directory, $"cli-large-{Environment.ProcessId}.db");
            BenchFiles.DeleteDatabase(copy);
            try
            {
                File.Copy(source, copy);
                var large = Measure(bot, ["incident", .. query.Split(' ')], root, copy, runs, out _);
                rows.Add(Row($"`bot incident {query}`, store of {settings.Count:N0} incidents + seeds", large.Runs, large.Stats, large.PeakRss));
                if (large.Failures > 0) exitCode = 1;
            }
            finally
            {
                BenchFiles.DeleteDatabase(copy);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| process | runs | median | min | max | peak RSS |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        return exitCode;
    }

    private static int SeedCount(string root) =>
        Directory.Exists(Path.Combine(root, "seeds")) ? Directory.EnumerateFiles(Path.Combine(root, "seeds"), "*.json*").Count() : 0;

    private static string Row(string what, int runs, TimingStats stats, long? peakRss) =>
        $"| {what} | {runs} | {stats.Median:F0} ms | {stats.Min:F0} ms | {stats.Max:F0} ms | {(peakRss is { } p ? ProcessMemory.Mb(p) : "n/a")} |";

    /// <summary>One untimed warm-up run (returned as <paramref name="first"/>: on a new database it migrates and seeds), then <paramref name="runs"/> timed ones.</summary>
    private static (int Runs, TimingStats Stats, long? PeakRss, int Failures) Measure(
        string bot, string[] arguments, string root, string? database, int runs, out ProcessRun first)
    {
        var environment = new Dictionary<string, string>();
        if (database is not null) environment["Storage__Path"] = database;

        first = ProcessRunner.Run(bot, arguments, root, environment);
        Check(first, arguments);
        var samples = new List<double>();
        long? peak = null;
        var failures = 0;
        for (var i = 0; i < runs; i++)
        {
            var run = ProcessRunner.Run(bot, arguments, root, environment);
            if (!Check(run, arguments)) failures++;
            samples.Add(run.Elapsed.TotalMilliseconds);
            peak = Math.Max(peak ?? 0, run.PeakRss ?? 0);
        }

        var stats = TimingStats.From(samples);
        Console.WriteLine($"bot {string.Join(' ', arguments)}: {string.Join(", ", samples.Select(s => $"{s:F0}"))} ms");
        return (runs, stats, peak, failures);
    }

    private static bool Check(ProcessRun run, string[] arguments)
    {
        // The CLI exits 0 only when it answered with a card (the incident was found).
        if (run.ExitCode == 0) return true;
        Console.WriteLine($"bot {string.Join(' ', arguments)} exited {run.ExitCode}.");
        Console.WriteLine(run.Output.Length > 600 ? run.Output[..600] : run.Output);
        Console.WriteLine(run.Error.Length > 2000 ? run.Error[..2000] : run.Error);
        return false;
    }
}
