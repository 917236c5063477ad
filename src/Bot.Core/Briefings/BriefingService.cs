using Bot.Core.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Briefings;

/// <summary>
/// Scheduled posts through the outbox: each due post is first written as a delivery (one per
/// subscription and local date), then sent, then marked sent with the platform's message id.
/// A crash between any two steps leaves a pending delivery that the retry pass finishes; the
/// platform senders make a resend after an uncertain attempt post nothing twice.
/// </summary>
public sealed class BriefingService(
    ISubscriptionStore subscriptions,
    IDeliveryStore deliveries,
    DigestComposer digest,
    OnThisDayNote note,
    IEnumerable<IBriefingSender> senders,
    TimeProvider time,
    IOptions<DeliveryOptions> options,
    ILogger<BriefingService> logger,
    BotMetrics? metrics = null,
    Installations.IWorkspacePauses? pauses = null)
{
    /// <summary>Deliveries sent in one pass at most.</summary>
    public const int RetryBatch = 200;
    private const int ParallelSends = 16;
    private readonly Dictionary<string, IBriefingSender> _senders = senders.ToDictionary(s => s.Platform, StringComparer.OrdinalIgnoreCase);

    /// <summary>What the subscription would post on <paramref name="localDate"/>; null for a note on a day without anniversaries.</summary>
    public async Task<(ChatMessage? Message, string? Spotlight)> ComposeAsync(BriefingKind kind, DateOnly localDate, Subscription? subscription, CancellationToken cancellationToken)
    {
        if (kind == BriefingKind.OnThisDay) return (await note.ComposeAsync(localDate, cancellationToken), null);
        var lastPosted = subscription is null ? null : await deliveries.LastSentAtAsync(subscription.Id, cancellationToken);
        // "Since the last digest" only where one was posted; a first digest or a preview covers the last day.
        var newSince = lastPosted is { } at ? NewSince.LastDigest(at) : NewSince.LastDay(time.GetUtcNow());
        var next = subscription is null ? (DateTimeOffset?)null : BriefingClock.Next(subscription, BriefingClock.DueOn(localDate, subscription.LocalTime, subscription.Zone));
        var (message, spotlight) = await digest.ComposeAsync(localDate, subscription, newSince, next, cancellationToken);
        return (message, spotlight);
    }

    /// <summary>When the subscription's last post went out; null before its first.</summary>
    public Task<DateTimeOffset?> LastPostedAsync(long subscriptionId, CancellationToken cancellationToken) =>
        deliveries.LastSentAtAsync(subscriptionId, cancellationToken);

    /// <summary>Runs the post that fell due at <paramref name="dueAt"/> for the subscription: written to the outbox, then sent.</summary>
    public async Task RunDueAsync(long subscriptionId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(subscriptionId, cancellationToken) is not { } subscription || subscription.IsLive) return;
        var localDate = BriefingClock.LocalDate(dueAt, subscription.Zone);
        if (subscription.IsPaused)
        {
            // On record, so the history says why nothing came; a resumed subscription does not post this day late.
            await deliveries.RecordSkippedAsync(subscription.Id, localDate, $"paused: {subscription.PauseReason}", cancellationToken);
            return;
        }

        if (time.GetUtcNow() - dueAt > TimeSpan.FromHours(options.Value.CatchUpHours))
        {
            await deliveries.RecordSkippedAsync(subscription.Id, localDate, "due during downtime, too long ago to post", cancellationToken);
            return;
        }

        var delivery = await deliveries.GetOrCreateAsync(subscription.Id, localDate,
            () => ComposeAsync(subscription.Kind, localDate, subscription, cancellationToken), cancellationToken);
        await SendAsync(delivery, subscription, cancellationToken);
    }

    /// <summary>
    /// For a scheduler's firing: the post of the latest due time at or before <paramref name="firedFor"/>.
    /// An on-time firing is that due time; a late one (a missed minute fired once, now) or a repeated one
    /// (taken over from a dead instance) still names the post it stands for, so it is sent or skipped once.
    /// </summary>
    public async Task RunLatestDueAsync(long subscriptionId, DateTimeOffset firedFor, CancellationToken cancellationToken)
    {
        if (await subscriptions.GetAsync(subscriptionId, cancellationToken) is not { } subscription) return;
        await RunDueAsync(subscription.Id, BriefingClock.Previous(subscription, firedFor), cancellationToken);
    }

    /// <summary>After a restart: posts whose time passed while the bot was down, if recent enough; older ones are recorded as skipped.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var subscription in await subscriptions.ListAsync(null, null, null, cancellationToken))
        {
            if (subscription.IsLive) continue;
            var due = BriefingClock.Previous(subscription, now);
            if (subscription.CreatedAt is { } created && due < created) continue;
            if (await deliveries.ExistsAsync(subscription.Id, BriefingClock.LocalDate(due, subscription.Zone), cancellationToken)) continue;
            await RunDueAsync(subscription.Id, due, cancellationToken);
        }

        await RetryDueAsync(cancellationToken);
    }

    /// <summary>Sends every pending delivery whose next attempt is due, a bounded number at a time; returns how many it took up.</summary>
    public async Task<int> RetryDueAsync(CancellationToken cancellationToken)
    {
        var due = await deliveries.DueAsync(time.GetUtcNow(), RetryBatch, cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ParallelSends, CancellationToken = cancellationToken }, async (delivery, ct) =>
        {
            if (await subscriptions.GetAsync(delivery.SubscriptionId, ct) is { } subscription)
                await SendAsync(delivery, subscription, ct);
        });
        return due.Count;
    }

    private async Task SendAsync(Delivery delivery, Subscription subscription, CancellationToken cancellationToken)
    {
        if (delivery.Status != DeliveryStatus.Pending || delivery.Message is null) return;
        if (subscription.IsPaused)
        {
            await deliveries.MarkFailedAsync(delivery.Id, $"paused: {subscription.PauseReason}", cancellationToken);
            return;
        }

        if (!_senders.TryGetValue(subscription.Platform, out var sender))
        {
            await deliveries.MarkFailedAsync(delivery.Id, $"no sender for platform {subscription.Platform}", cancellationToken);
            return;
        }

        // The attempt is on record before the send: if the process dies mid-send, the next try knows it may have posted.
        var uncertain = delivery.Attempts > 0;
        var claimedAt = time.GetUtcNow();
        if (!await deliveries.TryClaimAsync(delivery.Id, claimedAt, claimedAt + TimeSpan.FromSeconds(options.Value.SendLeaseSeconds), cancellationToken)) return;
        try
        {
            var messageId = await sender.SendAsync(subscription, delivery, uncertain, cancellationToken);
            await deliveries.MarkSentAsync(delivery.Id, messageId, time.GetUtcNow(), cancellationToken);
            metrics?.Delivery(subscription.Platform, "sent");
            if (subscription.FailingSince is not null) await subscriptions.MarkFailingAsync(subscription.Id, null, cancellationToken);
        }
        catch (AccessLostException ex)
        {
            logger.LogWarning("Delivery {Delivery} to {Platform} channel {Channel}: access lost, pausing the {Scope}: {Reason}",
                delivery.Id, subscription.Platform, subscription.Channel, ex.WholeWorkspace ? "workspace" : "channel", ex.Message);
            await deliveries.MarkFailedAsync(delivery.Id, ex.Message, cancellationToken);
            await subscriptions.MarkFailingAsync(subscription.Id, ex.Message, cancellationToken);
            if (pauses is not null)
            {
                if (ex.WholeWorkspace)
                {
                    foreach (var workspace in ex.OtherWorkspaces.Prepend(subscription.Workspace).Distinct(StringComparer.Ordinal))
                        await pauses.PauseWorkspaceAsync(subscription.Platform, workspace, ex.Message, cancellationToken);
                }
                else await pauses.PauseChannelAsync(subscription.Platform, subscription.Channel, ex.Message, cancellationToken);
            }

            metrics?.Delivery(subscription.Platform, "failed");
        }
        catch (PermanentDeliveryException ex)
        {
            logger.LogWarning("Delivery {Delivery} to {Platform} channel {Channel} failed for good: {Reason}", delivery.Id, subscription.Platform, subscription.Channel, ex.Message);
            await deliveries.MarkFailedAsync(delivery.Id, ex.Message, cancellationToken);
            await subscriptions.MarkFailingAsync(subscription.Id, ex.Message, cancellationToken);
            metrics?.Delivery(subscription.Platform, "failed");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now - delivery.CreatedAt > TimeSpan.FromHours(options.Value.MaxRetryHours))
            {
                await deliveries.MarkFailedAsync(delivery.Id, $"gave up after {options.Value.MaxRetryHours} hour{(options.Value.MaxRetryHours == 1 ? "" : "s")}: {ex.Message}", cancellationToken);
                await subscriptions.MarkFailingAsync(subscription.Id, ex.Message, cancellationToken);
                return;
            }

            var next = now + Backoff(delivery.Attempts + 1);
            logger.LogInformation("Delivery {Delivery} will be retried at {Next}: {Error}", delivery.Id, next, ex.Message);
            await deliveries.MarkRetryAsync(delivery.Id, ex.Message, next, cancellationToken);
            metrics?.Delivery(subscription.Platform, "retry");
        }
    }

    /// <summary>30 s, 1 min, 2 min … capped at 30 min, with jitter so a recovering platform is not hit by every channel at once.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(1800, 30 * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(seconds * (0.75 + Random.Shared.NextDouble() * 0.5));
    }
}
