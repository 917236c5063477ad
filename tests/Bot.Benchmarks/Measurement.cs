using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bot.Benchmarks;

/// <summary>Percentiles over a set of timings (milliseconds), nearest-rank.</summary>
public sealed record TimingStats(int Count, double Median, double P90, double P99, double Max, double Mean, double Min)
{
    public static TimingStats From(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0) return new TimingStats(0, 0, 0, 0, 0, 0, 0);
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new TimingStats(sorted.Length, At(0.5), At(0.9), At(0.99), sorted[^1], sorted.Average(), sorted[0]);
    }
}

/// <summary>Samples the process's memory on a background thread while some work runs.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private readonly TimeSpan _interval;
    private volatile bool _stop;

    public MemorySampler(TimeSpan interval)
    {
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "memory sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public long MaxWorkingSet { get; private set; }
    public long MaxGcHeap { get; private set; }
    public long MaxGcCommitted { get; private set; }
    public int Samples { get; private set; }

    private void Run()
    {
        while (!_stop)
        {
            Sample();
            Thread.Sleep(_interval);
        }
    }

    private void Sample()
    {
        MaxWorkingSet = Math.Max(MaxWorkingSet, ProcessMemory.CurrentRss());
        // Live allocations right now (not only as of the last GC), plus what the GC holds committed.
        MaxGcHeap = Math.Max(MaxGcHeap, GC.GetTotalMemory(forceFullCollection: false));
        MaxGcCommitted = Math.Max(MaxGcCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
        Samples++;
    }

    public void Dispose()
    {
        if (_stop) return;
        _stop = true;
        _thread.Join();
        Sample();
    }
}

/// <summary>Linux process memory from /proc: the resident set now, and its high-water mark.</summary>
public static class ProcessMemory
{
    private static readonly long PageSize = Environment.SystemPageSize;

    public static long CurrentRss()
    {
        try
        {
            // statm: size resident shared text lib data dt (pages)
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * PageSize;
        }
        catch (IOException)
        {
            return Environment.WorkingSet;
        }
    }

    /// <summary>VmHWM of a process (peak resident set), or null where /proc is not available.</summary>
    public static long? PeakRss(string pid = "self")
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Resets VmHWM to the current resident set (Linux ≥ 4.0), so the peak covers only what follows.</summary>
    public static bool TryResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture) + " MB";
}

public sealed record ProcessRun(TimeSpan Elapsed, int ExitCode, string Output, string Error, long? PeakRss);

public static class ProcessRunner
{
    /// <summary>Runs a process to completion, timing it from start to exit and polling its peak RSS.</summary>
    public static ProcessRun Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan? pollInterval = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var output = new StringBuilder();
        var error = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };

        var start = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        long? peak = null;
        var pid = process.Id.ToString(CultureInfo.InvariantCulture);
        var interval = (int)(pollInterval ?? TimeSpan.FromMilliseconds(20)).TotalMilliseconds;
        while (!process.WaitForExit(interval))
            peak = ProcessMemory.PeakRss(pid) ?? peak;
        var elapsed = Stopwatch.GetElapsedTime(start);
        process.WaitForExit(); // flushes the redirected streams
        return new ProcessRun(elapsed, process.ExitCode, output.ToString(), error.ToString(), peak);
    }
}
