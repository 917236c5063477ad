using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bot.Benchmarks.Load;

/// <summary>
/// A server under test, started as a child process on 127.0.0.1: its output is drained (the last
/// lines kept for error messages), its memory and CPU read from /proc, and it is killed on dispose.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();

    private ChildProcess(string name, Process process, Uri baseUrl, string commandLine)
    {
        Name = name;
        _process = process;
        BaseUrl = baseUrl;
        CommandLine = commandLine;
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    /// <summary>The command as it would be typed (environment not included).</summary>
    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <param name="environment">Variables to set; a null value removes an inherited one.</param>
    public static ChildProcess Start(string name, string fileName, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, Uri baseUrl)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, baseUrl, string.Join(' ', new[] { fileName }.Concat(arguments).Select(Quote)));
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"{name} did not start: {child.CommandLine}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls GET <paramref name="path"/> until it answers 200; fails early if the process dies.</summary>
    public async Task<TimeSpan> WaitReadyAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready.\n{Tail()}");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseUrl, path));
                if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer while it seeds.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} was not ready at {new Uri(BaseUrl, path)} within {timeout.TotalSeconds:0} s.\n{Tail()}");
    }

    /// <summary>A "kB" line of /proc/PID/status (VmRSS, VmHWM), in MiB; null when it cannot be read.</summary>
    public double? StatusMegabytes(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id}/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
                var number = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(number, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Threads of the process (/proc/PID/task), or null.</summary>
    public int? ThreadCount()
    {
        try
        {
            return Directory.GetDirectories($"/proc/{Id}/task").Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Open file descriptors whose target contains <paramref name="fragment"/> (e.g. the SQLite file: one per pooled connection).</summary>
    public int? OpenFiles(string fragment)
    {
        try
        {
            var count = 0;
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{Id}/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget is { } target && target.Contains(fragment, StringComparison.Ordinal)) count++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Closed while we looked.
                }
            }

            return count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public string Tail()
    {
        lock (_gate) return string.Join('\n', _tail);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"load: {Name} (pid {Id}) did not exit within 10 s of being killed");
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_gate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines) _tail.Dequeue();
        }
    }

    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
