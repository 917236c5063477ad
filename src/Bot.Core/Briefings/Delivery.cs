using Bot.Core.Chat;

namespace Bot.Core.Briefings;

public enum DeliveryStatus
{
    Pending,
    Sent,
    Failed,
    Skipped,
}

/// <summary>One scheduled post in the outbox: a subscription's message for one local date.</summary>
public sealed record Delivery
{
    public long Id { get; init; }
    public long SubscriptionId { get; init; }
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
public sealed record DeliveryRecord(Delivery Delivery, string Platform, string Workspace, string Channel, BriefingKind Kind, string TimeZone);

public interface IDeliveryStore
{
    /// <summary>The delivery for that subscription and date, creating it with <paramref name="compose"/> when missing. Exactly one exists per pair.</summary>
    Task<Delivery> GetOrCreateAsync(long subscriptionId, DateOnly localDate, Func<Task<(ChatMessage? Message, string? Spotlight)>> compose, CancellationToken cancellationToken);

    Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(long subscriptionId, DateOnly localDate, CancellationToken cancellationToken);

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

    /// <summary>The incident featured longest ago (never first) for this subscription; a day-based rotation without one.</summary>
    Task<string?> PickSpotlightAsync(long? subscriptionId, int dayNumber, CancellationToken cancellationToken);
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
