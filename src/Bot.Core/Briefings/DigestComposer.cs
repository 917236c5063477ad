using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents;

namespace Bot.Core.Briefings;

/// <summary>
/// The daily digest for a channel's local date: anniversaries, the coming week in history, what is
/// new since the channel's previous digest, a rotating spotlight and a footer with counts. Never
/// empty: a quiet day says so and still has its spotlight.
/// </summary>
public sealed class DigestComposer(IIncidentStore incidents, IDeliveryStore deliveries, OnThisDay onThisDay)
{
    private const int ComingDays = 7;
    private const int MaxLines = 8;

    public async Task<(ChatMessage Message, string? Spotlight)> ComposeAsync(
        DateOnly localDate, Subscription? subscription, DateTimeOffset? newSince, DateTimeOffset? nextPost, CancellationToken cancellationToken)
    {
        var sections = new List<MessageSection>();

        var anniversaries = await onThisDay.FindAsync(localDate, cancellationToken);
        if (anniversaries.Count > 0)
            sections.Add(new MessageSection("On this day", anniversaries.Take(MaxLines)
                .Select(a => new MessageLine(a.YearsAgoText, $"{a.Event.Event.Text} ({a.Event.Event.Date.Year})")).ToList()));

        var coming = new List<MessageLine>();
        for (var offset = 1; offset <= ComingDays && coming.Count < MaxLines; offset++)
        {
            var day = localDate.AddDays(offset);
            foreach (var e in (await onThisDay.FindAsync(day, cancellationToken)).Take(MaxLines - coming.Count))
                coming.Add(new MessageLine(day.ToString("d MMM", CultureInfo.InvariantCulture), $"{e.Event.Event.Text} ({e.Event.Event.Date.Year})"));
        }

        if (coming.Count > 0) sections.Add(new MessageSection("Coming up this week", coming));

        var changed = newSince is { } since ? await incidents.ChangedSinceAsync(since, MaxLines + 1, cancellationToken) : [];
        sections.Add(new MessageSection(newSince is null ? "New in the store" : "New since the last digest", changed.Count == 0
            ? [new MessageLine(null, "Nothing new in the store.")]
            : changed.Take(MaxLines).Select(i => new MessageLine(i.Slug, i.Title)).ToList()));

        var spotlightSlug = await deliveries.PickSpotlightAsync(subscription?.Id, localDate.DayNumber, cancellationToken);
        var spotlight = spotlightSlug is null ? null : await incidents.GetAsync(spotlightSlug, cancellationToken);
        if (spotlight is not null)
            sections.Add(new MessageSection($"Spotlight: {spotlight.Title}", [new MessageLine(null, FirstSentence(spotlight.Summary)), new MessageLine(null, $"/incident {spotlight.Slug} for the card")]));

        var stats = await incidents.GetStatsAsync(cancellationToken);
        var footer = $"{stats.Incidents} incidents · {stats.DatedEvents} dated events";
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

    private static string FirstSentence(string text) => Text.SentenceSplitter.Split(text) is [var first, ..] ? first : text;
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
                ? $"{anniversaries.Count - OnThisDayCommand.MaxShown} more anniversaries today: /onthisday"
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
