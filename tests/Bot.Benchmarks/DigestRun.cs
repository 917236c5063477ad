using System.Diagnostics;
using Bot.Core.Briefings;

namespace Bot.Benchmarks;

/// <summary>"digest": composing one day's digest on the 100,000-incident store, a new date each time.</summary>
public static class DigestRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var iterations = args.Number("--iterations", 200);
        var store = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
        await using var services = await BotServices.CreateAsync(store);
        var briefings = services.Get<BriefingService>();
        var start = new DateOnly(2026, 1, 1);
        for (var i = 0; i < 20; i++) await briefings.ComposeAsync(BriefingKind.Digest, start.AddDays(i), null, CancellationToken.None);

        var samples = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await briefings.ComposeAsync(BriefingKind.Digest, start.AddDays(i % 366), null, CancellationToken.None);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var stats = TimingStats.From(samples);
        Console.WriteLine($"| digest on {settings.Count:N0} incidents | {stats.Count} | {stats.Median:F1} ms | {stats.P90:F1} ms | {stats.P99:F1} ms | {stats.Max:F1} ms |");
        return 0;
    }
}
