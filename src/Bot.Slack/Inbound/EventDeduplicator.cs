using System.Collections.Concurrent;

namespace Bot.Slack.Inbound;

/// <summary>
/// Remembers events for an hour by event_id and by (channel, ts): Slack retries keep the id, and
/// during incidents the same message has arrived under several ids.
/// </summary>
internal sealed class EventDeduplicator(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    private const int SweepAbove = 50_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    /// <summary>True the first time any of the keys is seen; false for a repeat.</summary>
    public bool FirstTime(params string?[] keys)
    {
        var now = time.GetUtcNow();
        if (_seen.Count > SweepAbove) Sweep(now);
        var first = true;
        foreach (var key in keys)
        {
            if (string.IsNullOrEmpty(key)) continue;
            if (_seen.TryGetValue(key, out var at) && now - at < Window) first = false;
        }

        if (!first) return false;
        foreach (var key in keys)
            if (!string.IsNullOrEmpty(key)) _seen[key] = now;
        return true;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, at) in _seen)
            if (now - at >= Window) _seen.TryRemove(key, out _);
    }
}
