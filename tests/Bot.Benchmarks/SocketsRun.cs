using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bot.Benchmarks.Load;
using Bot.Testing.Discord;
using Bot.Testing.Slack;

namespace Bot.Benchmarks;

/// <summary>
/// "sockets": the Release bot as a child process in Discord Gateway and Slack Socket Mode, against
/// the fakes in this process. Per platform: reconnect time after a dropped socket, the time from an
/// event leaving the fake to the bot's answer arriving there (an upper bound of the bot's own time),
/// and the bot's resident memory every 2,500 interactions up to 10,000.
/// </summary>
public static class SocketsRun
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(Arguments args)
    {
        var interactions = args.Number("--interactions", 10_000);
        var concurrency = args.Number("--concurrency", 8);
        var drops = args.Number("--drops", 20);
        var repository = BenchFiles.RepositoryRoot();
        var botDll = Path.Combine(repository, "src", "Bot", "bin", "Release", "net10.0", "bot.dll");
        if (!File.Exists(botDll)) throw new InvalidOperationException($"build first: dotnet build -c Release src/Bot ({botDll} is missing)");

        await using var discord = await FakeDiscordServer.StartAsync();
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        discord.AddChannel(Channel);
        var temp = Directory.CreateTempSubdirectory("bot-sockets-");
        var url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        var bot = ChildProcess.Start("bot", "dotnet", [botDll, "--urls", url.ToString().TrimEnd('/')], repository, new Dictionary<string, string?>
        {
            ["Storage__Path"] = Path.Combine(temp.FullName, "bot.db"),
            ["Seeds__Path"] = Path.Combine(repository, "seeds"),
            ["Discord__Mode"] = "Gateway",
            ["Discord__ApplicationId"] = discord.ApplicationId,
            ["Discord__BotToken"] = discord.BotToken,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Slack__Mode"] = "Socket",
            ["Slack__BotToken"] = slack.BotToken,
            ["Slack__AppToken"] = slack.AppToken,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_URLS"] = null,
            ["DOTNET_URLS"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["DOTNET_ENVIRONMENT"] = null,
        }, url);
        try
        {
            return await MeasureAsync(discord, slack, bot, interactions, concurrency, drops);
        }
        finally
        {
            await bot.DisposeAsync();
            temp.Delete(recursive: true);
        }
    }

    private static async Task<int> MeasureAsync(FakeDiscordServer discord, FakeSlackServer slack, ChildProcess bot, int interactions, int concurrency, int drops)
    {
        var startup = await bot.WaitReadyAsync("/readyz", StartTimeout);
        Console.WriteLine($"Bot ready (gateway shard and sockets up) in {startup.TotalSeconds:F1} s; {interactions} interactions per platform, {concurrency} in flight.");
        Console.WriteLine();

        var discordRun = await DiscordAsync(discord, bot, interactions, concurrency, drops);
        var slackRun = await SlackAsync(slack, bot, interactions, concurrency, drops);

        Console.WriteLine("| platform | reconnect after drop: median / max | event → answer at the fake: median / p90 / p99 / max | answered | RSS after warm-up → 2.5k → 5k → 7.5k → 10k |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var run in new[] { discordRun, slackRun })
            Console.WriteLine($"| {run.Platform} | {run.Reconnect.Median:F0} / {run.Reconnect.Max:F0} ms | {run.Latency.Median:F2} / {run.Latency.P90:F2} / {run.Latency.P99:F2} / {run.Latency.Max:F1} ms | {run.Answered} of {run.Sent} (twice: {run.Duplicates}) | {string.Join(" → ", run.Memory.Select(m => m.ToString("F0", CultureInfo.InvariantCulture)))} MiB |");
        Console.WriteLine();
        Console.WriteLine("| platform | kind | count | median | p90 | p99 | max |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var run in new[] { discordRun, slackRun })
            foreach (var (kind, stats) in run.ByKind.OrderBy(k => k.Key, StringComparer.Ordinal))
                Console.WriteLine($"| {run.Platform} | {kind} | {stats.Count} | {stats.Median:F2} ms | {stats.P90:F2} ms | {stats.P99:F2} ms | {stats.Max:F1} ms |");
        return discordRun.Answered == discordRun.Sent && slackRun.Answered == slackRun.Sent && discordRun.Duplicates + slackRun.Duplicates == 0 ? 0 : 1;
    }

    private const string Guild = "7000000000000000001";
    private const string Channel = "7100000000000000001";

    private sealed record PlatformRun(string Platform, TimingStats Reconnect, TimingStats Latency, int Sent, int Answered, int Duplicates, IReadOnlyList<double> Memory)
    {
        public Dictionary<string, TimingStats> ByKind { get; init; } = [];
    }

    private static TimingStats Latency(ConcurrentBag<(string Kind, double Ms)> samples) => TimingStats.From(samples.Select(s => s.Ms).ToList());

    private static Dictionary<string, TimingStats> ByKind(ConcurrentBag<(string Kind, double Ms)> samples) =>
        samples.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => TimingStats.From(g.Select(s => s.Ms).ToList()));

    /// <summary>What people send, in turn: cards (cached per content version), Q&amp;A (computed each time), autocomplete.</summary>
    private static readonly (string Command, string Option, string Value, int Type)[] DiscordMix =
    [
        ("incident", "incident", "balloon", 2),
        ("ask", "question", "when was the balloon shot down?", 2),
        ("timeline", "incident", "huawei", 2),
        ("incident", "incident", "hik", 4),
    ];

    private static async Task<PlatformRun> DiscordAsync(FakeDiscordServer discord, ChildProcess bot, int count, int concurrency, int drops)
    {
        var pending = new ConcurrentDictionary<string, (long Sent, string Kind, TaskCompletionSource Done)>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<(string Kind, double Ms)>();
        var answeredTokens = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        discord.CallbackObserved = token =>
        {
            answeredTokens.AddOrUpdate(token, 1, (_, n) => n + 1);
            if (pending.TryRemove(token, out var entry))
            {
                latencies.Add((entry.Kind, Stopwatch.GetElapsedTime(entry.Sent).TotalMilliseconds));
                entry.Done.TrySetResult();
            }
        };

        var reconnects = new List<double>();
        for (var i = 0; i < drops; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await discord.DropGatewayAsync();
            while (discord.ReadyShardCount != 1) await Task.Delay(1);
            reconnects.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var n = 0;
        Task SendOne()
        {
            var i = Interlocked.Increment(ref n);
            var (command, option, value, type) = DiscordMix[i % DiscordMix.Length];
            var token = $"bench-{i}-{Guid.NewGuid():N}";
            var json = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["id"] = (9_300_000_000_000_000_000UL + (ulong)i).ToString(CultureInfo.InvariantCulture),
                ["application_id"] = discord.ApplicationId,
                ["type"] = type,
                ["data"] = new { id = "8000000000000000001", name = command, type = 1, options = new[] { new { name = option, type = 3, value, focused = type == 4 } } },
                ["guild_id"] = Guild,
                ["channel_id"] = Channel,
                ["member"] = new { user = new { id = "7200000000000000001", username = "bench" }, permissions = "0" },
                ["token"] = token,
                ["version"] = 1,
            });
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pending[token] = (Stopwatch.GetTimestamp(), type == 4 ? "autocomplete" : command, done);
            discord.DispatchInteraction(json);
            return done.Task;
        }

        var (sent, memory) = await DriveAsync(bot, count, concurrency, SendOne, () => latencies.Clear());
        discord.CallbackObserved = null;
        return new PlatformRun("Discord Gateway", TimingStats.From(reconnects), Latency(latencies), sent,
            answeredTokens.Count(t => t.Key.StartsWith("bench-", StringComparison.Ordinal)), answeredTokens.Count(t => t.Value > 1), memory)
        { ByKind = ByKind(latencies) };
    }

    private static async Task<PlatformRun> SlackAsync(FakeSlackServer slack, ChildProcess bot, int count, int concurrency, int drops)
    {
        // Either side may come first (the bot can answer before SendSlashCommand returns the id): both meet on one entry.
        var waiters = new ConcurrentDictionary<string, TaskCompletionSource<long>>(StringComparer.Ordinal);
        TaskCompletionSource<long> Waiter(string id) => waiters.GetOrAdd(id, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
        var latencies = new ConcurrentBag<(string Kind, double Ms)>();
        var acked = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        slack.AckObserved = envelopeId =>
        {
            var at = Stopwatch.GetTimestamp();
            if (acked.AddOrUpdate(envelopeId, 1, (_, n) => n + 1) == 1) Waiter(envelopeId).TrySetResult(at);
        };

        var reconnects = new List<double>();
        for (var i = 0; i < drops; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await slack.DropSocketsAsync();
            while (slack.OpenSocketCount < 2) await Task.Delay(1);
            reconnects.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var texts = new[] { ("/incident", "balloon"), ("/ask", "when was the balloon shot down?"), ("/timeline", "huawei") };
        var n = 0;
        Task SendOne()
        {
            var i = Interlocked.Increment(ref n);
            var (command, text) = texts[i % texts.Length];
            return AnswerAsync(command, text);
        }

        async Task AnswerAsync(string command, string text)
        {
            var sentAt = Stopwatch.GetTimestamp();
            var ackedAt = await Waiter(slack.SendSlashCommand(command, text)).Task;
            latencies.Add((command.TrimStart('/'), Stopwatch.GetElapsedTime(sentAt, ackedAt).TotalMilliseconds));
        }

        var (sent, memory) = await DriveAsync(bot, count, concurrency, SendOne, () => latencies.Clear());
        slack.AckObserved = null;
        return new PlatformRun("Slack Socket Mode", TimingStats.From(reconnects), Latency(latencies), sent,
            acked.Count, acked.Count(a => a.Value > 1), memory)
        { ByKind = ByKind(latencies) };
    }

    /// <summary>Warm-up, then <paramref name="count"/> sends with at most <paramref name="concurrency"/> unanswered; RSS after warm-up and every quarter.</summary>
    private static async Task<(int Sent, List<double> Memory)> DriveAsync(ChildProcess bot, int count, int concurrency, Func<Task> sendOne, Action resetLatencies)
    {
        var warmUp = Math.Min(500, count / 10);
        await RunBatchAsync(warmUp, concurrency, sendOne);
        resetLatencies();
        var memory = new List<double> { bot.StatusMegabytes("VmRSS") ?? 0 };
        var quarter = count / 4;
        for (var q = 0; q < 4; q++)
        {
            await RunBatchAsync(quarter, concurrency, sendOne);
            memory.Add(bot.StatusMegabytes("VmRSS") ?? 0);
        }

        return (warmUp + quarter * 4, memory);
    }

    private static async Task RunBatchAsync(int count, int concurrency, Func<Task> sendOne)
    {
        using var slots = new SemaphoreSlim(concurrency);
        var inFlight = new List<Task>(count);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        for (var i = 0; i < count; i++)
        {
            await slots.WaitAsync(timeout.Token);
            inFlight.Add(sendOne().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => slots.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(inFlight);
    }
}
