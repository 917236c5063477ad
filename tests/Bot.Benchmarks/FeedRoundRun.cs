using System.Diagnostics;
using Bot.Core.Answers;
using Bot.Core.Feeds;
using Bot.Core.Incidents.Import;
using Bot.Feeds;
using Bot.Storage;
using Bot.Testing.Feeds;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Benchmarks;

/// <summary>
/// "feed-round": N feeds of M items on a <see cref="FeedServer"/> in this process (127.0.0.1), polled the way the host's
/// poller does it (rounds of <see cref="FeedOptions.BatchSize"/> due feeds until none is due) through the real fetcher,
/// ingestor, linker and vector builder, over the seed store. Three rounds: cold (every item new), then every feed with
/// K new items (the others served again unchanged, a new ETag), then nothing changed (all 304). Wall and process CPU
/// (the in-process server's share included) for each: the time a 15-minute interval has to hold.
/// </summary>
public static class FeedRoundRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var feedCount = args.Number("--feeds", 1000);
        var itemCount = args.Number("--items", 50);
        var fresh = args.Number("--fresh", 2);
        var vectors = !args.Flag("--no-vectors");
        var folder = Path.Combine(settings.Directory, $"feed-round-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "bot.db");
        await using var server = await FeedServer.StartAsync();
        try
        {
            var configuration = new Dictionary<string, string?>(FeedServers.AllowLoopback) { ["Answers:Embeddings"] = vectors ? "true" : "false" };
            await using var services = await BotServices.CreateAsync(path, configuration, s => s.AddFeedFetching());
            await services.Get<IncidentImporter>().ImportAsync(Path.Combine(BenchFiles.RepositoryRoot(), "seeds"), CancellationToken.None);
            var embedder = services.Get<ITextEmbedder>();
            if (embedder.IsEnabled) await embedder.LoadAsync(CancellationToken.None);
            await services.Get<PassageVectorBuilder>().FillAsync(CancellationToken.None);

            var now = DateTimeOffset.UtcNow;
            var first = new int[feedCount];
            var store = services.Get<IFeedStore>();
            for (var f = 0; f < feedCount; f++)
            {
                var feed = f;
                server.Map($"/feed{f}.xml", () => FeedResponse.Rss(FeedDocuments.Rss($"Outlet {feed}", GeneratedItems.For($"feed{feed}", itemCount, now, first[feed])))
                    with
                { ETag = $"\"{feed}-{first[feed]}\"", Compression = FeedCompression.Gzip });
                await store.AddAsync(FeedOwner.Local, server.Url($"/feed{f}.xml").ToString(), null, 15, now.AddMinutes(-1), CancellationToken.None);
            }

            var round = services.Get<FeedRound>();
            var batch = new FeedOptions().BatchSize;
            Console.WriteLine($"{feedCount:N0} feeds × {itemCount} items (RSS, gzip), polled in rounds of {batch} due feeds; {(embedder.IsEnabled ? embedder.ModelName : "no vectors")}");
            Console.WriteLine("| round | feeds polled | new items | wall | process CPU | CPU per feed | CPU per new item | outcomes |");
            Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|---|");
            await MeasureAsync("cold: every item new", round, batch);

            for (var f = 0; f < feedCount; f++) first[f] += fresh;
            await MakeAllDueAsync(services.Get<SqliteDatabase>());
            await MeasureAsync($"{fresh} new items per feed", round, batch);

            await MakeAllDueAsync(services.Get<SqliteDatabase>());
            await MeasureAsync("nothing new (304)", round, batch);
            return 0;
        }
        finally
        {
            BenchFiles.DeleteDatabase(path);
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The next interval, without waiting 15 minutes for it.</summary>
    private static async Task MakeAllDueAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE feeds SET next_due_at = @due", new { due = DateTimeOffset.UtcNow.AddMinutes(-1) });
    }

    private static async Task MeasureAsync(string name, FeedRound round, int batch)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var reports = new List<FeedPollReport>();
        while (true)
        {
            var polled = await round.RunAsync(batch, CancellationToken.None);
            reports.AddRange(polled);
            if (polled.Count < batch) break;
        }

        var wall = Stopwatch.GetElapsedTime(started);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var added = reports.Sum(r => r.New);
        var outcomes = string.Join(", ", reports.GroupBy(r => r.Outcome).Select(g => $"{g.Key} {g.Count()}"));
        var perItem = added == 0 ? "—" : $"{used.TotalMilliseconds / added:F1} ms";
        Console.WriteLine($"| {name} | {reports.Count:N0} | {added:N0} | {wall.TotalSeconds:F1} s | {used.TotalSeconds:F1} s | {used.TotalMilliseconds / Math.Max(1, reports.Count):F1} ms | {perItem} | {outcomes} |");
    }
}
