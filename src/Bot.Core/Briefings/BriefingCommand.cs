using System.Globalization;
using Bot.Core.Chat;

namespace Bot.Core.Briefings;

/// <summary>
/// "briefing subscribe|unsubscribe|status|preview": a channel's scheduled digests and notes. Changes
/// are for channel managers only; every query is scoped to the asking workspace and channel.
/// </summary>
public sealed class BriefingCommand(
    ISubscriptionStore subscriptions, BriefingService briefings, IBriefingScheduler scheduler, TimeProvider time, CommandNames names, Feeds.IFeedStore? feeds = null)
    : ICommandHandler
{
    private string Help =>
        $"Use: {names.Slash("briefing", "subscribe <digest|onthisday> [HH:MM] [time zone]")} · {names.Slash("briefing", "unsubscribe <digest|onthisday>")} · "
        + $"{names.Slash("briefing", "status")} · {names.Slash("briefing", "preview <digest|onthisday>")}";

    public IReadOnlyList<string> Names => ["briefing"];
    public string Usage => names.Slash("briefing", "subscribe|unsubscribe|status|preview");

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var words = request.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var context = request.Context;
        if (string.IsNullOrEmpty(context.Workspace) || string.IsNullOrEmpty(context.Channel))
            return ChatMessage.Error("Briefings belong to a channel; run this in the channel that should receive them.");

        return words switch
        {
            ["subscribe", var kind, .. var rest] => await SubscribeAsync(context, kind, rest, cancellationToken),
            ["unsubscribe", var kind] => await UnsubscribeAsync(context, kind, cancellationToken),
            ["status"] => await StatusAsync(context, cancellationToken),
            ["preview", var kind] => await PreviewAsync(context, kind, cancellationToken),
            ["preview"] => await PreviewAsync(context, "digest", cancellationToken),
            _ => ChatMessage.Error(Help, "Briefings"),
        };
    }

    private async Task<ChatMessage> SubscribeAsync(ChatContext context, string kindText, string[] rest, CancellationToken cancellationToken)
    {
        if (!context.CanManageBriefings)
            return ChatMessage.Notice($"Sorry, only people who can manage this channel or workspace can change its briefings. {names.Slash("briefing", "status")} shows what is scheduled.");
        if (!Subscription.TryParseKind(kindText, out var kind))
            return ChatMessage.Error($"“{Clip(kindText)}” is not a briefing: choose digest or onthisday. {Help}");

        var localTime = new TimeOnly(9, 0);
        var zoneName = "UTC";
        foreach (var word in rest)
        {
            if (TimeOnly.TryParseExact(word, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                localTime = parsed;
            else if (BriefingClock.TryParseZone(word, out _))
                zoneName = word;
            else
                return ChatMessage.Error($"“{Clip(word)}” is neither a time (HH:MM) nor a time zone I know (an IANA name such as Europe/Paris or America/New_York).", "Which time or zone?");
        }

        var subscription = await subscriptions.SaveAsync(new Subscription
        {
            Platform = context.Platform,
            Workspace = context.Workspace!,
            Channel = context.Channel!,
            Kind = kind,
            LocalTime = localTime,
            TimeZone = zoneName,
        }, cancellationToken);
        await scheduler.ScheduleAsync(subscription, cancellationToken);
        var next = BriefingClock.Next(subscription, time.GetUtcNow());
        return Confirmation("✅ Subscribed", $"This channel will get the {Describe(kind)} at {localTime:HH\\:mm} {zoneName}. Next: {Local(next, subscription)}.");
    }

    private async Task<ChatMessage> UnsubscribeAsync(ChatContext context, string kindText, CancellationToken cancellationToken)
    {
        if (!context.CanManageBriefings)
            return ChatMessage.Notice("Sorry, only people who can manage this channel or workspace can change its briefings.");
        if (!Subscription.TryParseKind(kindText, out var kind))
            return ChatMessage.Error($"“{Clip(kindText)}” is not a briefing: choose digest or onthisday.");
        var existing = (await subscriptions.ListAsync(context.Platform, context.Workspace, context.Channel, cancellationToken)).FirstOrDefault(s => s.Kind == kind);
        if (existing is null || !await subscriptions.RemoveAsync(context.Platform, context.Workspace!, context.Channel!, kind, cancellationToken))
            return ChatMessage.Notice($"This channel had no {Describe(kind)} subscription.");
        await scheduler.UnscheduleAsync(existing.Id, cancellationToken);
        return Confirmation("Unsubscribed", $"This channel will no longer get the {Describe(kind)}.");
    }

    private async Task<ChatMessage> StatusAsync(ChatContext context, CancellationToken cancellationToken)
    {
        var list = await subscriptions.ListAsync(context.Platform, context.Workspace, context.Channel, cancellationToken);
        var feedSection = await FeedSectionAsync(context, cancellationToken);
        if (list.Count == 0 && feedSection is null)
            return ChatMessage.Notice($"No briefings are scheduled for this channel. {names.Slash("briefing", "subscribe digest 09:00 Europe/Paris")} starts one.", "Briefings");
        var now = time.GetUtcNow();
        var lines = new List<MessageLine>();
        foreach (var s in list)
        {
            var lastPosted = await briefings.LastPostedAsync(s.Id, cancellationToken);
            lines.Add(new MessageLine(Subscription.KindName(s.Kind),
                $"{s.LocalTime:HH\\:mm} {s.TimeZone} · next {Local(BriefingClock.Next(s, now), s)}"
                + (lastPosted is { } at ? $" · last posted {Local(at, s)}" : " · not posted yet")
                + (s.PausedSince is { } paused ? $" · ⏸️ paused since {Local(paused, s)}: {s.PauseReason}"
                    : s.FailingSince is null ? string.Empty : $" · ⚠️ failing since {Local(s.FailingSince.Value, s)}: {s.FailureReason}")));
        }

        return new ChatMessage
        {
            Emoji = "🗓️",
            Title = "Briefings for this channel",
            Sections = [.. lines.Count > 0 ? [new MessageSection("Scheduled", lines)] : Array.Empty<MessageSection>(), .. feedSection is null ? [] : new[] { feedSection }],
            Footer = lines.Count == 0 ? $"No briefings are scheduled for this channel. {names.Slash("briefing")} subscribe digest 09:00 Europe/Paris starts one." : null,
            Ephemeral = true,
        };
    }

    /// <summary>The workspace's news feeds, failing and switched-off ones first: feeds that die silently help nobody.</summary>
    private async Task<MessageSection?> FeedSectionAsync(ChatContext context, CancellationToken cancellationToken)
    {
        if (feeds is null) return null;
        var all = await feeds.ListAsync(Feeds.FeedOwner.For(context), cancellationToken);
        if (all.Count == 0) return null;
        const int Shown = 10;
        var lines = all.OrderByDescending(f => f.IsDisabled).ThenByDescending(f => f.IsFailing).Take(Shown)
            .Select(f => new MessageLine(Feeds.FeedsCommand.StatusLabel(f), Feeds.FeedsCommand.Describe(f))).ToList();
        if (all.Count > Shown) lines.Add(new MessageLine(null, $"and {all.Count - Shown} more: {names.Slash("feeds")} list"));
        return new MessageSection("News feeds", lines);
    }

    private async Task<ChatMessage> PreviewAsync(ChatContext context, string kindText, CancellationToken cancellationToken)
    {
        if (!Subscription.TryParseKind(kindText, out var kind))
            return ChatMessage.Error($"“{Clip(kindText)}” is not a briefing: choose digest or onthisday.");
        var subscription = (await subscriptions.ListAsync(context.Platform, context.Workspace, context.Channel, cancellationToken)).FirstOrDefault(s => s.Kind == kind);
        var zone = subscription?.Zone ?? context.TimeZone;
        var today = BriefingClock.LocalDate(time.GetUtcNow(), zone);
        var (message, _) = await briefings.ComposeAsync(kind, today, subscription, cancellationToken);
        return message is null
            ? ChatMessage.Notice("No anniversary falls on today's date, so no note would be posted today.", "Preview")
            : message with { Ephemeral = true };
    }

    /// <summary>A change that went through: the answer asked for, shown only to the one who made it.</summary>
    private static ChatMessage Confirmation(string title, string text) => new() { Title = title, Text = text, Ephemeral = true };

    private static string Describe(BriefingKind kind) => kind == BriefingKind.Digest ? "daily digest" : "“on this day” note";

    private static string Local(DateTimeOffset at, Subscription subscription) =>
        TimeZoneInfo.ConvertTime(at, subscription.Zone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
