using Bot.Core.Incidents;

namespace Bot.Core.Briefings;

public sealed record Anniversary(IncidentEvent Event, int YearsAgo)
{
    public string YearsAgoText => YearsAgo switch
    {
        0 => "This year",
        1 => "1 year ago",
        > 1 => $"{YearsAgo} years ago",
        _ => $"In {Event.Event.Date.Year}",
    };
}

/// <summary>
/// Finds day-precise events that fell on a calendar day in earlier years. Month- or year-precise
/// events never count: "November 2022" has no anniversary day.
/// </summary>
public sealed class OnThisDay(IIncidentStore store)
{
    public Task<IReadOnlyList<Anniversary>> FindAsync(DateOnly day, CancellationToken cancellationToken) =>
        FindAsync(new CalendarDay(day.Month, day.Day), day.Year, cancellationToken);

    /// <summary>Anniversaries of <paramref name="day"/> as seen from <paramref name="year"/>.</summary>
    public async Task<IReadOnlyList<Anniversary>> FindAsync(CalendarDay day, int year, CancellationToken cancellationToken)
    {
        var events = new List<IncidentEvent>(await store.EventsOnDayAsync(day.Month, day.Day, cancellationToken));
        // Leap-day events are remembered on 28 February in the years that have no 29th.
        if (day is { Month: 2, Day: 28 } && !DateTime.IsLeapYear(year))
            events.AddRange(await store.EventsOnDayAsync(2, 29, cancellationToken));

        return events
            .Select(e => new Anniversary(e, year - e.Event.Date.Year))
            .OrderByDescending(a => a.Event.Event.Date)
            .ThenBy(a => a.Event.Slug, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>A day of the year without a year: 29 February is always valid.</summary>
public readonly record struct CalendarDay
{
    public CalendarDay(int month, int day)
    {
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2024, month))
            throw new ArgumentOutOfRangeException(nameof(day), $"{month:D2}-{day:D2} is not a calendar day.");
        Month = month;
        Day = day;
    }

    public int Month { get; }
    public int Day { get; }

    public string DisplayName => $"{Day} {System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[Month - 1]}";

    public override string ToString() => $"{Month:D2}-{Day:D2}";
}
