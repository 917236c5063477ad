using System.Collections.Concurrent;
using System.Globalization;
using Bot.Slack.Protocol;

namespace Bot.Slack.Inbound;

/// <summary>
/// Slash commands and button presses that were already accepted. Slack never sends one of these twice (it does not retry
/// them; only events are retried, and those are told apart by event_id), so a second request with the same timestamp and
/// signature within the five minutes the signature is valid is someone replaying a captured request: without this, a
/// replayed "subscribe" would undo the "unsubscribe" that followed it. Each pair is remembered until its timestamp falls
/// out of the window, when the signature check alone refuses it; memory is bounded.
/// </summary>
internal sealed class SlackReplayGuard(TimeProvider time)
{
    public const int MaxRemembered = 100_000;
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(long Timestamp, UInt128 Signature), long> _accepted = new();
    private long _nextSweep = long.MinValue;
    private long _lastSweep = long.MinValue;
    private int _count;

    /// <summary>
    /// Records a verified request's (timestamp, signature); <see cref="ReplayCheck.Replay"/> when it was recorded before,
    /// <see cref="ReplayCheck.Full"/> when so many are remembered that no new one can be (the caller refuses it).
    /// </summary>
    public ReplayCheck Accept(string timestamp, string signature)
    {
        // Both were checked by the verifier: decimal seconds, and "v0=" + 64 hex digits (the first half is plenty to tell requests apart).
        var seconds = long.Parse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture);
        var key = (seconds, UInt128.Parse(signature.AsSpan(3, 32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        // When full, at most one sweep a second: a sweep walks every entry.
        if (now >= Volatile.Read(ref _nextSweep) || (Count >= MaxRemembered && now > Volatile.Read(ref _lastSweep))) Sweep(now);
        if (_accepted.ContainsKey(key)) return ReplayCheck.Replay;
        if (Count >= MaxRemembered) return ReplayCheck.Full;
        var forgetAt = seconds + (long)SlackSignatureVerifier.MaxSkew.TotalSeconds + 1;
        if (!_accepted.TryAdd(key, forgetAt)) return ReplayCheck.Replay;
        Interlocked.Increment(ref _count);
        return ReplayCheck.First;
    }

    /// <summary>How many pairs are remembered now (for tests of the bound).</summary>
    public int Count => Volatile.Read(ref _count);

    private void Sweep(long now)
    {
        Volatile.Write(ref _lastSweep, now);
        Volatile.Write(ref _nextSweep, now + (long)SweepEvery.TotalSeconds);
        foreach (var (key, forgetAt) in _accepted)
            if (forgetAt < now && _accepted.TryRemove(key, out _)) Interlocked.Decrement(ref _count);
    }
}

internal enum ReplayCheck
{
    First,
    Replay,
    Full,
}
