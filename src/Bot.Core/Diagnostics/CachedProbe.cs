namespace Bot.Core.Diagnostics;

/// <summary>
/// Runs a costly check at most once per <c>cacheFor</c>: callers within that time get the last
/// result, and callers arriving while a run is in flight await that run instead of starting their own.
/// Readiness probes come often and in bursts; the platforms' rate limits are not for them.
/// </summary>
/// <param name="probe">Must report failures as results, not throw: a failure is cached like a success, or a failing platform would be asked on every call.</param>
/// <param name="timeout">Bounds one run. A run ignores its callers' cancellation, since others may be waiting on it.</param>
public sealed class CachedProbe<T>(Func<CancellationToken, Task<T>> probe, TimeProvider time, TimeSpan cacheFor, TimeSpan timeout)
{
    private readonly Lock _gate = new();
    private Task<T>? _running;
    private (T Result, long At)? _last;

    public Task<T> GetAsync(CancellationToken cancellationToken)
    {
        Task<T> running;
        lock (_gate)
        {
            if (_last is { } last && time.GetElapsedTime(last.At) < cacheFor) return Task.FromResult(last.Result);
            running = _running ??= Task.Run(RunAsync, CancellationToken.None);
        }

        return running.WaitAsync(cancellationToken);
    }

    private async Task<T> RunAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(timeout, time);
            var result = await probe(limit.Token);
            lock (_gate) _last = (result, time.GetTimestamp());
            return result;
        }
        finally
        {
            lock (_gate) _running = null;
        }
    }
}
