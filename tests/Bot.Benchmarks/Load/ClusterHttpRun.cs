using System.Globalization;
using Bot.Testing;

namespace Bot.Benchmarks.Load;

/// <summary>
/// "cluster-http": the load driver's signed Discord and Slack requests (closed loop) through one bot host on
/// SQLite, one on PostgreSQL and two on one PostgreSQL (the connections split evenly over both ports, no proxy),
/// each host a Release <c>bot.dll</c> child process. Requests per second, latency and server CPU per request
/// (summed over the instances), one table for the three set-ups. The driver and every server share the cores.
/// </summary>
internal static class ClusterHttpRun
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);

    private sealed record Setup(string Store, int Instances);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"cluster-http: {ex.Message}\nusage: cluster-http [--seconds 10] [--warmup 2] [--connections 32] [--only all|discord|slack]");
            return 2;
        }

        var botDll = Path.Combine(RepoPaths.Root, "src", "Bot", "bin", "Release", "net10.0", "bot.dll");
        if (!File.Exists(botDll))
        {
            await Console.Error.WriteLineAsync($"cluster-http: {botDll} is missing: dotnet build -c Release src/Bot");
            return 2;
        }

        await Progress("starting a throw-away PostgreSQL 15");
        await using var postgres = await PostgresServer.StartAsync();
        var rows = new List<string>();
        var ok = true;
        foreach (var setup in new[] { new Setup("SQLite", 1), new Setup("PostgreSQL", 1), new Setup("PostgreSQL", 2) })
        {
            var (setupRows, setupOk) = await MeasureAsync(postgres, botDll, setup, options);
            rows.AddRange(setupRows);
            ok &= setupOk;
        }

        Console.WriteLine();
        Console.WriteLine(Inv($"Signed /incident and autocomplete requests, closed loop, {options.Connections} connections from this process ({options.WarmupSeconds:0.#} s warm-up + {options.Seconds:0.#} s each; Slack at most 1 s + 4 s, below the bot's 100,000 remembered signatures), Release bot.dll hosts, workstation GC, Answers:Embeddings=false; PostgreSQL 15 throw-away cluster (fsync off); everything on the same {Environment.ProcessorCount} cores."));
        Console.WriteLine();
        Console.WriteLine("| store | instances | scenario | req/s | p50 ms | p99 ms | errors | server CPU µs/req | load average (start → end) |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows) Console.WriteLine(row);
        return ok ? 0 : 1;
    }

    private static async Task<(List<string> Rows, bool Ok)> MeasureAsync(PostgresServer postgres, string botDll, Setup setup, LoadOptions options)
    {
        var temp = Directory.CreateTempSubdirectory("bot-cluster-http-");
        var connectionString = setup.Store == "PostgreSQL" ? await postgres.CreateDatabaseAsync() : null;
        using var signer = new RequestSigner();
        var hosts = new List<ChildProcess>();
        var rows = new List<string>();
        var ok = true;
        try
        {
            for (var i = 0; i < setup.Instances; i++)
            {
                var url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
                var environment = HostEnvironment(signer, temp.FullName, connectionString, i);
                await Progress($"{setup.Store} × {setup.Instances}: starting bot-{i} on {url}");
                var host = ChildProcess.Start($"bot-{i}", Dotnet(), [botDll, "--urls", url.ToString().TrimEnd('/')], RepoPaths.Root, environment, url);
                hosts.Add(host);
                // One at a time: the first migrates and seeds, the others find it done, as a rolling start would.
                await host.WaitReadyAsync("/healthz", StartTimeout);
            }

            await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
            using var client = LoadDriver.CreateClient(options.Connections);
            var scenarios = new List<Scenario>();
            if (options.RunDiscord)
            {
                scenarios.Add(signer.DiscordIncident("host", options.PoolSize, bare: false));
                scenarios.Add(signer.DiscordAutocomplete("host", options.PoolSize));
            }

            // Each Slack request is new: a repeat is a replay and gets an empty answer.
            if (options.RunSlack) scenarios.Add(signer.SlackIncident("host", options.UniqueRequests, bare: false));
            foreach (var scenario in scenarios)
            {
                foreach (var host in hosts)
                {
                    if (await LoadDriver.CheckAsync(client, host, scenario) is { } problem)
                        throw new InvalidOperationException($"sanity check failed, nothing measured: {problem}\n{host.Tail()}");
                }

                var loadAtStart = LoadAverage();
                await Progress($"{setup.Store} × {setup.Instances}: {scenario.Name}");
                // A host remembers at most 100,000 signed Slack requests for their five minutes (SlackReplayGuard) and refuses
                // more with 429: at 10,000+ req/s a 10 s closed loop gets there, so the Slack scenario runs 1 s + 4 s at most.
                var phase = scenario.Path.StartsWith("/slack", StringComparison.Ordinal)
                    ? options with { Seconds = Math.Min(options.Seconds, 4), WarmupSeconds = Math.Min(options.WarmupSeconds, 1) }
                    : options;
                var result = await LoadDriver.RunAsync(client, hosts, scenario, phase);
                ok &= result.Errors == 0 && result.UnexpectedBodies == 0;
                var row = Inv($"| {setup.Store} | {setup.Instances} | {result.Scenario} | {result.RequestsPerSecond:N0} | {result.P50Ms:0.00} | {result.P99Ms:0.00} | {result.Errors + result.UnexpectedBodies} | {result.ServerCpuPerRequestUs:0} | {loadAtStart} → {LoadAverage()} |");
                await Progress(row);
                rows.Add(row);
            }

            if (hosts.FirstOrDefault(h => h.HasExited) is { } dead)
                throw new InvalidOperationException($"{dead.Name} died during the run:\n{dead.Tail()}");
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
            if (connectionString is not null) await postgres.DropDatabaseAsync(connectionString);
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }

        return (rows, ok);
    }

    /// <summary>The load run's host settings; on PostgreSQL the shared store and a cluster name per instance instead of a SQLite file.</summary>
    private static Dictionary<string, string?> HostEnvironment(RequestSigner signer, string folder, string? postgres, int index)
    {
        var environment = new Dictionary<string, string?>
        {
            ["Seeds__Path"] = RepoPaths.Seeds,
            // /incident and autocomplete never embed; the model would only load at start-up on every instance.
            ["Answers__Embeddings"] = "false",
            ["Discord__ApplicationId"] = RequestSigner.DiscordApplicationId,
            ["Discord__PublicKey"] = signer.DiscordPublicKeyHex,
            ["Discord__BotToken"] = "load-test-token",
            // Never called for these commands: answers come in the HTTP response. Port 9 (discard) on loopback, in case.
            ["Discord__ApiBaseUrl"] = "http://127.0.0.1:9/",
            ["Slack__SigningSecret"] = signer.SlackSigningSecret,
            ["Slack__BotToken"] = "xoxb-load",
            ["Slack__ApiBaseUrl"] = "http://127.0.0.1:9/",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_URLS"] = null,
            ["DOTNET_URLS"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["DOTNET_ENVIRONMENT"] = null,
            ["DOTNET_gcServer"] = "0",
        };
        if (postgres is null)
        {
            environment["Storage__Path"] = Path.Combine(folder, "bot.db");
        }
        else
        {
            environment["Storage__Provider"] = "Postgres";
            environment["Storage__ConnectionString"] = postgres;
            environment["Scheduler__InstanceId"] = $"bot-{index}";
        }

        return environment;
    }

    private static string Dotnet() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static Task Progress(string line) => Console.Error.WriteLineAsync($"cluster-http: {line}");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
