using System.Collections.Concurrent;
using Bot.Core.Chat;

namespace Bot.Core.Answers;

/// <summary>
/// Remembers the incident last discussed in each conversation (a thread, a channel, a DM) for a
/// day, so "and when was it shot down?" knows what "it" is. In memory: a restart forgets, which
/// costs one rephrased question at worst.
/// </summary>
public sealed class ConversationMemory(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private const int MaxConversations = 10_000;

    private readonly ConcurrentDictionary<string, (string Slug, DateTimeOffset At)> _last = new(StringComparer.Ordinal);

    public static string KeyOf(ChatContext context) =>
        string.Join('/', context.Platform, context.Workspace, context.Channel, context.Thread ?? (context.Channel is null ? context.User : null));

    public string? LastIncident(ChatContext context)
    {
        if (!_last.TryGetValue(KeyOf(context), out var entry)) return null;
        return time.GetUtcNow() - entry.At <= Lifetime ? entry.Slug : null;
    }

    public void Remember(ChatContext context, string slug)
    {
        var now = time.GetUtcNow();
        if (_last.Count >= MaxConversations) Sweep(now);
        _last[KeyOf(context)] = (slug, now);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _last)
            if (now - entry.At > Lifetime) _last.TryRemove(key, out _);
        // Still full of live conversations: forget the oldest half rather than grow without bound.
        if (_last.Count >= MaxConversations)
            foreach (var key in _last.OrderBy(p => p.Value.At).Take(MaxConversations / 2).Select(p => p.Key).ToList())
                _last.TryRemove(key, out _);
    }
}
