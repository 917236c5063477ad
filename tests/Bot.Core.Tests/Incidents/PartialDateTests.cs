using Bot.Core.Incidents;

namespace Bot.Core.Tests.Incidents;

public class PartialDateTests
{
    [Theory]
    [InlineData("2023-02-04", DatePrecision.Day, "4 February 2023", "4 Feb 2023")]
    [InlineData("2022-11", DatePrecision.Month, "November 2022", "Nov 2022")]
    [InlineData("2013", DatePrecision.Year, "2013", "2013")]
    [InlineData("2024-02-29", DatePrecision.Day, "29 February 2024", "29 Feb 2024")]
    public void Parses_each_precision_and_formats_it_for_readers(string text, DatePrecision precision, string display, string shortDisplay)
    {
        var date = PartialDate.Parse(text);

        Assert.Equal(precision, date.Precision);
        Assert.Equal(display, date.ToDisplayString());
        Assert.Equal(shortDisplay, date.ToShortDisplayString());
        Assert.Equal(text, date.ToIsoString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("2023-13")]
    [InlineData("2023-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("23-02-04")]
    [InlineData("2023-2-4")]
    [InlineData("February 2023")]
    [InlineData("2023-02-04-01")]
    [InlineData("0000")]
    public void Rejects_anything_that_is_not_a_real_partial_date(string text)
    {
        Assert.False(PartialDate.TryParse(text, out _));
    }

    [Fact]
    public void Less_precise_dates_sort_before_the_precise_ones_of_their_period()
    {
        var dates = new[] { "2022-11-14", "2023", "2022-11", "2022" }.Select(PartialDate.Parse).Order().Select(d => d.ToIsoString());

        Assert.Equal(["2022", "2022-11", "2022-11-14", "2023"], dates);
    }
}
