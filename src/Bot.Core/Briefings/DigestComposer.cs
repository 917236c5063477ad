using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;

namespace Bot.Core.Briefings;

/// <summary>
/// The daily digest for a channel's local date: anniversaries, the coming week in history, what is
/// new lately, a rotating spotlight and a footer with counts. Never empty: a quiet day says so and
/// still has its spotlight. A capped section says how many lines it left out.
/// </summary>
public sealed class DigestComposer(IIncidentStore incidents, IDeliveryStore deliveries, OnThisDay onThisDay, Feeds.IFeedStore? feeds = null)
{
    private const int ComingDays = 7;
    private const int MaxLines = 8;
    private readonly SpotlightRotation _spotlights = new(incidents, deliveries);

    public async Task<(ChatMessage Message, string? Spotlight)> ComposeAsync(
        DateOnly localDate, Subscription? subscription, NewSince newSince, DateTimeOffset? nextPost, CancellationToken cancellationToken)
    {
        var sections = new List<MessageSection>();

        var anniversaries = await onThisDay.FindAsync(localDate, cancellationToken);
        if (anniversaries.Count > 0)
            sections.Add(new MessageSection("On this day", Capped(
                anniversaries.Select(a => new MessageLine(a.YearsAgoText, $"{a.Event.Event.Text} ({a.Event.Event.Date.Year})")).ToList(),
                anniversaries.Count, $"/onthisday {localDate.ToString("MM-dd", CultureInfo.InvariantCulture)}")));

        var coming = new List<MessageLine>();
        for (var offset = 1; offset <= ComingDays; offset++)
        {
            var day = localDate.AddDays(offset);
            foreach (var e in await onThisDay.FindAsync(day, cancellationToken))
                coming.Add(new MessageLine(day.ToString("d MMM", CultureInfo.InvariantCulture), $"{e.Event.Event.Text} ({e.Event.Event.Date.Year})"));
        }

        if (coming.Count > 0) sections.Add(new MessageSection("Coming up this week", Capped(coming, coming.Count, null)));

        var changed = await incidents.ChangedSinceAsync(newSince.Since, MaxLines, cancellationToken);
        var changedCount = changed.Count < MaxLines ? changed.Count : await incidents.CountChangedSinceAsync(newSince.Since, cancellationToken);
        sections.Add(new MessageSection(newSince.Heading, changed.Count == 0
            ? [new MessageLine(null, "Nothing new in the store.")]
            : Capped(changed.Select(i => new MessageLine(i.Slug, i.Title)).ToList(), changedCount, "/incident list")));

        // The channel's own workspace's feeds; a digest printed at the command line reads the local workspace's.
        if (feeds is not null && await Feeds.NewReporting.ComposeAsync(feeds,
                subscription is null ? Feeds.FeedOwner.Local : new Feeds.FeedOwner(subscription.Platform, subscription.Workspace),
                newSince.Since, subscription?.Zone ?? TimeZoneInfo.Utc, cancellationToken) is { } reporting)
            sections.Add(reporting);

        var spotlightSlug = await _spotlights.PickAsync(subscription?.Id, localDate.DayNumber, cancellationToken);
        var spotlight = spotlightSlug is null ? null : await incidents.GetAsync(spotlightSlug, cancellationToken);
        if (spotlight is not null)
            sections.Add(new MessageSection($"Spotlight: {spotlight.Title}", [new MessageLine(null, FirstSentence(spotlight.Summary)), new MessageLine(null, $"/incident {spotlight.Slug} for the card")]));

        var stats = await incidents.GetStatsAsync(cancellationToken);
        var footer = $"{Plural.Of(stats.Incidents, "incident")} · {Plural.Of(stats.DatedEvents, "dated event")}";
        if (nextPost is { } next && subscription is not null)
            footer += $" · next briefing {TimeZoneInfo.ConvertTime(next, subscription.Zone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture)} {subscription.TimeZone}";

        return (new ChatMessage
        {
            Emoji = "🗞",
            Title = $"Briefing — {localDate.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)}",
            Sections = sections,
            Buttons = spotlight is null ? [] : [new MessageButton($"Spotlight: {spotlight.Slug}", $"incident {spotlight.Slug}")],
            Footer = footer,
            IncidentSlug = spotlight?.Slug,
        }, spotlight?.Slug);
    }

    /// <summary>At most <see cref="MaxLines"/> lines, then "and N more" (with where to see them) when <paramref name="total"/> is larger.</summary>
    private static List<MessageLine> Capped(IReadOnlyList<MessageLine> lines, int total, string? seeAll)
    {
        var shown = lines.Take(MaxLines).ToList();
        if (total > shown.Count)
            shown.Add(new MessageLine(null, $"and {total - shown.Count} more{(seeAll is null ? "" : $": {seeAll}")}"));
        return shown;
    }

    private static string FirstSentence(string text) => Text.SentenceSplitter.Split(text) is [var first, ..] ? first : text;
}

/// <summary>The window of the digest's "what is new": since the channel's previous digest, or the last day when it has none.</summary>
public sealed record NewSince(DateTimeOffset Since, bool SinceLastDigest)
{
    public static NewSince LastDigest(DateTimeOffset postedAt) => new(postedAt, true);

    public static NewSince LastDay(DateTimeOffset now) => new(now.AddDays(-1), false);

    public string Heading => SinceLastDigest ? "New since the last digest" : "New in the last 24 hours";
}

/// <summary>The "on this day" note: only on days with a day-precise anniversary.</summary>
public sealed class OnThisDayNote(OnThisDay onThisDay)
{
    public async Task<ChatMessage?> ComposeAsync(DateOnly localDate, CancellationToken cancellationToken)
    {
        var anniversaries = await onThisDay.FindAsync(localDate, cancellationToken);
        if (anniversaries.Count == 0) return null;
        var lead = anniversaries[0];
        var when = lead.YearsAgo == 1 ? "A year ago today" : $"{lead.YearsAgo} years ago today";
        return new ChatMessage
        {
            Emoji = "📅",
            Title = $"On this day — {localDate.ToString("d MMMM", CultureInfo.InvariantCulture)}",
            Text = $"{when}: {LowerFirst(lead.Event.Event.Text)}",
            Sections = anniversaries.Count > 1
                ? [new MessageSection("Also on this day", anniversaries.Skip(1).Take(OnThisDayCommand.MaxShown - 1)
                    .Select(a => new MessageLine(a.YearsAgoText, a.Event.Event.Text)).ToList())]
                : [],
            Footer = anniversaries.Count > OnThisDayCommand.MaxShown
                ? $"{Plural.Of(anniversaries.Count - OnThisDayCommand.MaxShown, "more anniversary", "more anniversaries")} today: /onthisday"
                : null,
            Buttons = anniversaries.Select(a => a.Event.Slug).Distinct().Take(5).Select(s => new MessageButton(s, $"incident {s}")).ToList(),
            IncidentSlug = lead.Event.Slug,
        };
    }

    private static string LowerFirst(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) && !text.StartsWith("The United", StringComparison.Ordinal)
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
}
