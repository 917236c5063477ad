namespace Bot.Slack.Socket;

/// <summary>How many Socket Mode sockets are open, or why Socket Mode stopped: for readiness and tests.</summary>
public sealed class SlackSocketStatus
{
    private int _open;

    public int OpenSockets => Volatile.Read(ref _open);

    public string? StoppedBecause { get; private set; }

    internal void Opened() => Interlocked.Increment(ref _open);

    internal void Closed() => Interlocked.Decrement(ref _open);

    internal void Stopped(string cause) => StoppedBecause = cause;

    /// <summary>For readiness: throws unless at least one socket is open.</summary>
    public string Describe()
    {
        if (StoppedBecause is { } cause) throw new InvalidOperationException($"Slack Socket Mode stopped: {cause}");
        var open = OpenSockets;
        if (open == 0) throw new InvalidOperationException("Slack Socket Mode connecting (no socket open)");
        return $"Slack Socket Mode connected ({open} socket{(open == 1 ? "" : "s")})";
    }
}
