namespace Bot.Core.Briefings;

/// <summary>
/// When a subscription's posts fall, in its own zone. A local time that does not exist on a
/// spring-forward day moves to the first minute that does; one that happens twice on a fall-back
/// day counts once (the first time), so a 09:00 digest is never skipped and never doubled.
/// </summary>
public static class BriefingClock
{
    /// <summary>The instant the subscription is due on <paramref name="localDate"/>.</summary>
    public static DateTimeOffset DueOn(DateOnly localDate, TimeOnly localTime, TimeZoneInfo zone)
    {
        var local = localDate.ToDateTime(localTime, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The local date at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The next due instant strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset Next(Subscription subscription, DateTimeOffset after)
    {
        var zone = subscription.Zone;
        var date = LocalDate(after, zone);
        for (var i = 0; i < 3; i++)
        {
            var due = DueOn(date.AddDays(i), subscription.LocalTime, zone);
            if (due > after) return due;
        }

        return DueOn(date.AddDays(3), subscription.LocalTime, zone);
    }

    /// <summary>The latest due instant at or before <paramref name="now"/>.</summary>
    public static DateTimeOffset Previous(Subscription subscription, DateTimeOffset now)
    {
        var zone = subscription.Zone;
        var date = LocalDate(now, zone);
        var due = DueOn(date, subscription.LocalTime, zone);
        return due <= now ? due : DueOn(date.AddDays(-1), subscription.LocalTime, zone);
    }

    public static bool TryParseZone(string? name, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64) return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(name.Trim());
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
