using System.Collections.Concurrent;

namespace Bot.Core.Chat;

/// <summary>
/// Rendered replies (an adapter's response bytes) for requests whose answer depends only on the
/// content, kept until the content changes. A hot card is rendered once, not once per request.
/// </summary>
public sealed class RenderedReplyCache(IContentVersion version)
{
    private const int MaxEntries = 5_000;
    private readonly ConcurrentDictionary<string, byte[]> _entries = new(StringComparer.Ordinal);
    private long _version = long.MinValue;

    /// <summary>
    /// The cached bytes for <paramref name="key"/>, or what <paramref name="render"/> makes of them.
    /// Rendered bytes are kept only when <paramref name="render"/> says they may be (a deferred or
    /// partial reply is not the answer) and only if the content did not change while they were made.
    /// </summary>
    public async Task<byte[]?> GetOrAddAsync(string key, Func<Task<(byte[]? Bytes, bool Keep)>> render)
    {
        var computedAt = Current();
        if (_entries.TryGetValue(key, out var cached)) return cached;
        var (bytes, keep) = await render();
        if (bytes is not null && keep && computedAt == Current() && _entries.Count < MaxEntries) _entries[key] = bytes;
        return bytes;
    }

    private long Current()
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
