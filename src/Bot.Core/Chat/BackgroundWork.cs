using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Chat;

/// <summary>
/// Work that outlives the request that started it (a deferred answer, an acknowledged event).
/// Tracked so that shutdown can wait for it instead of dropping it half done.
/// </summary>
public sealed class BackgroundWork(ILogger<BackgroundWork> logger) : IDisposable
{
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _stopping = new();

    public int Count => _running.Count;

    public void Start(string description, Func<CancellationToken, Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                logger.LogWarning("{Work} was cancelled by shutdown", description);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{Work} failed", description);
            }
        });
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Runs work that the caller awaits now but that must survive the caller giving up on it.</summary>
    public Task<T> Run<T>(Func<CancellationToken, Task<T>> work)
    {
        var task = Task.Run(() => work(_stopping.Token));
        _running.TryAdd(task, 0);
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return task;
    }

    /// <summary>Waits for running work up to <paramref name="timeout"/>, then cancels what is left.</summary>
    public async Task DrainAsync(TimeSpan timeout, TimeProvider time)
    {
        var all = Task.WhenAll(_running.Keys);
        var finished = await Task.WhenAny(all, Task.Delay(timeout, time)) == all;
        if (!finished)
        {
            logger.LogWarning("{Count} background tasks still running at shutdown; cancelling them", _running.Count);
            await _stopping.CancelAsync();
        }
    }

    public void Dispose() => _stopping.Dispose();
}
