using System.Diagnostics;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Incidents.Import;

namespace Bot.Benchmarks;

/// <summary>
/// "ask": the team's question set through <see cref="AnswerEngine"/>, first on the seeded store,
/// then on the 100,000-incident store; one Stopwatch reading per question after a warm-up pass.
/// </summary>
public static class AskRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var passes = args.Number("--passes", 5);
        var root = BenchFiles.RepositoryRoot();
        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(Path.Combine(root, "tests", "questions", "questions.json")))
            .Select(q => q.Question).ToList();

        var seedStore = Path.Combine(settings.Directory, $"ask-seeds-{Guid.NewGuid():N}.db");
        try
        {
            await using (var services = await BotServices.CreateAsync(seedStore))
            {
                await services.Get<IncidentImporter>().ImportAsync(Path.Combine(root, "seeds"), CancellationToken.None);
                Report("seed store (12 incidents)", await MeasureAsync(services.Get<AnswerEngine>(), questions, passes));
            }
        }
        finally
        {
            BenchFiles.DeleteDatabase(seedStore);
        }

        // The seed incidents among 100,000 generated ones: real answers have to be found among distractors.
        var largeStore = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
        var mixedStore = Path.Combine(settings.Directory, $"ask-mixed-{Guid.NewGuid():N}.db");
        File.Copy(largeStore, mixedStore);
        try
        {
            await using var services = await BotServices.CreateAsync(mixedStore);
            await services.Get<IncidentImporter>().ImportAsync(Path.Combine(root, "seeds"), CancellationToken.None);
            var engine = services.Get<AnswerEngine>();
            Report($"{settings.Count:N0} generated + the seed incidents", await MeasureAsync(engine, questions, Math.Max(1, passes / 2)));
            var report = await new AnswerEvaluator(engine).EvaluateAsync(
                AnswerEvaluator.Load(await File.ReadAllTextAsync(Path.Combine(root, "tests", "questions", "questions.json"))), CancellationToken.None);
            Console.WriteLine($"Quality among the distractors: in scope {report.InScopeCorrect}/{report.InScope}, out of scope {report.OutOfScopeAbstained}/{report.OutOfScope} abstained");
        }
        finally
        {
            BenchFiles.DeleteDatabase(mixedStore);
        }

        return 0;
    }

    private static async Task<TimingStats> MeasureAsync(AnswerEngine engine, List<string> questions, int passes)
    {
        foreach (var question in questions) await engine.AnswerAsync(question, Context(), CancellationToken.None);
        var samples = new List<double>(questions.Count * passes);
        for (var pass = 0; pass < passes; pass++)
        {
            foreach (var question in questions)
            {
                var started = Stopwatch.GetTimestamp();
                await engine.AnswerAsync(question, Context(), CancellationToken.None);
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return TimingStats.From(samples);
    }

    // A fresh conversation per question: no follow-up context shortens the work.
    private static ChatContext Context() => new() { Platform = "bench", Thread = Guid.NewGuid().ToString("N") };

    private static void Report(string store, TimingStats stats) =>
        Console.WriteLine($"| {store} | {stats.Count} | {stats.Median:F2} ms | {stats.P90:F2} ms | {stats.P99:F2} ms | {stats.Max:F1} ms |");
}
