using System.Globalization;

namespace Bot.Core.Incidents;

public enum DatePrecision
{
    Year = 0,
    Month = 1,
    Day = 2,
}

/// <summary>
/// A date known to the day, the month or only the year: sources often say "November 2022",
/// and pretending that means 1 November would invent anniversaries.
/// </summary>
public readonly record struct PartialDate : IComparable<PartialDate>
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    public PartialDate(int year, int? month = null, int? day = null)
    {
        if (year is < 1 or > 9999) throw new ArgumentOutOfRangeException(nameof(year));
        if (day is not null && month is null) throw new ArgumentException("A day needs a month.", nameof(day));
        if (month is < 1 or > 12) throw new ArgumentOutOfRangeException(nameof(month));
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value)))
            throw new ArgumentOutOfRangeException(nameof(day));
        Year = year;
        Month = month;
        Day = day;
    }

    public int Year { get; }
    public int? Month { get; }
    public int? Day { get; }

    public DatePrecision Precision => Day is not null ? DatePrecision.Day : Month is not null ? DatePrecision.Month : DatePrecision.Year;

    public static PartialDate FromDateOnly(DateOnly date) => new(date.Year, date.Month, date.Day);

    /// <summary>Parses "2023-02-04", "2022-11" or "2013".</summary>
    public static bool TryParse(string? text, out PartialDate date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split('-');
        if (parts.Length > 3) return false;
        var numbers = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var expectedLength = i == 0 ? 4 : 2;
            if (parts[i].Length != expectedLength || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                return false;
        }

        int? month = numbers.Length > 1 ? numbers[1] : null;
        int? day = numbers.Length > 2 ? numbers[2] : null;
        if (numbers[0] < 1 || month is < 1 or > 12) return false;
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(numbers[0], month!.Value))) return false;
        date = new PartialDate(numbers[0], month, day);
        return true;
    }

    public static PartialDate Parse(string text) =>
        TryParse(text, out var date) ? date : throw new FormatException($"'{text}' is not a date like 2023-02-04, 2022-11 or 2013.");

    /// <summary>The machine form used in files and the database.</summary>
    public string ToIsoString() => Precision switch
    {
        DatePrecision.Day => $"{Year:D4}-{Month:D2}-{Day:D2}",
        DatePrecision.Month => $"{Year:D4}-{Month:D2}",
        _ => $"{Year:D4}",
    };

    /// <summary>The reader's form: "4 February 2023", "November 2022", "2013".</summary>
    public string ToDisplayString() => Precision switch
    {
        DatePrecision.Day => $"{Day} {MonthNames[Month!.Value - 1]} {Year}",
        DatePrecision.Month => $"{MonthNames[Month!.Value - 1]} {Year}",
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Short form for compact lists: "4 Feb 2023", "Nov 2022", "2013".</summary>
    public string ToShortDisplayString() => Precision switch
    {
        DatePrecision.Day => $"{Day} {MonthNames[Month!.Value - 1][..3]} {Year}",
        DatePrecision.Month => $"{MonthNames[Month!.Value - 1][..3]} {Year}",
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() => ToIsoString();

    public int CompareTo(PartialDate other)
    {
        // Less precise dates sort first within their period: "2022" before "2022-11" before "2022-11-14".
        var byYear = Year.CompareTo(other.Year);
        if (byYear != 0) return byYear;
        var byMonth = (Month ?? 0).CompareTo(other.Month ?? 0);
        return byMonth != 0 ? byMonth : (Day ?? 0).CompareTo(other.Day ?? 0);
    }

    public static bool operator <(PartialDate left, PartialDate right) => left.CompareTo(right) < 0;
    public static bool operator >(PartialDate left, PartialDate right) => left.CompareTo(right) > 0;
    public static bool operator <=(PartialDate left, PartialDate right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PartialDate left, PartialDate right) => left.CompareTo(right) >= 0;
}
