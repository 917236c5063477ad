using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Feeds;

/// <summary>
/// Dates as feeds write them: RFC 822/1123/2822 ("Tue, 5 Mar 24 09:00 EST", named and numeric zones, missing seconds
/// and weekdays, two-digit years) and RFC 3339/ISO 8601 ("2024-03-05T09:00:00.123+01:00", a space for the T, no
/// seconds). Anything else is null; nothing here throws.
/// </summary>
public static partial class FeedDates
{
    private static readonly Dictionary<string, TimeSpan> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = TimeSpan.Zero,
        ["UTC"] = TimeSpan.Zero,
        ["GMT"] = TimeSpan.Zero,
        ["Z"] = TimeSpan.Zero,
        ["WET"] = TimeSpan.Zero,
        ["EST"] = TimeSpan.FromHours(-5),
        ["EDT"] = TimeSpan.FromHours(-4),
        ["CST"] = TimeSpan.FromHours(-6),
        ["CDT"] = TimeSpan.FromHours(-5),
        ["MST"] = TimeSpan.FromHours(-7),
        ["MDT"] = TimeSpan.FromHours(-6),
        ["PST"] = TimeSpan.FromHours(-8),
        ["PDT"] = TimeSpan.FromHours(-7),
        ["AKST"] = TimeSpan.FromHours(-9),
        ["AKDT"] = TimeSpan.FromHours(-8),
        ["HST"] = TimeSpan.FromHours(-10),
        ["BST"] = TimeSpan.FromHours(1),
        ["IST"] = new TimeSpan(5, 30, 0),
        ["WEST"] = TimeSpan.FromHours(1),
        ["CET"] = TimeSpan.FromHours(1),
        ["CEST"] = TimeSpan.FromHours(2),
        ["MET"] = TimeSpan.FromHours(1),
        ["MEST"] = TimeSpan.FromHours(2),
        ["EET"] = TimeSpan.FromHours(2),
        ["EEST"] = TimeSpan.FromHours(3),
        ["MSK"] = TimeSpan.FromHours(3),
        ["JST"] = TimeSpan.FromHours(9),
        ["KST"] = TimeSpan.FromHours(9),
        ["HKT"] = TimeSpan.FromHours(8),
        ["SGT"] = TimeSpan.FromHours(8),
        ["AEST"] = TimeSpan.FromHours(10),
        ["AEDT"] = TimeSpan.FromHours(11),
        ["ACST"] = new TimeSpan(9, 30, 0),
        ["AWST"] = TimeSpan.FromHours(8),
        ["NZST"] = TimeSpan.FromHours(12),
        ["NZDT"] = TimeSpan.FromHours(13),
    };

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
        "yyyyMMdd'T'HHmmssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm",
    ];

    /// <summary>The instant <paramref name="text"/> names, or null.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100) return null;
        try
        {
            var trimmed = Comment().Replace(text, " ").Trim();
            return trimmed.Length > 0 && char.IsAsciiDigit(trimmed[0]) && trimmed.Length >= 8 && trimmed[4] is '-' or ':' || LooksCompactIso(trimmed)
                ? ParseIso(trimmed) ?? ParseRfc822(trimmed) ?? ParseLoose(trimmed)
                : ParseRfc822(trimmed) ?? ParseLoose(trimmed);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or OverflowException or RegexMatchTimeoutException)
        {
            return null;
        }
    }

    private static bool LooksCompactIso(string text) => text.Length >= 15 && text[8] is 'T' or 't' && text[..8].All(char.IsAsciiDigit);

    private static DateTimeOffset? ParseIso(string text)
    {
        var upper = text.ToUpperInvariant();
        // Offsets written as +0100 or +01 are common in the wild; the format strings want +01:00.
        upper = ShortOffset().Replace(upper, m => m.Groups["m"].Success ? $"{m.Groups["h"].Value}:{m.Groups["m"].Value}" : $"{m.Groups["h"].Value}:00");
        return DateTimeOffset.TryParseExact(upper, IsoFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value) ? value : null;
    }

    private static DateTimeOffset? ParseRfc822(string text)
    {
        var match = Rfc822().Match(text);
        if (!match.Success) return null;

        var day = int.Parse(match.Groups["day"].Value, CultureInfo.InvariantCulture);
        var monthName = match.Groups["month"].Value;
        var month = Array.IndexOf(Months, monthName[..3].ToLowerInvariant()) + 1;
        if (month == 0) return null;

        var yearText = match.Groups["year"].Value;
        var year = int.Parse(yearText, CultureInfo.InvariantCulture);
        // RFC 2822: two-digit years below 50 are in this century; three digits are 1900 + n.
        if (yearText.Length == 2) year += year < 50 ? 2000 : 1900;
        else if (yearText.Length == 3) year += 1900;

        var hour = match.Groups["hour"].Success ? int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture) : 0;
        var minute = match.Groups["minute"].Success ? int.Parse(match.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
        var second = match.Groups["second"].Success ? int.Parse(match.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        if (second == 60) second = 59; // a leap second: close enough
        if (month > 12 || day < 1 || day > DateTime.DaysInMonth(year is >= 1 and <= 9999 ? year : 2000, month) || hour > 23 || minute > 59 || second > 59 || year is < 1 or > 9999)
            return null;

        var offset = Offset(match.Groups["zone"].Value);
        if (offset is null) return null;
        return new DateTimeOffset(year, month, day, hour, minute, second, offset.Value);
    }

    private static TimeSpan? Offset(string zone)
    {
        if (zone.Length == 0) return TimeSpan.Zero;
        if (zone[0] is '+' or '-')
        {
            var digits = zone[1..].Replace(":", string.Empty, StringComparison.Ordinal);
            if (digits.Length is not (2 or 4) || !digits.All(char.IsAsciiDigit)) return null;
            var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
            var minutes = digits.Length == 4 ? int.Parse(digits[2..], CultureInfo.InvariantCulture) : 0;
            if (hours > 14 || minutes > 59) return null;
            var span = new TimeSpan(hours, minutes, 0);
            return zone[0] == '-' ? -span : span;
        }

        if (Zones.TryGetValue(zone, out var named)) return named;
        // RFC 2822 tells readers to take the old military letters, and any zone they do not know, as UTC.
        return TimeSpan.Zero;
    }

    private static DateTimeOffset? ParseLoose(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value)
            ? value
            : null;

    // [weekday[,]] day month[.] year [hh:mm[:ss[.fff]]] [zone]; also "month day, year" is left to the loose parser.
    [GeneratedRegex(@"^(?:[A-Za-z]{2,9}\.?,?\s*)?(?<day>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?<month>[A-Za-z]{3,9})\.?[\s\-]+(?<year>\d{2,4})(?:[\sT,]+(?<hour>\d{1,2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.\d{1,7})?)?)?\s*(?<zone>[+\-]\d{2}:?\d{2}|[+\-]\d{2}|[A-Za-z]{1,5})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Rfc822();

    [GeneratedRegex(@"\([^)]*\)", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Comment();

    [GeneratedRegex(@"(?<=T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\s\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?<h>[+\-]\d{2}):?(?<m>\d{2})?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ShortOffset();
}
