using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Bot.Benchmarks.Load;

/// <summary>VmRSS readings of one child process, in MiB.</summary>
internal sealed class MemoryFigures
{
    public double? Idle { get; set; }
    public double? AfterDiscord { get; set; }
    public double? AfterSlack { get; set; }
    public double? Settled { get; set; }
    public double? Peak { get; set; }
    public int? IdleThreads { get; set; }
    public int? SettledThreads { get; set; }
    /// <summary>Descriptors open on bot.db: one per SQLite connection kept in the pool.</summary>
    public int? IdleDatabaseHandles { get; set; }
    public int? SettledDatabaseHandles { get; set; }
}

/// <summary>Everything one run found, written as markdown: context, the figures, the targets of the issue.</summary>
internal sealed class LoadReport
{
    /// <summary>"Flat under load": the settled RSS after the load may exceed the idle RSS by this fraction at most.</summary>
    public const double FlatTolerance = 0.20;

    public required LoadOptions Options { get; init; }
    public required string Command { get; init; }
    public required string Equivalent { get; init; }
    public required string LoadAverageAtStart { get; init; }
    public string? LoadAverageAtEnd { get; set; }
    public DateTime BotBuiltAt { get; init; }
    public DateTime NewestSourceAt { get; init; }
    public string GcMode { get; set; } = "";
    public string HostCommand { get; set; } = "";
    public string HostEnvironment { get; set; } = "";
    public string BareCommand { get; set; } = "";
    public TimeSpan HostStartup { get; set; }
    public string HostLogTail { get; set; } = "";
    public List<PhaseResult> Phases { get; } = [];
    public Dictionary<string, MemoryFigures> Memory { get; } = new(StringComparer.Ordinal);

    public bool AllRequestsSucceeded => Phases.All(p => p.Errors == 0 && p.UnexpectedBodies == 0);

    public string ToMarkdown()
    {
        var o = new StringBuilder();
        var options = Options;
        o.AppendLine("# Load: signed /incident traffic against the bot host on 127.0.0.1");
        o.AppendLine();
        o.AppendLine(Inv($"- When: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {RuntimeInformation.OSDescription} · .NET {Environment.Version}"));
        o.AppendLine($"- Load average at start: {LoadAverageAtStart}; at end: {LoadAverageAtEnd ?? "n/a"}");
        o.AppendLine($"- Command: `{Command}`");
        o.AppendLine($"- Once wired into Program.cs: `{Equivalent}`");
        o.AppendLine(Inv($"- Host: `{HostCommand}` (working directory: the repository root), ready after {HostStartup.TotalSeconds:0.0} s; bot.dll built {BotBuiltAt:yyyy-MM-dd HH:mm:ss} UTC")
            + (NewestSourceAt > BotBuiltAt ? Inv($" — **older than the newest file under src/ ({NewestSourceAt:HH:mm:ss} UTC); pass --build to rebuild**") : ""));
        o.AppendLine($"- Host environment (`-u` = removed if inherited; --host-env adds to it): `{HostEnvironment}`");
        o.AppendLine($"- Bare (verify the signature, return a fixed body; same Kestrel + minimal-API stack, no logging): `{BareCommand}`");
        o.AppendLine($"- GC: {GcMode}");
        var loop = options.Rate > 0
            ? Inv($"up to {options.Connections} connections, open loop at {options.Rate:0} requests/s on a fixed schedule, each latency counted from when the request was due")
            : Inv($"{options.Connections} connections and {options.Connections} workers (closed loop)");
        o.AppendLine(Inv($"- Driver: this process, HttpClient + SocketsHttpHandler, {loop}, {options.WarmupSeconds:0.#} s warm-up + {options.Seconds:0.#} s measured per scenario, {options.PoolSize} pre-signed requests per scenario rotated (signing outside the measured loop); it shares the cores with both servers"));
        o.AppendLine("- Latency: from SendAsync to the last byte of the body. CPU µs/req: user+system CPU of the server (or of this driver) during the measured window, per request");
        o.AppendLine();

        o.AppendLine("## Throughput and latency");
        o.AppendLine();
        o.AppendLine("| scenario | server | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | failed | unexpected body | server CPU µs/req | driver CPU µs/req |");
        o.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var p in Phases)
        {
            o.AppendLine(Inv($"| {p.Scenario} | {p.Target} | {p.Requests:N0}{(p.HitCapacity ? " (cap hit)" : "")} | {p.RequestsPerSecond:N0} | {p.P50Ms:0.00} | {p.P90Ms:0.00} | {p.P99Ms:0.00} | {p.MaxMs:0.00} | {p.Non2xx} | {p.Failures} | {p.UnexpectedBodies} | {p.ServerCpuPerRequestUs:0} | {p.DriverCpuPerRequestUs:0} |"));
        }

