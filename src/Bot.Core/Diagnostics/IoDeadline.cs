namespace Bot.Core.Diagnostics;

/// <summary>
/// Deadlines for network I/O (a connect, one HTTP attempt, a close handshake). They run on the wall
/// clock on purpose, the one timer here that does not take a <see cref="TimeProvider"/>: a test's
/// fake clock must neither leave a dead socket waiting forever nor time out a healthy request
/// because the test moved its clock on. Everything the bot schedules uses the injected clock.
/// </summary>
public static class IoDeadline
{
    /// <summary>A token cancelled after <paramref name="timeout"/> of real time, or when <paramref name="cancellationToken"/> is.</summary>
    public static CancellationTokenSource After(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
#pragma warning disable RS0030 // The one sanctioned wall-clock timer: see the class comment.
        source.CancelAfter(timeout);
#pragma warning restore RS0030
        return source;
    }
}
