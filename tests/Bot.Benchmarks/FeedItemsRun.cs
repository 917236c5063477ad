using System.Diagnostics;
using Bot.Core.Answers;
using Bot.Core.Briefings;
using Bot.Core.Feeds;
using Bot.Core.Incidents.Import;
using Bot.Feeds;
using Bot.Storage;
using Bot.Testing.Feeds;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Benchmarks;

/// <summary>
/// "feed-items": (1) process CPU per new item from fetch to linked and indexed, sentence vectors included, over the
/// seed store: feeds of 50 items served by a <see cref="FeedServer"/> on 127.0.0.1 (its share of the CPU included),
/// fetched by the real fetcher, polled through the real round, ingestor and vector builder;
/// (2) the digest's New reporting section composed over 100,000 stored, linked items, wall and CPU per composition.
/// </summary>
public static class FeedItemsRun
{
    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var feedCount = args.Number("--feeds", 20);
        var itemCount = args.Number("--items", 100_000);
        var folder = Path.Combine(settings.Directory, $"feeds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "bot.db");
        await using var server = await FeedServer.StartAsync();
        try
        {
            await using var services = await BotServices.CreateAsync(path, FeedServers.AllowLoopback, s => s.AddFeedFetching());
            await services.Get<IncidentImporter>().ImportAsync(Path.Combine(BenchFiles.RepositoryRoot(), "seeds"), CancellationToken.None);
            var embedder = services.Get<ITextEmbedder>();
            if (embedder.IsEnabled) await embedder.LoadAsync(CancellationToken.None);
            await services.Get<PassageVectorBuilder>().FillAsync(CancellationToken.None);

            var store = services.Get<IFeedStore>();
            var now = DateTimeOffset.UtcNow;
            if (feedCount == 0) await store.AddAsync(FeedOwner.Local, "https://bulk.example/rss", null, 15, now.AddDays(1), CancellationToken.None);
            for (var f = 0; f < feedCount; f++)
            {
                server.Map($"/feed{f}.xml", FeedResponse.Rss(FeedDocuments.Rss($"Outlet {f}", GeneratedItems.For($"feed{f}", 50, now))));
                await store.AddAsync(FeedOwner.Local, server.Url($"/feed{f}.xml").ToString(), null, 15, now.AddMinutes(-1), CancellationToken.None);
            }

            var round = services.Get<FeedRound>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var reports = await round.RunAsync(int.MaxValue, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var stored = reports.Sum(r => r.New);
            var linked = reports.Sum(r => r.Items.Count(i => i.Item.Incidents.Count > 0));
            Console.WriteLine($"| new items fetched from a local server, stored, linked and indexed ({(embedder.IsEnabled ? embedder.ModelName : "no vectors")}) | {stored:N0} ({linked:N0} linked) | {used.TotalMilliseconds / Math.Max(1, stored):F1} ms CPU per item | {elapsed.TotalMilliseconds / Math.Max(1, stored):F1} ms wall per item |");

            await FillItemsAsync(services.Get<SqliteDatabase>(), itemCount, now);
            var samples = new List<double>();
            var composeCpu = TimeSpan.Zero;
            for (var i = 0; i < 120; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var c = Process.GetCurrentProcess().TotalProcessorTime;
                await NewReporting.ComposeAsync(store, FeedOwner.Local, now.AddDays(-1 - (i % 3)), TimeZoneInfo.Utc, CancellationToken.None);
                if (i < 20) continue;
                samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                composeCpu += Process.GetCurrentProcess().TotalProcessorTime - c;
            }

            var stats = TimingStats.From(samples);
            Console.WriteLine($"| New reporting section over {itemCount:N0} stored items (1–3 day window) | {stats.Count} | median {stats.Median:F1} ms | p90 {stats.P90:F1} ms | p99 {stats.P99:F1} ms | max {stats.Max:F1} ms | CPU {composeCpu.TotalMilliseconds / stats.Count:F1} ms each |");
            var digest = services.Get<BriefingService>();
            var whole = new List<double>();
            for (var i = 0; i < 40; i++)
            {
                var t = Stopwatch.GetTimestamp();
                await digest.ComposeAsync(BriefingKind.Digest, new DateOnly(2026, 1, 1).AddDays(i), null, CancellationToken.None);
                if (i >= 10) whole.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            var digestStats = TimingStats.From(whole);
            Console.WriteLine($"| whole digest (seed incidents) with {itemCount:N0} stored items | {digestStats.Count} | median {digestStats.Median:F1} ms | p90 {digestStats.P90:F1} ms | p99 {digestStats.P99:F1} ms | max {digestStats.Max:F1} ms |");
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

    /// <summary>Items spread over the last 30 days across the seed incidents, written straight in SQL: only the read is measured.</summary>
    private static async Task FillItemsAsync(SqliteDatabase database, int count, DateTimeOffset now)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = connection.BeginTransaction();
        var feedId = await connection.ExecuteScalarAsync<long>("SELECT min(id) FROM feeds", transaction: transaction);
        var slugs = (await connection.QueryAsync<string>("SELECT slug FROM incidents ORDER BY slug", transaction: transaction)).ToList();
        for (var i = 0; i < count; i++)
        {
            var at = DateHandler.ToText(now.AddSeconds(-i * 26.0));
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO feed_items (feed_id, dedupe_key, link, title, published_at, has_date, first_seen_at, content_hash, triage)
                VALUES (@feedId, @key, @link, @title, @at, 1, @at, 'x', 'linked') RETURNING id
                """, new { feedId, key = $"bulk-{i}", link = $"https://bulk.example/{i}", title = $"Bulk report {i}", at }, transaction);
            await connection.ExecuteAsync("INSERT INTO feed_item_incidents (item_id, incident_slug, reason, linked_at) VALUES (@id, @slug, 'mention', @at)",
                new { id, slug = slugs[i % slugs.Count], at }, transaction);
        }

        await transaction.CommitAsync();
    }
}

/// <summary>Generated items: headlines naming the seed incidents (and some naming nothing), distinct per feed.</summary>
public static class GeneratedItems
{
    private static readonly string[] Headlines =
    [
        "Navy divers recover spy balloon debris off South Carolina", "FCC extends its ban on Huawei and ZTE equipment",
        "TikTok chief questioned by the French Senate inquiry", "Hikvision cameras removed from government buildings",
        "Central bank holds interest rates steady", "New export controls on advanced chips announced",
        "Former Raytheon engineer Wei Sun sentenced", "Dutch police close two overseas police stations",
        "Heavy snow closes schools across the region", "Justice Department charges Chinese hackers",
    ];

    /// <param name="first">The number of the oldest item served: a feed that gained k items serves from first + k, and the
    /// items it still serves are the same as before (same text and date), so they come back unchanged.</param>
    public static IReadOnlyList<FeedDocumentItem> For(string feed, int count, DateTimeOffset now, int first = 0) =>
        [.. Enumerable.Range(first, count).Select(i => new FeedDocumentItem($"{feed}-{i}",
            $"{Headlines[i % Headlines.Length]} ({feed} #{i})", $"https://{feed}.example/{i}",
            $"<p>Report {i} from {feed}: {Headlines[(i + 3) % Headlines.Length]}.</p>",
            now.AddMinutes(i - count).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))];
}

public static class FeedServers
{
    /// <summary>The fetcher refuses loopback addresses unless told otherwise; the benchmark's feed server is on 127.0.0.1.</summary>
    public static readonly IReadOnlyDictionary<string, string?> AllowLoopback = new Dictionary<string, string?> { ["Feeds:AllowPrivateAddresses"] = "true" };
}
