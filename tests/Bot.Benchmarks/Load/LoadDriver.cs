using System.Diagnostics;
using System.Net;
using System.Text;

namespace Bot.Benchmarks.Load;

/// <summary>The figures of one measured scenario against one server.</summary>
internal sealed record PhaseResult(
    string Scenario,
    string Target,
    long Requests,
    long Non2xx,
    long UnexpectedBodies,
    long Failures,
    double ElapsedSeconds,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    TimeSpan ServerCpu,
    TimeSpan DriverCpu,
    bool HitCapacity)
{
    public double RequestsPerSecond => ElapsedSeconds > 0 ? Requests / ElapsedSeconds : 0;

    public long Errors => Non2xx + Failures;

    /// <summary>Server CPU time per request, in microseconds: the cost figure that does not depend on who else used the cores.</summary>
    public double ServerCpuPerRequestUs => Requests > 0 ? ServerCpu.TotalMicroseconds / Requests : 0;

    public double DriverCpuPerRequestUs => Requests > 0 ? DriverCpu.TotalMicroseconds / Requests : 0;
}

/// <summary>
/// Closed-loop load: N workers, each with its own connection from the pool, send the scenario's
/// pre-signed requests back to back for a fixed time. Each latency (send to last body byte) goes
/// into the worker's preallocated array; nothing is allocated for bookkeeping in the loop.
/// </summary>
internal static class LoadDriver
{
    private const int BodyBufferBytes = 256 * 1024;

    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    /// <summary>Sends the first few distinct requests once and checks the answers say what they should.</summary>
    public static async Task<string?> CheckAsync(HttpClient client, ChildProcess server, Scenario scenario)
    {
        var uri = new Uri(server.BaseUrl, scenario.Path);
        for (var i = 0; i < Math.Min(scenario.DistinctVariants, scenario.Pool.Length); i++)
        {
            using var request = scenario.Pool[i].ToMessage(uri, scenario.ContentType);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var problem = !response.IsSuccessStatusCode ? $"HTTP {(int)response.StatusCode}"
                : scenario.SanityMustContain.FirstOrDefault(s => !body.Contains(s, StringComparison.Ordinal)) is { } missing ? $"no {missing}"
                : scenario.SanityMustNotContain.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal)) is { } bad ? $"says \"{bad}\""
                : null;
            if (problem is not null)
                return $"{scenario.Name} → {server.Name}: request {i} ({Encoding.UTF8.GetString(scenario.Pool[i].Body)[..Math.Min(120, scenario.Pool[i].Body.Length)]}…) got {problem}: {body[..Math.Min(400, body.Length)]}";
        }

        return null;
    }

    public static async Task<PhaseResult> RunAsync(HttpClient client, ChildProcess server, Scenario scenario, LoadOptions options) =>
        options.Rate > 0 ? await RunOpenLoopAsync(client, server, scenario, options) : await RunAsync(client, [server], scenario, options);

    /// <summary>
    /// Closed loop over several servers of the same kind (instances of one cluster): worker w sends to server
    /// w mod N, so the connections are spread evenly with no proxy in between; the server CPU is their sum.
    /// </summary>
    public static async Task<PhaseResult> RunAsync(HttpClient client, IReadOnlyList<ChildProcess> servers, Scenario scenario, LoadOptions options)
    {
        var uris = servers.Select(s => new Uri(s.BaseUrl, scenario.Path)).ToArray();
        var workers = options.Connections;
        var marker = scenario.ExpectedMarker;

        var latencies = Enumerable.Range(0, workers).Select(_ => new long[options.MaxPerWorker]).ToArray();
        // Warm-up: the same loop, its latencies overwritten by the measured run. The measured run goes on through the
        // pool from where each worker stopped: a Slack request sent again would be a replay (an empty 200).
        var starts = Enumerable.Range(0, workers).ToArray();
        if (options.WarmupSeconds > 0)
            starts = [.. (await RunWorkersAsync(client, uris, scenario, marker, latencies, starts, TimeSpan.FromSeconds(options.WarmupSeconds))).Results.Select(r => r.Next)];

        // Settle what the warm-up left behind so that a collection does not land in the window by our doing.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var driver = Process.GetCurrentProcess();
        var serverCpuBefore = ServersCpu(servers);
        driver.Refresh();
        var driverCpuBefore = driver.TotalProcessorTime;
        var (results, elapsed) = await RunWorkersAsync(client, uris, scenario, marker, latencies, starts, TimeSpan.FromSeconds(options.Seconds));
        var serverCpu = ServersCpu(servers) - serverCpuBefore;
        driver.Refresh();
        var driverCpu = driver.TotalProcessorTime - driverCpuBefore;

        var total = results.Sum(r => (long)r.Count);
        var all = new long[total];
        var offset = 0;
        for (var w = 0; w < workers; w++)
        {
            Array.Copy(latencies[w], 0, all, offset, results[w].Count);
            offset += results[w].Count;
        }

        Array.Sort(all);
        return new PhaseResult(
            scenario.Name, string.Join(" + ", servers.Select(s => s.Name)), total,
            results.Sum(r => r.Non2xx), results.Sum(r => r.Unexpected), results.Sum(r => r.Failures),
            elapsed.TotalSeconds,
            Percentile(all, 50), Percentile(all, 90), Percentile(all, 99), total == 0 ? 0 : ToMs(all[^1]),
            serverCpu, driverCpu,
            results.Any(r => r.Count == options.MaxPerWorker));
    }

    private static TimeSpan ServersCpu(IReadOnlyList<ChildProcess> servers) =>
        servers.Aggregate(TimeSpan.Zero, (sum, server) => sum + server.CpuTime());

    private static async Task<(WorkerResult[] Results, TimeSpan Elapsed)> RunWorkersAsync(
        HttpClient client, Uri[] uris, Scenario scenario, byte[] marker, long[][] latencies, int[] starts, TimeSpan duration)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = new Task<WorkerResult>[latencies.Length];
        for (var w = 0; w < latencies.Length; w++)
        {
            var worker = w;
            tasks[w] = Task.Run(() => WorkerAsync(client, uris[worker % uris.Length], scenario, marker, starts[worker], latencies.Length, deadline, latencies[worker]));
        }

        var results = await Task.WhenAll(tasks);
        return (results, Stopwatch.GetElapsedTime(start));
    }

    private static async Task<WorkerResult> WorkerAsync(
        HttpClient client, Uri uri, Scenario scenario, byte[] marker, int start, int workers, long deadline, long[] latencies)
    {
        var buffer = new byte[BodyBufferBytes];
        var discard = new byte[16 * 1024];
        var pool = scenario.Pool;
        var next = start;
        int count = 0;
        long non2xx = 0, unexpected = 0, failures = 0;
        while (count < latencies.Length)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= deadline) break;
            var prepared = pool[next % pool.Length];
            next += workers;
            using var request = prepared.ToMessage(uri, scenario.ContentType);
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var stream = await response.Content.ReadAsStreamAsync();
                var filled = 0;
                int read;
                while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled))) > 0)
                    filled += read;
                while (filled == buffer.Length && await stream.ReadAsync(discard) > 0)
                {
                    // Longer than the buffer: drain the rest; only the start is checked.
                }

                latencies[count++] = Stopwatch.GetTimestamp() - started;
                if ((int)response.StatusCode is < 200 or > 299) non2xx++;
                else if (buffer.AsSpan(0, filled).IndexOf(marker) < 0) unexpected++;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                failures++;
                if (failures > 1000) break;
            }
        }

        return new WorkerResult(count, non2xx, unexpected, failures, next);
    }

    /// <summary>
    /// Open loop: request i is due at start + i / rate and is sent then (or at once if the driver is
    /// late), without waiting for earlier answers; its latency runs from when it was due, so queueing
    /// behind a slow answer counts against the server instead of quietly lowering the rate.
    /// </summary>
    private static async Task<PhaseResult> RunOpenLoopAsync(HttpClient client, ChildProcess server, Scenario scenario, LoadOptions options)
    {
        var uri = new Uri(server.BaseUrl, scenario.Path);
        if (options.WarmupSeconds > 0)
            await ScheduleAsync(client, uri, scenario, options.Rate, TimeSpan.FromSeconds(options.WarmupSeconds));
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var driver = Process.GetCurrentProcess();
        var serverCpuBefore = server.CpuTime();
        driver.Refresh();
        var driverCpuBefore = driver.TotalProcessorTime;
        var (latencies, outcomes, elapsed) = await ScheduleAsync(client, uri, scenario, options.Rate, TimeSpan.FromSeconds(options.Seconds));
        var serverCpu = server.CpuTime() - serverCpuBefore;
        driver.Refresh();
        var driverCpu = driver.TotalProcessorTime - driverCpuBefore;

        var answered = latencies.Where((_, i) => outcomes[i] != Outcome.Failed).ToArray();
        Array.Sort(answered);
        return new PhaseResult(
            scenario.Name, server.Name, latencies.Length,
            outcomes.Count(o => o == Outcome.Non2xx), outcomes.Count(o => o == Outcome.Unexpected), outcomes.Count(o => o == Outcome.Failed),
            elapsed.TotalSeconds,
            Percentile(answered, 50), Percentile(answered, 90), Percentile(answered, 99), answered.Length == 0 ? 0 : ToMs(answered[^1]),
            serverCpu, driverCpu, HitCapacity: false);
    }

    private enum Outcome : byte { Ok, Non2xx, Unexpected, Failed }

    private static async Task<(long[] Latencies, Outcome[] Outcomes, TimeSpan Elapsed)> ScheduleAsync(
        HttpClient client, Uri uri, Scenario scenario, double rate, TimeSpan duration)
    {
        var count = (int)Math.Max(1, rate * duration.TotalSeconds);
        var latencies = new long[count];
        var outcomes = new Outcome[count];
        var sends = new Task[count];
        var period = Stopwatch.Frequency / rate;
        var oneMillisecond = Stopwatch.Frequency / 1000;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * period);
            // Timers tick about once a millisecond: sleep while the wait is longer, then yield until it is due.
            while (Stopwatch.GetTimestamp() is var now && now < due)
            {
                if (due - now > oneMillisecond) await Task.Delay(1);
                else await Task.Yield();
            }

            sends[i] = SendDueAsync(client, uri, scenario, i, due, latencies, outcomes);
        }

        await Task.WhenAll(sends);
        return (latencies, outcomes, Stopwatch.GetElapsedTime(start));
    }

    private static async Task SendDueAsync(HttpClient client, Uri uri, Scenario scenario, int index, long due, long[] latencies, Outcome[] outcomes)
    {
        using var request = scenario.Pool[index % scenario.Pool.Length].ToMessage(uri, scenario.ContentType);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var body = await response.Content.ReadAsByteArrayAsync();
            latencies[index] = Stopwatch.GetTimestamp() - due;
            outcomes[index] = (int)response.StatusCode is < 200 or > 299 ? Outcome.Non2xx
                : body.AsSpan().IndexOf(scenario.ExpectedMarker) < 0 ? Outcome.Unexpected
                : Outcome.Ok;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            latencies[index] = Stopwatch.GetTimestamp() - due;
            outcomes[index] = Outcome.Failed;
        }
    }

    private static double Percentile(long[] sorted, double percent)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return ToMs(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <param name="Next">The pool index this worker would have sent next.</param>
    private readonly record struct WorkerResult(int Count, long Non2xx, long Unexpected, long Failures, int Next);
}
