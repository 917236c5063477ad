using System.Diagnostics;

namespace Bot.Testing.Discord;

internal readonly record struct RateSnapshot(bool Allowed, int Limit, int Remaining, double ResetAfter);

/// <summary>
/// A fixed window opened by its first request. It closes when either real time or the fake clock
/// has moved past its length: tests whose bot sleeps on a shared FakeTimeProvider reset it by
/// advancing the clock, and tests whose bot sleeps in real time are not stuck forever.
/// Callers hold the server's lock.
/// </summary>
internal sealed class RateWindow(int limit, double seconds)
{
    private bool _open;
    private int _used;
    private long _realStart;
    private DateTimeOffset _clockStart;

    public RateSnapshot Take(TimeProvider clock)
    {
        Roll(clock);
        if (!_open)
        {
            _open = true;
            _used = 0;
            _realStart = Stopwatch.GetTimestamp();
            _clockStart = clock.GetUtcNow();
        }
        if (_used >= limit) return new RateSnapshot(false, limit, 0, ResetAfter(clock));
        _used++;
        return new RateSnapshot(true, limit, limit - _used, ResetAfter(clock));
    }

    public RateSnapshot Peek(TimeProvider clock)
    {
        Roll(clock);
        return new RateSnapshot(true, limit, _open ? Math.Max(0, limit - _used) : limit, ResetAfter(clock));
    }

    private void Roll(TimeProvider clock)
    {
        if (_open && Elapsed(clock) >= seconds) _open = false;
    }

    private double Elapsed(TimeProvider clock) =>
        Math.Max(Stopwatch.GetElapsedTime(_realStart).TotalSeconds, (clock.GetUtcNow() - _clockStart).TotalSeconds);

    private double ResetAfter(TimeProvider clock) => _open ? Math.Max(0, seconds - Elapsed(clock)) : seconds;
}

/// <summary>A route like <c>/channels/*/messages</c>: <c>*</c> matches exactly one path segment.</summary>
internal sealed class RoutePattern
{
    private readonly string[] _segments;

    public RoutePattern(string pattern)
    {
        var segments = Split(pattern);
        if (segments is ["api", "v10", ..]) segments = segments[2..];
        _segments = segments;
        Text = "/" + string.Join('/', segments);
    }

    public string Text { get; }

    public static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public bool Matches(string[] path)
    {
        if (path.Length != _segments.Length) return false;
        for (var i = 0; i < path.Length; i++)
            if (_segments[i] != "*" && !string.Equals(_segments[i], path[i], StringComparison.Ordinal))
                return false;
        return true;
    }
}
