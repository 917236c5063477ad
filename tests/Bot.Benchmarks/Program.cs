using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Bot.Benchmarks;

// dotnet run -c Release --project tests/Bot.Benchmarks -- <command> [options]
//   generate  write the generated JSONL (cached in --dir) and print its path
//   import    time IncidentImporter.ImportAsync of N generated incidents into a new database; peak memory  [--breakdown] [--via-cli] [--keep] [--what-if bulk-fts,cache64m,fts-hash64m]
//   lookup    "incident <query>" through CommandRouter over the N-incident store: median/p90/p99 per query kind  [--exact 5000] [--fuzzy 300] [--no-breakdown] [--what-if fuzzy]
//   cli       `bot incident balloon` as a whole process (src/Bot/bin/Release/net10.0/bot)  [--runs 10] [--query balloon] [--build] [--large]
//   sockets   the Release bot in Discord Gateway + Slack Socket Mode against the fakes: reconnect time, answer time, memory over 10,000 interactions  [--interactions 10000] [--concurrency 8] [--drops 20]
//   content   an edit's save, then the next /incident and /ask that see it, over the seeds and the N-incident store; export and import times  [--edits 200] [--no-export]
//   ask       Q&A with the embedding model: vector build rate, latency, scores per question set, memory; seed store then --count N  [--passes 5] [--seeds-only] [--sets tuning.json,questions.json]
//   memory    the Release host's RSS in local mode with the model: idle, then while another process imports and vectors are built  [--import 300]
//   vectors   build (once, cached) the N-incident store with the seeds and every passage vector, for ask
//   feeds     fetch + parse throughput against a local FeedServer: feeds/s, CPU per item; 304 pass; parse alone  [--feeds 1000] [--items 50] [--concurrency 8]
//   feed-items CPU per new feed item fetched from a local FeedServer, stored, linked and indexed (vectors included); the digest's New reporting over 100,000 items  [--feeds 20] [--items 100000]
//   feed-round N feeds × M items polled in the poller's rounds from a local FeedServer: cold, K new per feed, all 304  [--feeds 1000] [--items 50] [--fresh 2] [--no-vectors]
//   cluster-fanout  N channels due the same minute, posted by 1, 2, 3 bot.dll processes on one PostgreSQL to the fakes: time to the last post, posts/s, 429s  [--channels 2000] [--instances 1,2,3] [--lead 45]
//   cluster-http    signed Discord/Slack requests through 1 host on SQLite, 1 and 2 on PostgreSQL: req/s, latency, CPU/req  [--seconds 10] [--warmup 2] [--connections 32]
//   bdn       BenchmarkDotNet ([MemoryDiagnoser]) over the N-incident store; other arguments go to BenchmarkDotNet
// Common: --count 100000  --seed 42  --dir <cache folder, default $TMPDIR/bot-bench>
var arguments = new Arguments(args.Skip(1).ToList());
var defaults = BenchSettings.FromEnvironment();
var settings = new BenchSettings(
    Path.GetFullPath(arguments.Text("--dir", defaults.Directory)),
    arguments.Number("--count", defaults.Count),
    arguments.Number("--seed", defaults.Seed));
Directory.CreateDirectory(settings.Directory);
// Other work on a 2-core machine skews every figure: say how busy it was.
if (File.Exists("/proc/loadavg")) Console.WriteLine($"Load average at start: {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores)");

switch (args.FirstOrDefault())
{
    case "load":
        return await Bot.Benchmarks.Load.LoadCommand.RunAsync([.. args.Skip(1)]);
    case "generate":
        Console.WriteLine(await BenchFiles.EnsureJsonLinesAsync(settings, Console.Out));
        return 0;
    case "import" when arguments.Flag("--via-cli"):
        return ImportRun.RunViaCli(settings, arguments);
    case "import":
        return await ImportRun.RunAsync(settings, arguments);
    case "ask":
        return await AskRun.RunAsync(settings, arguments);
    case "content":
        return await ContentRun.RunAsync(settings, arguments);
    case "memory":
        return await MemoryRun.RunAsync(settings, arguments);
    case "vectors":
        Console.WriteLine(await AskRun.EnsureMixedStoreAsync(settings, BenchFiles.RepositoryRoot()));
        return 0;
    case "fanout":
        return await FanOutRun.RunAsync(arguments);
    case "cluster-fanout":
        return await ClusterFanOutRun.RunAsync(arguments);
    case "cluster-http":
        return await Bot.Benchmarks.Load.ClusterHttpRun.RunAsync([.. args.Skip(1)]);
    case "feeds":
        return await FeedsRun.RunAsync(arguments);
    case "sockets":
        return await SocketsRun.RunAsync(arguments);
    case "digest":
        Console.WriteLine("| what | runs | median | p90 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        return await DigestRun.RunAsync(settings, arguments);
    case "feed-items":
        return await FeedItemsRun.RunAsync(settings, arguments);
    case "feed-round":
        return await FeedRoundRun.RunAsync(settings, arguments);
    case "lookup":
        return await LookupRun.RunAsync(settings, arguments);
    case "cli":
        return await CliRun.RunAsync(settings, arguments);
    case "bdn":
        {
            // BenchmarkDotNet runs each benchmark in a child process: hand it the same settings, and the store built now.
            Environment.SetEnvironmentVariable("BOT_BENCH_DIR", settings.Directory);
            Environment.SetEnvironmentVariable("BOT_BENCH_COUNT", settings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Environment.SetEnvironmentVariable("BOT_BENCH_SEED", settings.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);

            var bdnArgs = arguments.Without("--count", "--seed", "--dir").ToList();
            if (!bdnArgs.Contains("--filter") && !bdnArgs.Contains("-f")) bdnArgs.AddRange(["--filter", "*"]);
            var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(BenchFiles.RepositoryRoot(), "tests", "Bot.Benchmarks", "BenchmarkDotNet.Artifacts"));
            // A shorter default than BenchmarkDotNet's own, so the whole set runs in a couple of minutes; --job overrides it.
            if (!bdnArgs.Contains("--job") && !bdnArgs.Contains("-j"))
                config = config.AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithLaunchCount(1).WithId("Bot"));
            var summaries = BenchmarkSwitcher.FromAssembly(typeof(LookupBenchmarks).Assembly).Run([.. bdnArgs], config);
            return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
        }
    default:
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Bot.Benchmarks -- generate|import|lookup|cli|bdn [--count N] [--seed S] [--dir DIR] [options]");
        Console.Error.WriteLine("  import [--breakdown] [--via-cli] [--keep] [--what-if …] · lookup [--exact N] [--fuzzy N] [--no-breakdown] [--what-if fuzzy] · cli [--runs N] [--query Q] [--build] [--large] · bdn [BenchmarkDotNet options]");
        return 2;
}
