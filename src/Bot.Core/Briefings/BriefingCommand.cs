using System.Globalization;
using Bot.Core.Chat;

namespace Bot.Core.Briefings;

/// <summary>
/// "briefing subscribe|unsubscribe|status|preview": a channel's scheduled digests and notes, and its live posts
/// of new reporting on an incident ("subscribe items &lt;incident&gt;"). Changes are for channel managers only;
/// every query is scoped to the asking workspace and channel.
/// </summary>
public sealed class BriefingCommand(
    ISubscriptionStore subscriptions, BriefingService briefings, IBriefingScheduler scheduler, TimeProvider time, CommandNames names, Feeds.IFeedStore? feeds = null,
    Incidents.IncidentFinder? finder = null)
    : ICommandHandler
{
    private string Help =>
        $"Use: {names.Slash("briefing", "subscribe <digest|onthisday> [HH:MM] [time zone]")} · {names.Slash("briefing", "subscribe items <incident>")} · "
        + $"{names.Slash("briefing", "unsubscribe <digest|onthisday|items <incident>>")} · "
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
            ["unsubscribe", var kind, .. var rest] when IsItems(kind) => await UnsubscribeItemsAsync(context, rest, cancellationToken),
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
            return ChatMessage.Error($"“{Clip(kindText)}” is not a briefing: choose digest, onthisday or items. {Help}");
        if (kind == BriefingKind.Items) return await SubscribeItemsAsync(context, rest, cancellationToken);

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
        if (kind == BriefingKind.Items) return await UnsubscribeItemsAsync(context, [], cancellationToken);
        var existing = (await subscriptions.ListAsync(context.Platform, context.Workspace, context.Channel, cancellationToken)).FirstOrDefault(s => s.Kind == kind);
        if (existing is null || !await subscriptions.RemoveAsync(context.Platform, context.Workspace!, context.Channel!, kind, cancellationToken))
            return ChatMessage.Notice($"This channel had no {Describe(kind)} subscription.");
        await scheduler.UnscheduleAsync(existing.Id, cancellationToken);
        return Confirmation("Unsubscribed", $"This channel will no longer get the {Describe(kind)}.");
    }

    /// <summary>"subscribe items &lt;incident&gt; [time zone]": new reporting on the incident, posted as it is polled.</summary>
    private async Task<ChatMessage> SubscribeItemsAsync(ChatContext context, string[] rest, CancellationToken cancellationToken)
    {
        var zoneName = "UTC";
        var query = new List<string>();
        foreach (var word in rest)
        {
            if (TimeOnly.TryParseExact(word, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return ChatMessage.Error($"Live posts come as new items are polled, so they take no time of day. Use {names.Slash("briefing", "subscribe items <incident> [time zone]")}.", "Live posts");
            if (word.Contains('/', StringComparison.Ordinal) && BriefingClock.TryParseZone(word, out _)) zoneName = word;
            else query.Add(word);
        }

        var (slug, problem) = await ResolveIncidentAsync(string.Join(' ', query), cancellationToken);
        if (slug is null) return problem!;
        var subscription = await subscriptions.SaveAsync(new Subscription
        {
            Platform = context.Platform,
            Workspace = context.Workspace!,
            Channel = context.Channel!,
            Kind = BriefingKind.Items,
            Topic = slug,
            TimeZone = zoneName,
        }, cancellationToken);
        return Confirmation("✅ Subscribed",
            $"New reporting on {subscription.Topic} from this workspace's news feeds will be posted here as it arrives, once per item. "
            + $"{names.Slash("briefing", $"unsubscribe items {slug}")} stops it.");
    }

    /// <summary>"unsubscribe items &lt;incident&gt;"; without an incident, the channel's only one.</summary>
    private async Task<ChatMessage> UnsubscribeItemsAsync(ChatContext context, string[] rest, CancellationToken cancellationToken)
    {
        if (!context.CanManageBriefings)
            return ChatMessage.Notice("Sorry, only people who can manage this channel or workspace can change its briefings.");
        var followed = (await subscriptions.ListAsync(context.Platform, context.Workspace, context.Channel, cancellationToken)).Where(s => s.IsLive).ToList();
        if (followed.Count == 0) return ChatMessage.Notice("This channel gets no live posts of new reporting.");
        var query = string.Join(' ', rest).Trim();
        Subscription? target;
        if (query.Length == 0)
        {
            if (followed.Count > 1)
                return ChatMessage.Notice($"This channel follows {string.Join(", ", followed.Select(s => s.Topic))}: name one, e.g. {names.Slash("briefing", $"unsubscribe items {followed[0].Topic}")}.");
            target = followed[0];
        }
        else
        {
            // The slug as typed first: an incident removed since still has its subscription to drop.
            target = followed.FirstOrDefault(s => string.Equals(s.Topic, query, StringComparison.OrdinalIgnoreCase));
            if (target is null && (await ResolveIncidentAsync(query, cancellationToken)).Slug is { } slug)
                target = followed.FirstOrDefault(s => s.Topic == slug);
            if (target is null)
                return ChatMessage.Notice($"This channel does not follow “{Clip(query)}”; it follows {string.Join(", ", followed.Select(s => s.Topic))}.");
        }

        await subscriptions.RemoveAsync(context.Platform, context.Workspace!, context.Channel!, BriefingKind.Items, target.Topic, cancellationToken);
        return Confirmation("Unsubscribed", $"This channel will no longer get live posts about {target.Topic}.");
    }

    /// <summary>The incident's slug, or the answer to give when the query names none (or several).</summary>
    private async Task<(string? Slug, ChatMessage? Problem)> ResolveIncidentAsync(string query, CancellationToken cancellationToken)
    {
        if (finder is null) return (null, ChatMessage.Error("Live posts are not available here.", "Live posts"));
        if (query.Length == 0)
            return (null, ChatMessage.Error($"Name the incident to follow, e.g. {names.Slash("briefing", "subscribe items balloon")}.", "Which incident?"));
        return await finder.FindAsync(query, cancellationToken) switch
        {
            Incidents.LookupResult.Found found => (found.Incident.Slug, null),
            Incidents.LookupResult.Ambiguous ambiguous => (null, ChatMessage.Notice(
                $"“{Clip(query)}” could be {string.Join(", ", ambiguous.Candidates.Select(c => c.Slug).Distinct().Take(5))}: name one.", "Which incident?")),
            Incidents.LookupResult.NotFound { Suggestions.Count: > 0 } notFound => (null, ChatMessage.Notice(
                $"No incident is called “{Clip(query)}”. Did you mean {string.Join(", ", notFound.Suggestions.Select(c => c.Slug).Distinct().Take(3))}?", "Which incident?")),
            _ => (null, ChatMessage.Notice($"No incident is called “{Clip(query)}”. {names.Slash("incident", "list")} shows them.", "Which incident?")),
        };
    }

    private static bool IsItems(string kindText) => Subscription.TryParseKind(kindText, out var kind) && kind == BriefingKind.Items;

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
            lines.Add(new MessageLine(s.IsLive ? $"items: {s.Topic}" : Subscription.KindName(s.Kind),
                (s.IsLive ? "new reporting, posted as it arrives" : $"{s.LocalTime:HH\\:mm} {s.TimeZone} · next {Local(BriefingClock.Next(s, now), s)}")
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
        if (kind == BriefingKind.Items)
            return ChatMessage.Notice("Live posts have no preview: each new item on the incident is posted as it arrives, as a card with its title, outlet and time.", "Preview");
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

    private static string Describe(BriefingKind kind) => kind switch
    {
        BriefingKind.Digest => "daily digest",
        BriefingKind.Items => "live posts of new reporting",
        _ => "“on this day” note",
    };

    private static string Local(DateTimeOffset at, Subscription subscription) =>
        TimeZoneInfo.ConvertTime(at, subscription.Zone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
