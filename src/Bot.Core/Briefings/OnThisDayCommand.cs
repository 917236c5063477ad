using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents;

namespace Bot.Core.Briefings;

/// <summary>"onthisday [MM-DD]": anniversaries of day-precise events, today in the channel's zone by default.</summary>
public sealed class OnThisDayCommand(OnThisDay onThisDay, TimeProvider time, CommandNames names) : ICommandHandler
{
    private static readonly string[] DayFormats = ["MM-dd", "M-d", "MM/dd", "M/d", "d MMMM", "d MMM", "MMMM d", "MMM d"];

    public IReadOnlyList<string> Names => ["onthisday"];
    public string Usage => names.Slash("onthisday", "[MM-DD]");

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), request.Context.TimeZone).DateTime);
        CalendarDay day;
        if (string.IsNullOrWhiteSpace(request.Arguments))
        {
            day = new CalendarDay(today.Month, today.Day);
        }
        else if (!TryParseDay(request.Arguments, out day))
        {
            return ChatMessage.Error(
                $"“{LookupReplies.Clip(request.Arguments)}” is not a calendar day. Use MM-DD, for example {names.Slash("onthisday", "02-04")}.",
                "Which day?");
        }

        var anniversaries = await onThisDay.FindAsync(day, today.Year, cancellationToken);
        return Compose(day, anniversaries);
    }

    /// <summary>A message people read at a glance; a large store can have hundreds of anniversaries on one day.</summary>
    public const int MaxShown = 10;

    public static ChatMessage Compose(CalendarDay day, IReadOnlyList<Anniversary> anniversaries)
    {
        var dayName = day.DisplayName;
        if (anniversaries.Count == 0)
            return ChatMessage.Notice($"Nothing in the store happened on {dayName} in an earlier year.", $"📅 On this day — {dayName}");

        var hidden = anniversaries.Count - MaxShown;
        return new ChatMessage
        {
            Emoji = "📅",
            Title = $"On this day — {dayName}",
            Sections =
            [
                new MessageSection("Anniversaries", anniversaries
                    .Take(MaxShown)
                    .Select(a => new MessageLine(a.YearsAgoText, $"{a.Event.Event.Text} — {a.Event.IncidentTitle} ({a.Event.Event.Date.Year})"))
                    .ToList()),
            ],
            Footer = hidden > 0 ? $"The {MaxShown} most recent of {anniversaries.Count} anniversaries; {hidden} more {(hidden == 1 ? "is" : "are")} in the store." : null,
            Buttons = anniversaries.Select(a => a.Event.Slug).Distinct().Take(5)
                .Select(slug => new MessageButton(slug, $"incident {slug}")).ToList(),
            IncidentSlug = anniversaries[0].Event.Slug,
        };
    }

    /// <summary>Accepts "02-04", "2-4", "02/04", "4 February", "Feb 4"; 02-29 is always a valid day.</summary>
    public static bool TryParseDay(string text, out CalendarDay day)
    {
        day = default;
        var trimmed = text.Trim();
        if (trimmed.Length > 20) return false;
        // Parsed inside a leap year so that 29 February is accepted whatever the current year.
        var formats = DayFormats.Select(f => f + " yyyy").ToArray();
        if (!DateTime.TryParseExact($"{trimmed} 2024", formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out var parsed))
            return false;
        day = new CalendarDay(parsed.Month, parsed.Day);
        return true;
    }
}
