using Bot.Core.Chat;

namespace Bot.Core.Briefings;

public enum DeliveryStatus
{
    Pending,
    Sent,
    Failed,
    Skipped,
}

/// <summary>One post in the outbox: a subscription's message for one local date, or a live post of one feed item.</summary>
public sealed record Delivery
{
    public long Id { get; init; }
    public long SubscriptionId { get; init; }
    /// <summary>The feed item a live post is about; null for the daily posts.</summary>
    public long? ItemId { get; init; }
    public DateOnly LocalDate { get; init; }
    public DeliveryStatus Status { get; init; }
    public ChatMessage? Message { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public string? LastError { get; init; }
    public string? PlatformMessageId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the platform accepted the post; null until it is sent.</summary>
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>A delivery with the channel it was for, as the delivery history shows it.</summary>
public sealed record DeliveryRecord(Delivery Delivery, string Platform, string Workspace, string Channel, BriefingKind Kind, string TimeZone)
{
    /// <summary>The incident an items subscription follows.</summary>
    public string? Topic { get; init; }
}

public interface IDeliveryStore
{
    /// <summary>The delivery for that subscription and date, or null.</summary>
    Task<Delivery?> FindAsync(long subscriptionId, DateOnly localDate, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the delivery for that subscription and date unless one exists, and returns the one stored:
    /// exactly one exists per pair, whoever wrote first. A null message records "nothing to post that day";
    /// <paramref name="spotlight"/> is the incident a digest featured, for the rotation.
    /// </summary>
    Task<Delivery> CreateAsync(long subscriptionId, DateOnly localDate, ChatMessage? message, string? spotlight, CancellationToken cancellationToken);

    Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Queues the live post of a feed item for an items subscription, pending and due now, unless the item was
    /// already queued for that subscription or for any other subscription of the same channel: an item reaches a
    /// channel once. Returns the new delivery, or null when there was one already.
    /// </summary>
    Task<Delivery?> CreateItemPostAsync(long subscriptionId, long itemId, DateOnly localDate, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>Pending deliveries whose next attempt is due.</summary>
    Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a pending, due delivery for one send: counts the attempt (so a crash after sending is
    /// known to be uncertain) and holds it until <paramref name="leaseUntil"/> so no other pass sends it
    /// meanwhile. False when someone else has it or it is no longer pending.
    /// </summary>
    Task<bool> TryClaimAsync(long id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    Task MarkSentAsync(long id, string? platformMessageId, DateTimeOffset at, CancellationToken cancellationToken);

    Task MarkRetryAsync(long id, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken);

    Task RecordSkippedAsync(long subscriptionId, DateOnly localDate, string reason, CancellationToken cancellationToken);

    /// <summary>The latest deliveries, by local date then creation, newest first; only those of <paramref name="channel"/> when given.</summary>
    Task<IReadOnlyList<DeliveryRecord>> RecentAsync(string? channel, int limit, CancellationToken cancellationToken);

    /// <summary>When the subscription's last post went out, for "new since the previous digest".</summary>
    Task<DateTimeOffset?> LastSentAtAsync(long subscriptionId, CancellationToken cancellationToken);

    /// <summary>Every incident this subscription's posts featured, each with the last local date it was featured on.</summary>
    Task<IReadOnlyList<FeaturedIncident>> FeaturedAsync(long subscriptionId, CancellationToken cancellationToken);
}

/// <summary>An incident a subscription's digest featured, and the last local date it did.</summary>
public sealed record FeaturedIncident(string Slug, DateOnly LastFeaturedOn);

public static class DeliveryStoreExtensions
{
    public static async Task<bool> ExistsAsync(this IDeliveryStore deliveries, long subscriptionId, DateOnly localDate, CancellationToken cancellationToken) =>
        await deliveries.FindAsync(subscriptionId, localDate, cancellationToken) is not null;

    /// <summary>
    /// The delivery for that subscription and date, composed and written when missing. Two writers racing
    /// both compose, but only the first one's message is kept and both get it back.
    /// </summary>
    public static async Task<Delivery> GetOrCreateAsync(this IDeliveryStore deliveries, long subscriptionId, DateOnly localDate,
        Func<Task<(ChatMessage? Message, string? Spotlight)>> compose, CancellationToken cancellationToken)
    {
        if (await deliveries.FindAsync(subscriptionId, localDate, cancellationToken) is { } existing) return existing;
        var (message, spotlight) = await compose();
        return await deliveries.CreateAsync(subscriptionId, localDate, message, spotlight, cancellationToken);
    }
}

/// <summary>Posts a delivery's message to its channel on one platform.</summary>
public interface IBriefingSender
{
    string Platform { get; }

    /// <summary>Sends and returns the platform's message id. <paramref name="uncertain"/> means an earlier attempt may have posted already.</summary>
    Task<string?> SendAsync(Subscription subscription, Delivery delivery, bool uncertain, CancellationToken cancellationToken);
}

/// <summary>A send that will never succeed as things stand: the channel is gone, the bot was removed, a permission is missing.</summary>
public sealed class PermanentDeliveryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The platform says the bot has lost access — to the channel (removed, channel deleted) or to the whole workspace
/// (token revoked, app uninstalled): the subscriptions it reaches are paused rather than retried every day.
/// </summary>
public sealed class AccessLostException(string message, bool wholeWorkspace, Exception? inner = null) : Exception(message, inner)
{
    public bool WholeWorkspace { get; } = wholeWorkspace;

    /// <summary>Other workspaces that lost access with it: those sharing an org-wide install's token.</summary>
    public IReadOnlyCollection<string> OtherWorkspaces { get; init; } = [];
}
