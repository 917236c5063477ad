using System.Diagnostics;
using System.Text;
using Bot.Core.Feeds;
using Bot.Feeds;
using Bot.Testing.Feeds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Benchmarks;

/// <summary>
/// "feeds": fetch + parse throughput of the real <see cref="IFeedFetcher"/> against a <see cref="FeedServer"/> in this
/// process: N feeds of M items (RSS, Atom and JSON Feed mixed, HTML summaries), fetched C at a time; then the same
/// feeds again with their ETags (all 304s, the steady state of polling); then parsing alone, without HTTP.
/// Process CPU includes the in-process server's share, so the fetch figures are an upper bound.
/// </summary>
public static class FeedsRun
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var feedCount = args.Number("--feeds", 1000);
        var itemCount = args.Number("--items", 50);
        var concurrency = args.Number("--concurrency", 8);

        await using var server = await FeedServer.StartAsync();
        var documents = new List<(Uri Url, byte[] Body, string ContentType)>();
        for (var f = 0; f < feedCount; f++)
        {
            var items = Enumerable.Range(1, itemCount).Select(i => new FeedDocumentItem(
                $"feed{f}-item{i}",
                $"Officials confirm report {i} on incident {f % 97}: drone sighting near the harbour",
                $"https://outlet{f % 50}.example/news/{f}/{i}",
                $"<p>Authorities said on <b>Tuesday</b> that the object seen over the harbour &amp; the airfield was tracked for {i} minutes. " +
                "<a href=\"https://outlet.example/more\">Read more</a></p><p>Witnesses described a &ldquo;low hum&rdquo;. <script>track()</script></p>",
                new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero).AddMinutes(-i - f).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                "Staff reporter")).ToList();
            var (body, response) = (f % 10) switch
            {
                < 7 => (FeedDocuments.Rss($"Outlet {f}", items), (Func<string, FeedResponse>)FeedResponse.Rss),
                < 9 => (FeedDocuments.Atom($"Outlet {f}", items), FeedResponse.Atom),
                _ => (FeedDocuments.JsonFeed($"Outlet {f}", items), FeedResponse.Json),
            };
            var path = $"/feeds/{f}";
            var built = response(body) with { ETag = $"\"f{f}\"", Compression = f % 2 == 0 ? FeedCompression.Gzip : FeedCompression.None };
            server.Map(path, built);
            documents.Add((server.Url(path), Encoding.UTF8.GetBytes(body), built.ContentType));
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Feeds:AllowPrivateAddresses"] = "true" }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddFeedFetching().BuildServiceProvider();
        await using var _ = services;
        var fetcher = services.GetRequiredService<IFeedFetcher>();

        Console.WriteLine($"{feedCount} feeds × {itemCount} items (70 % RSS, 20 % Atom, 10 % JSON Feed; half gzipped), {concurrency} at a time, server in-process");
        Console.WriteLine($"body size: median {documents.Select(d => d.Body.Length).Order().ElementAt(documents.Count / 2) / 1024.0:F1} KB");
        // Warm-up: JIT, connection pool, parser tables.
        await FetchAllAsync(fetcher, documents.Take(Math.Min(50, feedCount)).Select(d => new FeedFetchRequest(d.Url)).ToList(), concurrency);

        Console.WriteLine();
        Console.WriteLine("| pass | feeds/s | items/s | wall | CPU per feed | CPU per item | fetch median / p99 | outcomes |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|---|");
        var full = await MeasureAsync("full fetch + parse", fetcher, documents.Select(d => new FeedFetchRequest(d.Url)).ToList(), concurrency);
        var etags = full.Results.Select(r => r.ETag).ToList();
        var conditional = await MeasureAsync("conditional GET (304)", fetcher, documents.Select((d, i) => new FeedFetchRequest(d.Url, etags[i])).ToList(), concurrency);

        // Parsing alone, one thread: what the fetcher itself costs per item, without HTTP or the server.
        var parseStarted = Stopwatch.GetTimestamp();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var parsedItems = 0;
        foreach (var (url, body, contentType) in documents) parsedItems += FeedParser.Parse(body, contentType, url).Items.Count;
        var parseCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var parseWall = Stopwatch.GetElapsedTime(parseStarted).TotalMilliseconds;
        Console.WriteLine($"| parse only, 1 thread | {documents.Count / (parseWall / 1000):F0} | {parsedItems / (parseWall / 1000):F0} | {parseWall / 1000:F2} s | {parseCpu / documents.Count:F2} ms | {parseCpu / parsedItems:F3} ms | | {parsedItems} items |");

        var ok = full.Results.All(r => r.Outcome == FeedFetchOutcome.Fetched && r.Items.Count == itemCount)
            && conditional.Results.All(r => r.Outcome == FeedFetchOutcome.NotModified);
        if (!ok) Console.Error.WriteLine("Some fetches did not come back as expected: " + string.Join(", ", full.Results.Concat(conditional.Results).Select(r => r.Problem).Where(p => p is not null).Distinct().Take(5)));
        return ok ? 0 : 1;
    }

    private sealed record Pass(IReadOnlyList<FeedFetchResult> Results);

    private static async Task<Pass> MeasureAsync(string name, IFeedFetcher fetcher, IReadOnlyList<FeedFetchRequest> requests, int concurrency)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var (results, timings) = await FetchAllAsync(fetcher, requests, concurrency);
        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var items = results.Sum(r => r.Items.Count);
        var stats = TimingStats.From(timings);
        var outcomes = string.Join(", ", results.GroupBy(r => r.Outcome).Select(g => $"{g.Key} {g.Count()}"));
        var perItem = items == 0 ? "—" : $"{cpu / items:F3} ms";
        Console.WriteLine($"| {name} | {requests.Count / wall:F0} | {items / wall:F0} | {wall:F2} s | {cpu / requests.Count:F2} ms | {perItem} | {stats.Median:F1} / {stats.P99:F1} ms | {outcomes} |");
        return new Pass(results);
    }

    private static async Task<(FeedFetchResult[] Results, List<double> Timings)> FetchAllAsync(IFeedFetcher fetcher, IReadOnlyList<FeedFetchRequest> requests, int concurrency)
    {
        var results = new FeedFetchResult[requests.Count];
        var timings = new List<double>(requests.Count);
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            results[i] = await fetcher.FetchAsync(requests[i], token);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (timings) timings.Add(elapsed);
        });
        return (results, timings);
    }
}
