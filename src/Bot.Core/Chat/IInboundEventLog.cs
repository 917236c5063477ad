namespace Bot.Core.Chat;

/// <summary>
/// Inbound platform events already taken in, kept in the store so a redelivery is recognised even after a restart or by
/// another instance. Adapters keep a quick in-memory check in front of it; this is the one that survives.
/// </summary>
public interface IInboundEventLog
{
    /// <summary>
    /// True when none of <paramref name="keys"/> (an event id, a message's channel and timestamp…) was recorded for
    /// <paramref name="platform"/> and is still kept; false for a repeat. Either way every key is recorded, kept for
    /// <paramref name="keepFor"/> and then forgotten.
    /// </summary>
    Task<bool> FirstTimeAsync(string platform, IReadOnlyList<string> keys, TimeSpan keepFor, CancellationToken cancellationToken);
}
