using System.Globalization;

namespace Bot.Benchmarks.Load;

/// <summary>The load run's options: "--name value" pairs and bare flags, unknown ones refused.</summary>
internal sealed record LoadOptions
{
    public const string Usage =
        """
        usage: load [--seconds 10] [--warmup 2] [--connections 32] [--rate 0] [--pool 1000] [--gc workstation|server|default]
                    [--only all|discord|slack] [--settle 3] [--max-per-worker 100000] [--repo <root>] [--build] [--out <file.md>]
                    [--host-env NAME=VALUE]…   (extra environment for the host only: what-ifs such as DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)
               load bare --urls http://127.0.0.1:<port>      (internal: the bare verify-only endpoints)
        """;

    /// <summary>Measured seconds per scenario, after the warm-up.</summary>
    public double Seconds { get; init; } = 10;

    public double WarmupSeconds { get; init; } = 2;

    /// <summary>
    /// Open loop: requests per second sent on a fixed schedule whatever the answers do, each timed
    /// from when it was due (so a stall shows in every request it delays). 0: closed loop, one
    /// request per connection at a time, which measures throughput rather than latency.
    /// </summary>
    public double Rate { get; init; }

    /// <summary>Concurrent connections, one worker task each.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>Pre-signed requests per scenario, rotated through by the workers.</summary>
    public int PoolSize { get; init; } = 1000;

    /// <summary>
    /// The bot answers a signed Slack request once (a repeat within five minutes is a replay and gets
    /// an empty 200), so the Slack host scenario needs a request per send: enough for the warm-up and
    /// the measured seconds at the rate given, or at 40,000 req/s closed-loop (more than 2 cores reach).
    /// </summary>
    public int UniqueRequests => Math.Max(PoolSize, (int)Math.Ceiling((Rate > 0 ? Rate * 1.1 : 40_000) * (Seconds + WarmupSeconds)));

    /// <summary>Latency slots per worker: the loop stops at this count even before the time is up.</summary>
    public int MaxPerWorker { get; init; } = 100_000;

    /// <summary>workstation (DOTNET_gcServer=0), server (=1) or default (the host's runtimeconfig, which is Server GC).</summary>
    public string Gc { get; init; } = "workstation";

    public string Only { get; init; } = "all";

    /// <summary>Seconds the host is left alone before an RSS reading.</summary>
    public double SettleSeconds { get; init; } = 3;

    public string? Repository { get; init; }

    public bool Build { get; init; }

    public string? OutPath { get; init; }

    /// <summary>Extra environment variables for the host, applied last (what-ifs without touching src/).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> HostEnvironment { get; init; } = [];

    public bool RunDiscord => Only is "all" or "discord";

    public bool RunSlack => Only is "all" or "slack";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--seconds" => options with { Seconds = Positive(name, Next()) },
                "--warmup" => options with { WarmupSeconds = NonNegative(name, Next()) },
                "--connections" => options with { Connections = (int)Positive(name, Next()) },
                "--rate" => options with { Rate = NonNegative(name, Next()) },
                "--pool" => options with { PoolSize = (int)Positive(name, Next()) },
                "--max-per-worker" => options with { MaxPerWorker = (int)Positive(name, Next()) },
                "--settle" => options with { SettleSeconds = NonNegative(name, Next()) },
                "--gc" => options with { Gc = OneOf(name, Next(), "workstation", "server", "default") },
                "--only" => options with { Only = OneOf(name, Next(), "all", "discord", "slack") },
                "--repo" => options with { Repository = Next() },
                "--out" => options with { OutPath = Next() },
                "--build" => options with { Build = true },
                "--host-env" => options with { HostEnvironment = [.. options.HostEnvironment, Variable(name, Next())] },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return options;
    }

    private static KeyValuePair<string, string> Variable(string name, string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? new(text[..equals], text[(equals + 1)..]) : throw new ArgumentException($"{name} needs NAME=VALUE, not '{text}'");
    }

    private static double Positive(string name, string text)
    {
        var value = NonNegative(name, text);
        return value > 0 ? value : throw new ArgumentException($"{name} must be positive");
    }

    private static double NonNegative(string name, string text) =>
        double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new ArgumentException($"{name} needs a non-negative number, not '{text}'");

    private static string OneOf(string name, string text, params string[] allowed) =>
        allowed.Contains(text, StringComparer.Ordinal) ? text : throw new ArgumentException($"{name} must be one of {string.Join(", ", allowed)}");
}
