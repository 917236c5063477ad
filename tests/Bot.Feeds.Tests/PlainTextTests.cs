namespace Bot.Feeds.Tests;

public sealed class PlainTextTests
{
    [Theory]
    [InlineData("Plain title", "Plain title")]
    [InlineData("  spaced \n\t out  ", "spaced out")]
    [InlineData("Fish &amp; chips &eacute; &#8212; &#x2014; &nbsp;x", "Fish & chips é — — x")]
    [InlineData("<p>One</p><p>Two</p>", "One Two")]
    [InlineData("a<br>b", "a b")]
    [InlineData("<b>bold</b>face", "boldface")]
    [InlineData("x<script>alert(1)</script>y", "xy")]
    [InlineData("x<style>p { color: red }</style>y", "xy")]
    [InlineData("<noscript>no</noscript>yes", "yes")]
    [InlineData("text first<title>t</title> then", "text first then")]
    [InlineData("x<!-- hidden -->y", "xy")]
    [InlineData("<p>unclosed <b>tags <i>everywhere", "unclosed tags everywhere")]
    [InlineData("<img src=x onerror=alert(1)>after", "after")]
    [InlineData("1 < 2 and 3 > 2", "1 < 2 and 3 > 2")]
    [InlineData("<@everyone> and <@&123> ping", "<@everyone> and <@&123> ping")]
    [InlineData("tab\u0000null\u0007bell", "tab null bell")]
    [InlineData("zero\u200Bwidth", "zero width")]
    [InlineData("emoji 😀 stays", "emoji 😀 stays")]
    [InlineData("&lt;b&gt;escaped&lt;/b&gt;", "<b>escaped</b>")]
    public void Reduces_html_to_what_a_reader_sees(string html, string expected) =>
        Assert.Equal(expected, PlainText.FromHtml(html, 300));

    [Fact]
    public void Lone_surrogates_are_replaced()
    {
        // Not theory data: xunit's serialisation of attribute strings mangles lone surrogates.
        Assert.Equal("lone \ufffd high", PlainText.FromHtml("lone \ud800 high", 300));
        Assert.Equal("lone \ufffd low", PlainText.FromHtml("lone \udc00 <b>low</b>", 300));
        Assert.Equal("end \ufffd", PlainText.Clean("end \ud83d", 300));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<script>only()</script>")]
    [InlineData("<p> </p>")]
    public void Nothing_visible_is_null(string? html) => Assert.Null(PlainText.FromHtml(html, 300));

    [Fact]
    public void Deep_nesting_does_not_exhaust_the_stack()
    {
        // Thousands of unclosed tags would also cost the tree builder seconds each: the parser stops at a sane depth.
        foreach (var tag in new[] { "<b>", "<div>", "<i><b><u>", "<table><tr><td>" })
        {
            var html = "start " + string.Concat(Enumerable.Repeat(tag, 6_000)) + "deep";
            Assert.Equal("start", PlainText.FromHtml(html, PlainText.SummaryLength));
        }

        var sequential = string.Concat(Enumerable.Repeat("<p>para</p>", 500));
        Assert.StartsWith("para para", PlainText.FromHtml(sequential, PlainText.SummaryLength), StringComparison.Ordinal);
    }

    [Fact]
    public void Clips_with_an_ellipsis_and_never_splits_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 200));

        var clipped = PlainText.FromHtml(text, 300)!;

        Assert.True(clipped.Length <= 300);
        Assert.EndsWith("…", clipped, StringComparison.Ordinal);
        for (var i = 0; i < clipped.Length; i++)
        {
            if (char.IsHighSurrogate(clipped[i])) Assert.True(char.IsSurrogatePair(clipped, i++));
            else Assert.False(char.IsSurrogate(clipped[i]));
        }

        Assert.Equal(2000, PlainText.FromHtml("<p>" + new string('y', 50_000) + "</p>", 2000)!.Length);
    }
}
