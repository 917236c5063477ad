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

    /// <summary>
    /// Starts work that the caller waits for up to a budget, and that must finish even when the caller
    /// stops waiting. It starts on the caller's thread (no hop), and is tracked only if it outlives the wait.
    /// </summary>
    public async Task<(bool Finished, Task<T> Work)> WaitUpToAsync<T>(Func<CancellationToken, Task<T>> work, TimeSpan budget, TimeProvider time)
    {
        var task = work(_stopping.Token);
        if (task.IsCompleted) return (true, task);
        using var timer = new CancellationTokenSource();
        var delay = Task.Delay(budget, time, timer.Token);
        var finished = await Task.WhenAny(task, delay) == task;
        // The timer is released at once rather than left ticking for the rest of the budget.
        await timer.CancelAsync();
        if (!finished)
        {
            _running.TryAdd(task, 0);
            _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return (finished, task);
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
