using Bot.Core.Chat;
using Bot.Slack.Outbound;
using Bot.Slack.Protocol;

namespace Bot.Slack.Tests.Content;

/// <summary>A source's address becomes a link only when it cannot end the link early or open a mention of its own.</summary>
public class InertSourceTests
{
    private static string Rendered(string url) =>
        ((ContextBlock)BlockKitRenderer.Blocks(new ChatMessage { Title = "Card", Sources = [new SourceLink("The report", url)] })
            .Single(b => b is ContextBlock)).Elements[0].Text;

    [Theory]
    [InlineData("https://evil.example/<!channel>")]
    [InlineData("https://evil.example/<!channel")]
    [InlineData("https://evil.example/x|<@U123>")]
    [InlineData("https://evil.example/a b")]
    [InlineData("javascript:alert(1)")]
    public void An_address_that_could_break_out_is_shown_as_plain_text(string url)
    {
        var text = Rendered(url);

        Assert.Equal("The report", text);
    }

    [Fact]
    public void An_ampersand_in_an_address_is_escaped_like_any_other()
    {
        Assert.Equal("<https://example.org/?a=1&amp;b=2|The report>", Rendered("https://example.org/?a=1&b=2"));
    }
}
