namespace Bot.Discord.Gateway;

/// <summary>
/// The last few thousand ids seen, to answer each interaction and message once even if Discord
/// replays it. Bounded, so memory stays flat however long the bot runs.
/// </summary>
internal sealed class RecentIds(int capacity = 4096)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>True the first time an id is offered (null ids are never remembered and always pass).</summary>
    public bool FirstTime(string? id)
    {
        if (id is null) return true;
        lock (_gate)
        {
            if (!_seen.Add(id)) return false;
            _order.Enqueue(id);
            if (_order.Count > capacity) _seen.Remove(_order.Dequeue());
            return true;
        }
    }
}
