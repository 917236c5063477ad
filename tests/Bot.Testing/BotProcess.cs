using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bot.Testing;

/// <summary>
/// The built bot (<c>bot.dll</c>) as a child process on its own 127.0.0.1 port, for tests that need real
/// processes: several instances on one store, or one killed with SIGKILL. Its output is kept (the last lines)
/// for a failing test's message.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private const int KeptLines = 300;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http;

    private BotProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote, newest last.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// The bot beside the test assembly (test projects that reference Bot copy it there), else the Release
    /// build under src/Bot.
    /// </summary>
    public static string DefaultDll
    {
        get
        {
            var beside = Path.Combine(AppContext.BaseDirectory, "bot.dll");
            return File.Exists(beside) ? beside : Path.Combine(RepoPaths.Root, "src", "Bot", "bin", "Release", "net10.0", "bot.dll");
        }
    }

    /// <param name="environment">Settings as environment variables (<c>Storage__Provider</c>, …), over the bot's defaults.</param>
    public static BotProcess Start(string name, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? dll = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll ?? DefaultDll, "--urls", $"http://127.0.0.1:{port}" }) start.ArgumentList.Add(arg);
        // Nothing from the test runner's own settings leaks in: the bot reads ASPNETCORE_/DOTNET_ variables too.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        var bot = new BotProcess(name, process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => bot.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => bot.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Waits until /healthz answers (the host has started: store migrated, scheduler running).</summary>
    public async Task WaitHealthyAsync(TimeSpan within)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < within)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was healthy:\n{Output}");
            try
            {
                using var response = await _http.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} was not healthy within {within}:\n{Output}");
    }

    /// <summary>SIGKILL, the whole process tree: no shutdown hooks, no flush, no leaving the cluster politely.</summary>
    public async Task KillHardAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            await KillHardAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > KeptLines) _output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
