using System.Diagnostics;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;
using Bot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Benchmarks;

/// <summary>
/// "lookup": many "incident &lt;query&gt;" requests through <see cref="CommandRouter"/> over the large store,
/// one Stopwatch reading per request, after a warm-up; reports percentiles and how often the right incident came back.
/// </summary>
public static class LookupRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var exactIterations = args.Number("--exact", 5000);
        var fuzzyIterations = args.Number("--fuzzy", 300);
        var storePath = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
        var cases = LookupCases.Sample(settings, args.Number("--cases", 2000));
        Console.WriteLine($"Store: {storePath} ({BenchFiles.DatabaseBytes(storePath) / 1e6:F0} MB), {settings.Count:N0} incidents, {cases.Count} query cases");

        var whatIf = args.Value("--what-if");
        if (whatIf is not null && whatIf != "fuzzy") throw new ArgumentException($"unknown --what-if '{whatIf}' (known: fuzzy)");
        await using var services = await BotServices.CreateAsync(storePath, whatIf is null ? null : s =>
            s.AddSingleton<IIncidentStore>(sp => new WhatIfIncidentStore(sp.GetRequiredService<SqliteDatabase>())));
        if (whatIf is not null) Console.WriteLine("What-if fuzzy: rarest-trigram candidates and an early exit for word coverage (WhatIfIncidentStore)");
        var router = services.Get<CommandRouter>();

        // The very first request of a process pays for JIT, the first connection and SQLite's schema parse.
        var first = Stopwatch.StartNew();
        var firstMessage = await router.HandleAsync(Request(LookupKind.Slug, cases[0]), CancellationToken.None);
        first.Stop();
        Console.WriteLine($"First request in the process: {first.Elapsed.TotalMilliseconds:F1} ms ({LookupCases.Classify(firstMessage, cases[0].Expected)})");
        Console.WriteLine();

        var plan = new (LookupKind Kind, int Warmup, int Iterations, string Description)[]
        {
            (LookupKind.Slug, 500, exactIterations, "exact slug"),
            (LookupKind.Alias, 500, exactIterations, "exact alias"),
            (LookupKind.Words, 200, exactIterations / 2, "title words (code name alone)"),
            (LookupKind.TypoName, 30, fuzzyIterations, "fuzzy: misspelt code name"),
            (LookupKind.TypoAlias, 10, fuzzyIterations / 3, "fuzzy: misspelt alias (2 words)"),
        };

        Console.WriteLine("| query | example | n | median | p90 | p99 | max | right incident |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var (kind, warmup, iterations, description) in plan)
        {
            if (iterations <= 0) continue;
            var (stats, outcomes) = await MeasureAsync(router, cases, kind, warmup, iterations);
            var found = outcomes.GetValueOrDefault(LookupOutcome.Found);
            var others = string.Join(", ", outcomes.Where(o => o.Key != LookupOutcome.Found).Select(o => $"{o.Value} {o.Key}"));
            Console.WriteLine(
                $"| {description} | `incident {cases[0].Query(kind)}` | {stats.Count} | {stats.Median:F3} ms | {stats.P90:F3} ms | {stats.P99:F3} ms | {stats.Max:F1} ms | " +
                $"{100.0 * found / stats.Count:F1}%{(others.Length > 0 ? $" ({others})" : "")} |");
        }

        if (!args.Flag("--no-breakdown"))
            await BreakdownAsync(services.Get<IIncidentStore>(), cases, args.Number("--breakdown-n", 100));
        return 0;
    }

    private static ChatRequest Request(LookupKind kind, LookupCase c) => new($"incident {c.Query(kind)}", ChatContext.Cli);

    private static async Task<(TimingStats Stats, Dictionary<LookupOutcome, int> Outcomes)> MeasureAsync(
        CommandRouter router, List<LookupCase> cases, LookupKind kind, int warmup, int iterations)
    {
        for (var i = 0; i < warmup; i++)
            await router.HandleAsync(Request(kind, cases[cases.Count - 1 - i % cases.Count]), CancellationToken.None);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var samples = new double[iterations];
        var outcomes = new Dictionary<LookupOutcome, int>();
        for (var i = 0; i < iterations; i++)
        {
            var c = cases[i % cases.Count];
            var request = Request(kind, c);
            var start = Stopwatch.GetTimestamp();
            var message = await router.HandleAsync(request, CancellationToken.None);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var outcome = LookupCases.Classify(message, c.Expected);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        return (TimingStats.From(samples), outcomes);
    }

    /// <summary>
    /// Where a fuzzy lookup spends its time: each store call <see cref="IncidentFinder"/> makes on the way to the
    /// trigram fallback, timed on its own (median over the same queries).
    /// </summary>
    private static async Task BreakdownAsync(IIncidentStore store, List<LookupCase> cases, int n)
    {
        var steps = new Dictionary<string, List<double>>();
        async Task<T> Time<T>(string step, Func<Task<T>> work)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await work();
            (steps.TryGetValue(step, out var list) ? list : steps[step] = []).Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            return result;
        }

        var ct = CancellationToken.None;
        foreach (var kind in new[] { LookupKind.TypoName, LookupKind.TypoAlias })
        {
            var prefix = kind == LookupKind.TypoName ? "misspelt code name" : "misspelt alias";
            for (var i = 0; i < n + 5; i++)
            {
                var c = cases[i % cases.Count];
                var normalized = TextNormalizer.Normalize(c.Query(kind));
                var words = normalized.Split(' ');
                if (i == 5) steps.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList().ForEach(s => s.Value.Clear()); // first 5 are warm-up
                await Time($"{prefix}: FindByExactNameAsync", () => store.FindByExactNameAsync(normalized, ct));
                await Time($"{prefix}: SearchNamesAsync(all words, 11)", () => store.SearchNamesAsync(words, true, 11, ct));
                if (words.Length > 1)
                    await Time($"{prefix}: SearchNamesAsync(any word, 200) — coverage", () => store.SearchNamesAsync(words, false, 200, ct));
                var similar = await Time($"{prefix}: FindSimilarNamesAsync(50) — trigrams", () => store.FindSimilarNamesAsync(normalized, 50, ct));
                await Time($"{prefix}: rank 50 names by edit distance", () => Task.FromResult(similar
                    .Select(m => EditDistance.BestWindowSimilarity(normalized, TextNormalizer.Normalize(m.MatchedName)))
                    .Max()));
                await Time($"{prefix}: GetAsync(slug) — load + parse document", () => store.GetAsync(c.Expected, ct));
            }
        }

        Console.WriteLine();
        Console.WriteLine("Breakdown of the fuzzy path (store calls timed one by one):");
        Console.WriteLine();
        Console.WriteLine("| step | n | median | p90 |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (step, samples) in steps)
        {
            var stats = TimingStats.From(samples);
            Console.WriteLine($"| {step} | {stats.Count} | {stats.Median:F3} ms | {stats.P90:F3} ms |");
        }
    }
}