        o.AppendLine();
        o.AppendLine("## Against the targets");
        o.AppendLine();
        o.AppendLine("| check | figure | target | met |");
        o.AppendLine("|---|---|---|---|");
        var discordHost = Find("Discord /incident", "host");
        var discordBare = Find("Discord /incident", "bare");
        var autocomplete = Find("Discord autocomplete", "host");
        var slackHost = Find("Slack /incident", "host");
        var slackBare = Find("Slack /incident", "bare");
        if (discordHost is not null && discordBare is not null)
            Ratio(o, "Discord /incident throughput, host ÷ bare", discordHost, discordBare, 0.60);
        if (discordHost is not null) Latency(o, "Discord /incident p99 (host)", discordHost.P99Ms, 5);
        if (autocomplete is not null) Latency(o, "Discord autocomplete p99 (host)", autocomplete.P99Ms, 3);
        if (slackHost is not null && slackBare is not null)
            Ratio(o, "Slack /incident throughput, host ÷ bare", slackHost, slackBare, 0.40);
        if (slackHost is not null) Latency(o, "Slack /incident p99 (host)", slackHost.P99Ms, 5);
        if (Memory.TryGetValue("host", out var host))
        {
            if (host.Idle is { } idle)
                o.AppendLine(Inv($"| Host idle RSS (after start-up, seeding and {options.SettleSeconds:0.#} s) | {idle:0.0} MiB | < 120 MB | {Mark(idle < 120)} |"));
            if (host.Idle is { } before && host.Settled is { } after)
                o.AppendLine(Inv($"| Host RSS after the load ({options.SettleSeconds:0.#} s settled) vs idle | {after:0.0} MiB ({after - before:+0.0;-0.0} MiB, {(after - before) / before:+0%;-0%}); peak {host.Peak:0.0} MiB{BareGrowth()} | flat (≤ +{FlatTolerance:0%}) | {Mark(after <= before * (1 + FlatTolerance))} |"));
        }

        var errors = Phases.Sum(p => p.Errors);
        var unexpected = Phases.Sum(p => p.UnexpectedBodies);
        o.AppendLine(Inv($"| Non-2xx or failed requests, all scenarios | {errors} (unexpected bodies: {unexpected}) | 0 | {Mark(errors == 0 && unexpected == 0)} |"));
        o.AppendLine();

        o.AppendLine("## Memory (VmRSS from /proc/PID/status, MiB)");
        o.AppendLine();
        o.AppendLine("| process | idle | after Discord | after Slack | after load + settle | peak (VmHWM) | threads idle → after | descriptors on bot.db* idle → after |");
        o.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (name, m) in Memory)
            o.AppendLine($"| {name} | {Mib(m.Idle)} | {Mib(m.AfterDiscord)} | {Mib(m.AfterSlack)} | {Mib(m.Settled)} | {Mib(m.Peak)} | {Count(m.IdleThreads)} → {Count(m.SettledThreads)} | {Count(m.IdleDatabaseHandles)} → {Count(m.SettledDatabaseHandles)} |");

        if (Phases.Any(p => p.HitCapacity))
        {
            o.AppendLine();
            o.AppendLine(Inv($"A worker filled its {options.MaxPerWorker:N0} latency slots before the time was up (\"cap hit\"); raise --max-per-worker."));
        }

        if (!string.IsNullOrWhiteSpace(HostLogTail))
        {
            o.AppendLine();
            o.AppendLine("Host output (last lines, Warning and above):");
            o.AppendLine();
            o.AppendLine("```text");
            o.AppendLine(HostLogTail);
            o.AppendLine("```");
        }

        return o.ToString();
    }

    /// <summary>The bare server's growth under the same traffic: what Kestrel and the GC take whatever the bot does.</summary>
    private string BareGrowth() =>
        Memory.TryGetValue("bare", out var bare) && bare.Idle is { } idle && bare.Settled is { } settled
            ? Inv($"; the bare server grew {settled - idle:+0.0;-0.0} MiB under the same traffic")
            : "";

    private PhaseResult? Find(string scenario, string target) => Phases.FirstOrDefault(p => p.Scenario == scenario && p.Target == target);

    private static void Ratio(StringBuilder o, string check, PhaseResult host, PhaseResult bare, double target)
    {
        var ratio = bare.RequestsPerSecond > 0 ? host.RequestsPerSecond / bare.RequestsPerSecond : 0;
        o.AppendLine(Inv($"| {check} | {ratio:0.0%} ({host.RequestsPerSecond:N0} ÷ {bare.RequestsPerSecond:N0} req/s) | ≥ {target:0%} | {Mark(ratio >= target)} |"));
    }

    private static void Latency(StringBuilder o, string check, double p99, double limitMs) =>
        o.AppendLine(Inv($"| {check} | {p99:0.00} ms | < {limitMs:0} ms | {Mark(p99 < limitMs)} |"));

    private static string Mark(bool met) => met ? "yes" : "**no**";

    private static string Mib(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "–";

    private static string Count(int? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "–";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
