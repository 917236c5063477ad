using System.Text;
using System.Text.Json;
using Bot.Discord.Protocol;

namespace Bot.Discord.Tests.Protocol;

/// <summary>The repair every Discord payload (HTTP interactions and gateway frames) goes through before it is read.</summary>
public sealed class UnstorableEscapesTests
{
    [Theory]
    [InlineData("""{"guild_id":"70\u00001"}""", "70\uFFFD1")]
    [InlineData("""{"guild_id":"\u0000"}""", "\uFFFD")]
    [InlineData("""{"guild_id":"\ud800"}""", "\uFFFD")]
    [InlineData("""{"guild_id":"a\udc00\u0000b"}""", "a\uFFFD\uFFFDb")]
    public void NUL_and_lone_surrogates_become_replacement_characters(string json, string expected)
    {
        var repaired = UnstorableEscapes.Repaired(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(repaired);
        using var document = JsonDocument.Parse(repaired);
        Assert.Equal(expected, document.RootElement.GetProperty("guild_id").GetString());
    }

    [Theory]
    [InlineData("""{"content":"when was the balloon shot down? 🎈"}""")]
    [InlineData("""{"content":"\ud83c\udf88 a pair is text"}""")]
    [InlineData("""{"content":"a backslash \\u0000 spelled out is text"}""")]
    [InlineData("""{"content":"\u0001 other control characters are stored as they are"}""")]
    public void Payloads_without_them_are_read_as_sent(string json) =>
        Assert.Null(UnstorableEscapes.Repaired(Encoding.UTF8.GetBytes(json)));
}
