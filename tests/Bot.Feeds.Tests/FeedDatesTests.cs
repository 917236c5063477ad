namespace Bot.Feeds.Tests;

public sealed class FeedDatesTests
{
    [Theory]
    // RFC 822 / 1123 / 2822
    [InlineData("Tue, 05 Mar 2024 09:00:00 GMT", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 +0000", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 5 Mar 2024 09:00:00 +0100", "2024-03-05T09:00:00+01:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 -05:30", "2024-03-05T09:00:00-05:30")]
    [InlineData("Tue, 05 Mar 2024 09:00 EST", "2024-03-05T09:00:00-05:00")]
    [InlineData("05 Mar 2024 09:00:00 EDT", "2024-03-05T09:00:00-04:00")]
    [InlineData("Tue, 05 Mar 24 09:00:00 PST", "2024-03-05T09:00:00-08:00")]
    [InlineData("Fri, 31 Dec 99 23:59:59 UT", "1999-12-31T23:59:59+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 Z", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 UTC", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 CEST", "2024-03-05T09:00:00+02:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 A", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 XYZ", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tuesday, 05 March 2024 09:00:00 GMT", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue,05 Mar 2024 09:00:00 GMT", "2024-03-05T09:00:00+00:00")]
    [InlineData("  Tue,  05   Mar  2024  09:00:00   GMT  ", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Sept 2023 09:00:00 GMT", "2023-09-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 +0000 (UTC)", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024", "2024-03-05T00:00:00+00:00")]
    [InlineData("5 Mar 2024 9:05 +0000", "2024-03-05T09:05:00+00:00")]
    [InlineData("tue, 05 mar 2024 09:00:00 gmt", "2024-03-05T09:00:00+00:00")]
    [InlineData("Tue, 05 Mar 2024 09:00:00.123 GMT", "2024-03-05T09:00:00+00:00")]
    // RFC 3339 / ISO 8601
    [InlineData("2024-03-05T09:00:00Z", "2024-03-05T09:00:00+00:00")]
    [InlineData("2024-03-05T09:00:00.123456Z", "2024-03-05T09:00:00.123456+00:00")]
    [InlineData("2024-03-05T09:00:00+01:00", "2024-03-05T09:00:00+01:00")]
    [InlineData("2024-03-05T09:00:00+0100", "2024-03-05T09:00:00+01:00")]
    [InlineData("2024-03-05T09:00:00-07", "2024-03-05T09:00:00-07:00")]
    [InlineData("2024-03-05t09:00:00z", "2024-03-05T09:00:00+00:00")]
    [InlineData("2024-03-05T09:00Z", "2024-03-05T09:00:00+00:00")]
    [InlineData("2024-03-05 09:00:00", "2024-03-05T09:00:00+00:00")]
    [InlineData("2024-03-05 09:00:00 +02:00", "2024-03-05T09:00:00+02:00")]
    [InlineData("2024-03-05T09:00:00", "2024-03-05T09:00:00+00:00")]
    [InlineData("2024-03-05", "2024-03-05T00:00:00+00:00")]
    [InlineData("20240305T090000Z", "2024-03-05T09:00:00+00:00")]
    public void Reads_the_variants_feeds_write(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("yesterday")]
    [InlineData("Tue, 32 Mar 2024 09:00:00 GMT")]
    [InlineData("Tue, 30 Feb 2024 09:00:00 GMT")]
    [InlineData("Tue, 05 Foo 2024 09:00:00 GMT")]
    [InlineData("Tue, 05 Mar 2024 25:00:00 GMT")]
    [InlineData("Tue, 05 Mar 2024 09:00:00 +9999")]
    [InlineData("2024-13-45T99:99:99Z")]
    [InlineData("0000-00-00T00:00:00Z")]
    [InlineData("Tue, 05 Mar 0 09:00:00 GMT")]
    [InlineData("99999999999999999999")]
    public void Anything_else_is_null_not_an_exception(string? text) => Assert.Null(FeedDates.Parse(text));

    [Fact]
    public void Never_throws_on_random_text()
    {
        var random = new Random(14);
        const string alphabet = "0123456789 :-+,.TZtzGMTUESTPDJanFebMarDec()\t\u00a0\ud800";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 40)];
            for (var j = 0; j < chars.Length; j++) chars[j] = alphabet[random.Next(alphabet.Length)];
            _ = FeedDates.Parse(new string(chars));
        }
    }
}
