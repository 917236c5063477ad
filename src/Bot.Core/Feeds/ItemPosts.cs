using System.Globalization;
using System.Threading.Channels;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Feeds;

/// <summary>
/// Queues the live post of a newly linked item in the outbox, once for every channel of the item's workspace
/// that follows one of its incidents (<c>/briefing subscribe items &lt;incident&gt;</c>), then wakes the sender.
/// Only the store decides whether a post is new, so queueing the same item again posts nothing.
/// </summary>
public sealed class ItemPostOutbox(
    ISubscriptionStore subscriptions, IDeliveryStore deliveries, IIncidentStore incidents, OutboxSignal outbox, CommandNames names, TimeProvider time)
{
    /// <summary>The items subscriptions of the feed's workspace that are not paused.</summary>
    public async Task<IReadOnlyList<Subscription>> FollowersAsync(FeedOwner owner, CancellationToken cancellationToken) =>
        (await subscriptions.ListAsync(owner.Platform, owner.Workspace, null, cancellationToken))
        .Where(s => s.IsLive && s.Topic is not null && !s.IsPaused)
        .ToList();

    /// <summary>Queues <paramref name="item"/> for the followers of any of <paramref name="slugs"/>; returns how many posts were new.</summary>
    public async Task<int> QueueAsync(IReadOnlyList<Subscription> followers, FeedItem item, IReadOnlyCollection<string> slugs, CancellationToken cancellationToken)
    {
        var queued = 0;
        // A channel that follows two of the item's incidents gets it once, under the incident it followed first.
        var perChannel = followers.Where(s => slugs.Contains(s.Topic!, StringComparer.Ordinal))
            .GroupBy(s => s.Channel, StringComparer.Ordinal)
            .Select(channel => channel.MinBy(s => s.Id)!);
        foreach (var subscription in perChannel)
        {
            var incident = await incidents.GetAsync(subscription.Topic!, cancellationToken);
            var card = ItemPostCard.For(item, subscription.Topic!, incident?.Title, subscription, names);
            var localDate = BriefingClock.LocalDate(time.GetUtcNow(), subscription.Zone);
            if (await deliveries.CreateItemPostAsync(subscription.Id, item.Id, localDate, card, cancellationToken) is not null) queued++;
        }

        if (queued > 0) outbox.Notify();
        return queued;
    }

    /// <summary>Queues one item attached to one incident (an editor's triage decision).</summary>
    public async Task<int> QueueAsync(FeedOwner owner, FeedItem item, string slug, CancellationToken cancellationToken)
    {
        var followers = await FollowersAsync(owner, cancellationToken);
        return followers.Count == 0 ? 0 : await QueueAsync(followers, item, [slug], cancellationToken);
    }
}

/// <summary>The small card a live item post is: the item's title linked to its article, the outlet, the time and its incident.</summary>
public static class ItemPostCard
{
    public static ChatMessage For(FeedItem item, string slug, string? incidentTitle, Subscription subscription, CommandNames names)
    {
        var when = TimeZoneInfo.ConvertTime(item.PublishedAt, subscription.Zone).ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " " + subscription.TimeZone;
        return new ChatMessage
        {
            Kind = MessageKind.Card,
            Emoji = "📰",
            Title = $"New reporting · {incidentTitle ?? slug}",
            Sections = [new MessageSection(item.Outlet, [new MessageLine(item.HasDate ? when : $"seen {when}", item.Title) { Url = item.Link }])],
            Footer = $"{names.Slash("incident", slug)} for the card · {names.Slash("briefing", $"unsubscribe items {slug}")} stops these posts",
            IncidentSlug = slug,
        };
    }
}

/// <summary>
/// "There is something new in the outbox": set by whoever queues a live post, so it goes out within moments
/// instead of waiting for the half-minute retry pass. Signals made while the sender is busy fold into one.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _pending.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _pending.Reader.WaitToReadAsync(cancellationToken);
        _pending.Reader.TryRead(out _);
    }
}

/// <summary>
/// Sends queued live posts as soon as they are signalled, through the same outbox pass as the scheduled
/// briefings: each delivery is claimed before it is sent, so this and the retry job never post one twice,
/// and the platform clients wait out rate limits (429s) themselves.
/// </summary>
public sealed class ItemPostSender(OutboxSignal signal, BriefingService briefings, ILogger<ItemPostSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signal.WaitAsync(stoppingToken);
                // A full batch means more are waiting.
                while (await briefings.RetryDueAsync(stoppingToken) == BriefingService.RetryBatch)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The retry job goes over the outbox every half minute, so nothing waits for long.
                logger.LogWarning(ex, "Sending live item posts failed; the retry pass will continue");
            }
        }
    }
}
