using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Bot.Benchmarks.Load;

/// <summary>
/// <c>load</c>: the bot host (Release, a child process on 127.0.0.1) under signed Discord and Slack
/// /incident traffic from 32 connections, next to a bare child process that only verifies the
/// signatures (the machine's limit); throughput, latency percentiles, CPU per request and RSS, as a
/// markdown table on stdout (progress on stderr). <c>load bare --urls …</c> is that bare server.
/// </summary>
/// <remarks>
/// <paramref name="args"/> of <see cref="RunAsync"/> are the arguments after the word "load" (a
/// leading "load" is skipped too). The bare child is this same executable started as
/// <c>&lt;entry&gt; load bare --urls http://127.0.0.1:&lt;port&gt;</c>, so the program that calls
/// RunAsync must route "load" to it.
/// </remarks>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var list = args.ToList();
        if (list.Count > 0 && list[0] == "load") list.RemoveAt(0);
        if (list.Count > 0 && list[0] == "bare") return await BareServer.RunAsync([.. list.Skip(1)]);

        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(list);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"load: {ex.Message}\n{LoadOptions.Usage}");
            return 2;
        }

        try
        {
            return await LoadRun.RunAsync(options, list);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"load: {ex.Message}");
            return 1;
        }
    }
}

/// <summary>One whole load run: build check, the two children, the scenarios in turn, the report.</summary>
internal static class LoadRun
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(LoadOptions options, IReadOnlyList<string> args)
    {
        var repository = FindRepository(options.Repository)
            ?? throw new InvalidOperationException("cannot find the repository root (a folder with src/Bot/Bot.csproj); pass --repo");
        var botDll = Path.Combine(repository, "src", "Bot", "bin", "Release", "net10.0", "bot.dll");
        if (options.Build || !File.Exists(botDll)) await BuildAsync(repository);
        if (!File.Exists(botDll)) throw new InvalidOperationException($"{botDll} is missing after the build");

        var report = new LoadReport
        {
            Options = options,
            Command = CommandLineText(),
            Equivalent = "dotnet run -c Release --project tests/Bot.Benchmarks -- load" + string.Concat(args.Select(a => " " + a)),
            LoadAverageAtStart = LoadAverage(),
            BotBuiltAt = File.GetLastWriteTimeUtc(botDll),
            NewestSourceAt = NewestSource(repository),
        };

        var temp = Directory.CreateTempSubdirectory("bot-load-");
        using var signer = new RequestSigner();
        var hostGcServer = ReadsServerGc(Path.ChangeExtension(botDll, ".runtimeconfig.json"));
        var (gcVariable, gcText) = options.Gc switch
        {
            "workstation" => ((string?)"0", "workstation (DOTNET_gcServer=0 for host and bare)"),
            "server" => ("1", "server (DOTNET_gcServer=1 for host and bare)"),
            _ => (null, $"default: the host's runtimeconfig ({(hostGcServer ? "Server" : "Workstation")} GC); bare set to match"),
        };
        report.GcMode = gcText;

        ChildProcess? host = null;
        ChildProcess? bare = null;
        try
        {
            var hostUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
            var hostEnvironment = new Dictionary<string, string?>
            {
                ["Storage__Path"] = Path.Combine(temp.FullName, "bot.db"),
                ["Seeds__Path"] = Path.Combine(repository, "seeds"),
                ["Discord__ApplicationId"] = RequestSigner.DiscordApplicationId,
                ["Discord__PublicKey"] = signer.DiscordPublicKeyHex,
                ["Discord__BotToken"] = "load-test-token",
                // Never called for these commands: answers come in the HTTP response. Port 9 (discard) on loopback, in case.
                ["Discord__ApiBaseUrl"] = "http://127.0.0.1:9/",
                ["Slack__SigningSecret"] = signer.SlackSigningSecret,
                ["Slack__BotToken"] = "xoxb-load",
                ["Slack__ApiBaseUrl"] = "http://127.0.0.1:9/",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
                ["ASPNETCORE_URLS"] = null,
                ["DOTNET_URLS"] = null,
                ["ASPNETCORE_ENVIRONMENT"] = null,
                ["DOTNET_ENVIRONMENT"] = null,
                ["DOTNET_gcServer"] = gcVariable,
            };

            foreach (var (name, value) in options.HostEnvironment) hostEnvironment[name] = value;
            report.HostEnvironment = string.Join(' ', hostEnvironment.Select(v => v.Value is null ? $"-u {v.Key}"
                : v.Key is "Discord__PublicKey" or "Slack__SigningSecret" ? $"{v.Key}=<generated>" : $"{v.Key}={v.Value}"));

            await Progress($"starting the host: dotnet {botDll} --urls {hostUrl}");
            host = ChildProcess.Start("host", DotnetExecutable(), [botDll, "--urls", hostUrl.ToString().TrimEnd('/')], repository, hostEnvironment, hostUrl);
            // Not /readyz: that asks Discord and Slack, which are not there. The host listens only once the
            // store is migrated and seeded, and the sanity check below proves it answers.
            report.HostStartup = await host.WaitReadyAsync("/healthz", StartTimeout);
            report.HostCommand = host.CommandLine;

            var bareUrl = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
            var (self, selfArguments) = SelfCommand("load", "bare", "--urls", bareUrl.ToString().TrimEnd('/'));
            var bareEnvironment = new Dictionary<string, string?>
            {
                [BareServer.PublicKeyVariable] = signer.DiscordPublicKeyHex,
                [BareServer.SigningSecretVariable] = signer.SlackSigningSecret,
                ["ASPNETCORE_URLS"] = null,
                ["DOTNET_URLS"] = null,
                ["ASPNETCORE_ENVIRONMENT"] = null,
                ["DOTNET_ENVIRONMENT"] = null,
                ["DOTNET_gcServer"] = gcVariable ?? (hostGcServer ? "1" : "0"),
            };
            await Progress($"starting the bare server: {self} {string.Join(' ', selfArguments)}");
            bare = ChildProcess.Start("bare", self, selfArguments, temp.FullName, bareEnvironment, bareUrl);
            await bare.WaitReadyAsync("/readyz", StartTimeout);
            report.BareCommand = bare.CommandLine;

            await Progress($"settling {options.SettleSeconds:0.#} s, then reading idle RSS");
            await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
            report.Memory["host"] = new MemoryFigures { Idle = host.StatusMegabytes("VmRSS"), IdleThreads = host.ThreadCount(), IdleDatabaseHandles = host.OpenFiles("bot.db") };
            report.Memory["bare"] = new MemoryFigures { Idle = bare.StatusMegabytes("VmRSS"), IdleThreads = bare.ThreadCount() };

            using var hostClient = LoadDriver.CreateClient(options.Connections);
            using var bareClient = LoadDriver.CreateClient(options.Connections);

            if (options.RunDiscord)
            {
                await PhaseAsync(report, bareClient, bare, signer.DiscordIncident("bare", options.PoolSize, bare: true), options);
                await PhaseAsync(report, hostClient, host, signer.DiscordIncident("host", options.PoolSize, bare: false), options);
                await PhaseAsync(report, hostClient, host, signer.DiscordAutocomplete("host", options.PoolSize), options);
                report.Memory["host"].AfterDiscord = host.StatusMegabytes("VmRSS");
            }

            if (options.RunSlack)
            {
                await PhaseAsync(report, bareClient, bare, signer.SlackIncident("bare", options.PoolSize, bare: true), options);
                await PhaseAsync(report, hostClient, host, signer.SlackIncident("host", options.UniqueRequests, bare: false), options);
                report.Memory["host"].AfterSlack = host.StatusMegabytes("VmRSS");
            }

            report.Memory["bare"].AfterSlack = bare.StatusMegabytes("VmRSS");
            await Progress($"settling {options.SettleSeconds:0.#} s after the load");
            await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds));
            foreach (var (name, child) in new[] { ("host", host), ("bare", bare) })
            {
                report.Memory[name].Settled = child.StatusMegabytes("VmRSS");
                report.Memory[name].Peak = child.StatusMegabytes("VmHWM");
                report.Memory[name].SettledThreads = child.ThreadCount();
                report.Memory[name].SettledDatabaseHandles = name == "host" ? child.OpenFiles("bot.db") : null;
            }

            if (host.HasExited || bare.HasExited)
                throw new InvalidOperationException($"a server died during the run.\nhost:\n{host.Tail()}\nbare:\n{bare.Tail()}");
            report.HostLogTail = host.Tail();
        }
        finally
        {
            if (bare is not null) await bare.DisposeAsync();
            if (host is not null) await host.DisposeAsync();
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }

        report.LoadAverageAtEnd = LoadAverage();
        var markdown = report.ToMarkdown();
        Console.Out.Write(markdown);
        await Console.Out.FlushAsync();
        if (options.OutPath is { } outPath)
        {
            var full = Path.GetFullPath(outPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, markdown);
            await Progress($"written to {full}");
        }

        return report.AllRequestsSucceeded ? 0 : 1;
    }

    private static async Task PhaseAsync(LoadReport report, HttpClient client, ChildProcess server, Scenario scenario, LoadOptions options)
    {
        if (await LoadDriver.CheckAsync(client, server, scenario) is { } problem)
            throw new InvalidOperationException($"sanity check failed, nothing measured: {problem}\n{server.Name} output:\n{server.Tail()}");
        await Progress($"{scenario.Name} → {server.Name}: {options.WarmupSeconds:0.#} s warm-up + {options.Seconds:0.#} s measured, {options.Connections} connections");
        var result = await LoadDriver.RunAsync(client, server, scenario, options);
        await Progress($"  {result.RequestsPerSecond:0} req/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, errors {result.Errors}, unexpected {result.UnexpectedBodies}");
        report.Phases.Add(result);
    }

    private static Task Progress(string line) => Console.Error.WriteLineAsync($"load: {line}");

    private static string? FindRepository(string? given)
    {
        if (given is not null) return File.Exists(Path.Combine(given, "src", "Bot", "Bot.csproj")) ? Path.GetFullPath(given) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (File.Exists(Path.Combine(folder.FullName, "src", "Bot", "Bot.csproj"))) return folder.FullName;
        }

        return null;
    }

    private static async Task BuildAsync(string repository)
    {
        await Progress("building: dotnet build -c Release src/Bot");
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "-c", "Release", "src/Bot", "-nologo", "-v", "quiet" }) start.ArgumentList.Add(argument);
        using var build = Process.Start(start) ?? throw new InvalidOperationException("dotnet build did not start");
        // The report owns stdout: the build's output goes to stderr.
        var output = build.StandardOutput.ReadToEndAsync();
        var error = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        await Console.Error.WriteAsync(await output + await error);
        if (build.ExitCode != 0) throw new InvalidOperationException($"dotnet build -c Release src/Bot failed with exit code {build.ExitCode}");
    }

    /// <summary>The newest source file under src/ (bin and obj aside), to flag a bot.dll older than the code.</summary>
    private static DateTime NewestSource(string repository)
    {
        var newest = DateTime.MinValue;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repository, "src"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(repository, file).Replace('\\', '/');
            if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
            if (Path.GetExtension(file) is not (".cs" or ".csproj" or ".sql" or ".json")) continue;
            var written = File.GetLastWriteTimeUtc(file);
            if (written > newest) newest = written;
        }

        return newest;
    }

    private static bool ReadsServerGc(string runtimeConfig)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
            return document.RootElement.TryGetProperty("runtimeOptions", out var runtime)
                && runtime.TryGetProperty("configProperties", out var properties)
                && properties.TryGetProperty("System.GC.Server", out var server)
                && server.ValueKind == JsonValueKind.True;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return false;
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? $"{File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores)"
            : $"n/a ({Environment.ProcessorCount} cores)";

    /// <summary>How this process was started, the dotnet muxer included when that is how it runs.</summary>
    private static string CommandLineText()
    {
        var parts = new List<string>();
        if (Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet") parts.Add("dotnet");
        parts.AddRange(Environment.GetCommandLineArgs());
        return string.Join(' ', parts.Select(ChildProcess.Quote));
    }

    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    /// <summary>This program started again with <paramref name="arguments"/>: through the dotnet muxer when that is how it runs.</summary>
    private static (string FileName, string[] Arguments) SelfCommand(params string[] arguments)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable is running");
        var entry = Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet" && !string.IsNullOrEmpty(entry)
            ? (processPath, [entry, .. arguments])
            : (processPath, arguments);
    }
}
