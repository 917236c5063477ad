using System.Diagnostics;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Incidents.Import;
using Bot.Storage;

namespace Bot.Benchmarks;

/// <summary>
/// "ask": the Q&amp;A engine as the host runs it (embedding model loaded, passage vectors in memory), first
/// on the seeded store, then on the seeds among N generated incidents (use <c>--count 20000</c>). Per
/// store: the time to build the vectors (passages/s, one session, batches of
/// <see cref="PassageVectorBuilder.BatchSize"/>), one Stopwatch reading per question after a warm-up pass
/// (median/p90/p99), the scores of the tuning sets and the old set, and the process's memory.
/// The large store with its vectors is built once and kept beside the generated store (it takes long:
/// every passage goes through the model).
/// </summary>
public static class AskRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var passes = args.Number("--passes", 5);
        var root = BenchFiles.RepositoryRoot();
        // Every set the engine may be tuned on; never the held-out sets, which are scored by hand once per version.
        // --sets tuning.json,questions.json times the mix earlier versions were timed on.
        var folder = Path.Combine(root, "tests", "questions");
        var names = args.Value("--sets") is { } chosen
            ? chosen.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : Directory.GetFiles(folder, "tuning*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).Append("questions.json").ToArray();
        if (names.FirstOrDefault(name => !File.Exists(Path.Combine(folder, name!))) is { } missing)
        {
            Console.Error.WriteLine($"--sets: no question set {missing} in {folder}");
            return 2;
        }

        var sets = names
            .Select(name => (Name: name!, Questions: AnswerEvaluator.Load(File.ReadAllText(Path.Combine(folder, name!)))))
            .ToList();
        var questions = sets.SelectMany(s => s.Questions).Select(q => q.Question).ToList();
        var results = new List<string>();

        var seedStore = Path.Combine(settings.Directory, $"ask-seeds-{Guid.NewGuid():N}.db");
        var seedScores = new Dictionary<string, EvaluationReport>();
        try
        {
            await using var services = await BotServices.CreateAsync(seedStore);
            await services.Get<IncidentImporter>().ImportAsync(Path.Combine(root, "seeds"), CancellationToken.None);
            results.Add(await MeasureStoreAsync("seed store (12 incidents)", services, questions, sets, passes, seedScores));
        }
        finally
        {
            BenchFiles.DeleteDatabase(seedStore);
        }

        if (!args.Flag("--seeds-only"))
        {
            var mixed = await EnsureMixedStoreAsync(settings, root);
            var copy = Path.Combine(settings.Directory, $"ask-mixed-{Guid.NewGuid():N}.db");
            File.Copy(mixed, copy);
            try
            {
                await using var services = await BotServices.CreateAsync(copy);
                var scores = new Dictionary<string, EvaluationReport>();
                results.Add(await MeasureStoreAsync($"{settings.Count:N0} generated + the seed incidents", services, questions, sets, Math.Max(1, passes / 2), scores));
                foreach (var (name, report) in scores)
                {
                    var before = seedScores[name];
                    Console.WriteLine($"Score drop among the distractors, {name}: in scope {Percent(before.InScopeAccuracy)} → {Percent(report.InScopeAccuracy)}, " +
                                      $"out of scope {Percent(before.AbstentionRate)} → {Percent(report.AbstentionRate)}");
                }
            }
            finally
            {
                BenchFiles.DeleteDatabase(copy);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| store | questions | median | p90 | p99 | max | vectors built | RSS after warm-up | peak RSS |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var line in results) Console.WriteLine(line);
        return 0;
    }

    private static async Task<string> MeasureStoreAsync(
        string store, BotServices services, List<string> questions, List<(string Name, IReadOnlyList<EvaluationQuestion> Questions)> sets, int passes,
        Dictionary<string, EvaluationReport> scores)
    {
        ProcessMemory.TryResetPeakRss();
        var embedder = services.Get<ITextEmbedder>();
        var started = Stopwatch.GetTimestamp();
        await embedder.LoadAsync(CancellationToken.None);
        Console.WriteLine($"[{store}] model loaded in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
        var built = await BuildVectorsAsync(services, store);
        started = Stopwatch.GetTimestamp();
        await services.Get<PassageVectorSearch>().WarmAsync(CancellationToken.None);
        Console.WriteLine($"[{store}] {services.Get<PassageVectorSearch>().Count:N0} vectors loaded in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s ({ProcessMemory.Mb(services.Get<PassageVectorSearch>().Bytes)} in memory)");

        var engine = services.Get<AnswerEngine>();
        foreach (var (name, set) in sets)
        {
            var report = await new AnswerEvaluator(engine).EvaluateAsync(set, CancellationToken.None);
            scores[name] = report;
            Console.WriteLine($"[{store}] {name}: in scope {report.InScopeCorrect}/{report.InScope} ({Percent(report.InScopeAccuracy)}), out of scope {report.OutOfScopeAbstained}/{report.OutOfScope} ({Percent(report.AbstentionRate)}); " +
                              string.Join(", ", report.ByStyle.Select(s => $"{s.Name} {s.Correct}/{s.Total}")));
        }

        GC.Collect();
        var idle = ProcessMemory.CurrentRss();
        var stats = await MeasureAsync(engine, questions, passes);
        var peak = ProcessMemory.PeakRss() ?? 0;
        return $"| {store} | {stats.Count} | {stats.Median:F1} ms | {stats.P90:F1} ms | {stats.P99:F1} ms | {stats.Max:F0} ms | {built} | {ProcessMemory.Mb(idle)} | {ProcessMemory.Mb(peak)} |";
    }

    private static async Task<string> BuildVectorsAsync(BotServices services, string store)
    {
        var progress = await services.Get<IPassageVectorStore>().GetProgressAsync(services.Get<ITextEmbedder>().ModelName, CancellationToken.None);
        if (progress.Missing == 0) return "cached";
        var started = Stopwatch.GetTimestamp();
        var written = await services.Get<PassageVectorBuilder>().FillAsync(CancellationToken.None);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var line = $"{written:N0} in {seconds:F0} s ({written / Math.Max(seconds, 0.001):F0}/s)";
        Console.WriteLine($"[{store}] vectors: {line}");
        return line;
    }

    /// <summary>The generated store with the seeds imported and every vector built, made once and reused.</summary>
    public static async Task<string> EnsureMixedStoreAsync(BenchSettings settings, string root)
    {
        var large = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
        var mixed = Path.ChangeExtension(large, null) + "-seeds-vectors.db";
        if (File.Exists(mixed) && File.Exists(mixed + ".complete")) return mixed;
        // Resumable: a build stopped half way goes on from the vectors already written.
        if (!File.Exists(mixed)) File.Copy(large, mixed);
        await using (var services = await BotServices.CreateAsync(mixed))
        {
            await services.Get<IncidentImporter>().ImportAsync(Path.Combine(root, "seeds"), CancellationToken.None);
            await services.Get<ITextEmbedder>().LoadAsync(CancellationToken.None);
            await BuildVectorsAsync(services, "mixed store");
            await BenchFiles.CheckpointAsync(services.Get<SqliteDatabase>());
        }

        await File.WriteAllTextAsync(mixed + ".complete", DateTime.UtcNow.ToString("O"));
        return mixed;
    }

    private static async Task<TimingStats> MeasureAsync(AnswerEngine engine, List<string> questions, int passes)
    {
        foreach (var question in questions) await engine.AnswerAsync(question, Context(), CancellationToken.None);
        var samples = new List<double>(questions.Count * passes);
        var slowest = (Milliseconds: 0.0, Question: "", Collections: 0);
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var question in questions)
            {
                var collections = GC.CollectionCount(2);
                var started = Stopwatch.GetTimestamp();
                await engine.AnswerAsync(question, Context(), CancellationToken.None);
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                samples.Add(milliseconds);
                if (milliseconds > slowest.Milliseconds) slowest = (milliseconds, question, GC.CollectionCount(2) - collections);
            }
        }

        // The maximum alone cannot tell a slow question from a pause of the machine or the collector: ask it again.
        var again = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await engine.AnswerAsync(slowest.Question, Context(), CancellationToken.None);
            again.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine($"slowest: {slowest.Milliseconds:F0} ms (gen-2 collections during it: {slowest.Collections}; asked again: {string.Join(", ", again.Select(a => a.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))} ms), \"{slowest.Question}\"");
        return TimingStats.From(samples);
    }

    private static string Percent(double value) => value.ToString("P1", System.Globalization.CultureInfo.InvariantCulture);

    // A fresh conversation per question: no follow-up context shortens the work.
    private static ChatContext Context() => new() { Platform = "bench", Thread = Guid.NewGuid().ToString("N") };
}
