using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Bot.Testing;

namespace Bot.Discord.Tests.Outbound;

public class RendererTests
{
    private static Incident Oversized()
    {
        var words = string.Join(' ', Enumerable.Repeat("espionage🎈 accusations", 3000));
        return TestIncidents.Make("huge", "A " + string.Join(' ', Enumerable.Repeat("very long title", 60)), "Cyber") with
        {
            Summary = words,
            Countries = Enumerable.Range(1, 400).Select(i => $"Country {i}").ToList(),
            Status = words,
            Actors = Enumerable.Range(1, 200).Select(i => new Actor($"Actor number {i} with a long name", "person", words[..3000])).ToList(),
            Timeline = Enumerable.Range(1, 300).Select(i => new TimelineEvent(new PartialDate(2000 + i % 20, 1 + i % 12, 1 + i % 28), $"Event {i}: {words[..900]}")).ToList(),
            Sources = Enumerable.Range(1, 60).Select(i => new Source("Publisher", "Author", $"Title {i} " + words[..400], new PartialDate(2023, 2), $"https://example.org/{i}")).ToList(),
            Related = Enumerable.Range(1, 40).Select(i => $"related-{i}").ToList(),
        };
    }

    public static TheoryData<string> OversizedMessages() => ["card", "timeline", "sources"];

    [Theory]
    [MemberData(nameof(OversizedMessages))]
    public void An_oversized_incident_renders_within_every_Discord_limit(string kind)
    {
        var incident = Oversized();
        var message = kind switch
        {
            "card" => IncidentCards.Card(incident),
            "timeline" => IncidentCards.Timeline(incident),
            _ => IncidentCards.Sources(incident),
        };

        var payload = DiscordMessageRenderer.Render(message, ephemeral: false);

        var embed = Assert.Single(payload.Embeds!);
        Assert.InRange(TextClipper.Length(embed.Title), 1, 256);
        Assert.InRange(TextClipper.Length(embed.Description), 0, 4096);
        Assert.InRange(embed.Fields?.Count ?? 0, 0, 25);
        Assert.All(embed.Fields ?? [], f =>
        {
            Assert.InRange(TextClipper.Length(f.Name), 1, 256);
            Assert.InRange(TextClipper.Length(f.Value), 1, 1024);
        });
        var total = TextClipper.Length(embed.Title) + TextClipper.Length(embed.Description) + TextClipper.Length(embed.Footer?.Text)
            + (embed.Fields ?? []).Sum(f => TextClipper.Length(f.Name) + TextClipper.Length(f.Value));
        Assert.InRange(total, 1, 6000);
        Assert.InRange(payload.Components?.Count ?? 0, 0, 5);
        Assert.All(payload.Components ?? [], row => Assert.InRange(row.Components.Count, 1, 5));
    }

    [Fact]
    public void Text_is_cut_on_a_word_with_an_ellipsis()
    {
        var clipped = TextClipper.Clip("The balloon was spotted over Montana and then shot down off the coast", 40);

        Assert.EndsWith("…", clipped, StringComparison.Ordinal);
        Assert.True(TextClipper.Length(clipped) <= 40);
        Assert.DoesNotContain("sho…", clipped, StringComparison.Ordinal);
    }

    [Fact]
    public void Clipping_never_splits_an_emoji()
    {
        var clipped = TextClipper.Clip(string.Concat(Enumerable.Repeat("🎈", 50)), 10);

        Assert.Equal(10, TextClipper.Length(clipped));
        Assert.DoesNotContain('\uFFFD', clipped);
        Assert.True(clipped[..^1].EnumerateRunes().All(r => r.Value == 0x1F388));
    }

    [Fact]
    public void The_card_becomes_an_embed_with_colour_fields_timeline_sources_and_buttons()
    {
        var card = IncidentCards.Card(TestIncidents.Make("balloon", "Balloon", "Airspace") with { Countries = ["United States"] });

        var payload = DiscordMessageRenderer.Render(card, ephemeral: false);
        var json = JsonSerializer.SerializeToElement(payload, DiscordJson.Default.MessagePayload);

        var embed = json.GetProperty("embeds")[0];
        Assert.Equal("🎈 Balloon", embed.GetProperty("title").GetString());
        Assert.Equal(0x3B82F6, embed.GetProperty("color").GetInt32());
        Assert.Contains(embed.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "Where" && f.GetProperty("value").GetString() == "United States");
        Assert.Contains(embed.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "Timeline");
        Assert.Contains(embed.GetProperty("fields").EnumerateArray(), f => f.GetProperty("name").GetString() == "Sources");
        var buttons = json.GetProperty("components")[0].GetProperty("components");
        Assert.Equal(1, json.GetProperty("components")[0].GetProperty("type").GetInt32());
        Assert.Equal("timeline balloon", buttons[0].GetProperty("custom_id").GetString());
        Assert.Equal(2, buttons[0].GetProperty("type").GetInt32());
        Assert.Equal(0, json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.False(json.TryGetProperty("flags", out _));
    }

    [Fact]
    public void Ephemeral_messages_carry_the_flag_and_still_mention_nobody()
    {
        var payload = DiscordMessageRenderer.Render(ChatMessage.Error("@everyone <@123> oops"), ephemeral: true);
        var json = JsonSerializer.SerializeToElement(payload, DiscordJson.Default.MessagePayload);

        Assert.Equal(64, json.GetProperty("flags").GetInt32());
        Assert.Equal(0, json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
    }

    [Fact]
    public void A_card_of_team_text_with_mentions_and_markdown_renders_inert()
    {
        var incident = TestIncidents.Make("pinged", "@everyone **bold** <@123>", "Cyber") with { Summary = "See <#456> and <@&789> __now__ @here" };

        var payload = DiscordMessageRenderer.Render(IncidentCards.Card(incident), ephemeral: false);
        var json = JsonSerializer.SerializeToElement(payload, DiscordJson.Default.MessagePayload);

        Assert.Equal(0, json.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var embed = json.GetProperty("embeds")[0];
        Assert.EndsWith(@"@everyone \*\*bold\*\* \<@123>", embed.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains(@"See \<#456> and \<@&789> \_\_now\_\_ @here", embed.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*bold* _it_ ~s~ `c` |sp|", @"\*bold\* \_it\_ \~s\~ \`c\` \|sp\|")]
    [InlineData("# heading", @"\# heading")]
    [InlineData("a - b # c", "a - b # c")]
    [InlineData("> quote", @"\> quote")]
    [InlineData("<@123> <t:0:R> a<b", @"\<@123> \<t:0:R> a\<b")]
    public void Stored_text_is_escaped_so_markdown_characters_stay_literal(string text, string expected)
    {
        Assert.Equal(expected, DiscordMessageRenderer.Escape(text));
    }
}
