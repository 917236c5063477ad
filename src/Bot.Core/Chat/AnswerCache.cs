using System.Collections.Concurrent;

namespace Bot.Core.Chat;

/// <summary>
/// Rendered answers (an adapter's response bytes) for commands whose answer depends only on the
/// content, kept until the content changes. A hot card is rendered once, not once per request.
/// </summary>
public sealed class AnswerCache(IContentVersion version)
{
    private const int MaxEntries = 5_000;
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private long _version = long.MinValue;

    /// <summary>The content version now; pass it back to <see cref="Add"/> so an answer computed on older content is not kept.</summary>
    public long Version
    {
        get
        {
            var current = version.Current;
            if (current != Interlocked.Read(ref _version))
            {
                _entries.Clear();
                Interlocked.Exchange(ref _version, current);
            }

            return current;
        }
    }

    public bool TryGet(string key, out byte[] bytes)
    {
        _ = Version;
        return _entries.TryGetValue(key, out bytes!);
    }

    public void Add(string key, byte[] bytes, long computedAt)
    {
        if (computedAt != Version || _entries.Count >= MaxEntries) return;
        _entries[key] = bytes;
    }
}
