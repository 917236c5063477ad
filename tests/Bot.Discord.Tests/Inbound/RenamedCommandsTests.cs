using System.Net;
using System.Text.Json;
using Bot.Cli;

namespace Bot.Discord.Tests.Inbound;

/// <summary>The bot running with Commands:Prefix=brief and Commands:Names:incident=case, against a fake Discord.</summary>
public sealed class RenamedDiscordFixture : DiscordFixture
{
    public static readonly Dictionary<string, string?> Renaming = new()
    {
        ["Commands:Prefix"] = "brief",
        ["Commands:Names:incident"] = "case",
    };

    protected override IReadOnlyDictionary<string, string?> MoreSettings => Renaming;
}

/// <summary>Renamed commands end to end on Discord: registered, routed, answered and shown under the new names; the old ones are not answered.</summary>
public class RenamedCommandsTests(RenamedDiscordFixture fixture) : IClassFixture<RenamedDiscordFixture>
{
    private static readonly string[] Registered = ["case", "brief-incidents", "brief-timeline", "brief-onthisday", "brief-briefing", "brief-ask", "brief-feeds"];

    private string Show(string commandName, string incident) => fixture.Interaction(2, new
    {
        id = "8000000000000000001",
        name = commandName,
        type = 1,
        options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = incident } } } },
    });

    /// <summary>Every text of the answer (content and embeds), one per line.</summary>
    private static string Texts(JsonElement body)
    {
        var texts = new List<string>();
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.String) texts.Add(element.GetString()!);
            else if (element.ValueKind == JsonValueKind.Array) foreach (var item in element.EnumerateArray()) Walk(item);
            else if (element.ValueKind == JsonValueKind.Object) foreach (var property in element.EnumerateObject()) Walk(property.Value);
        }

        Walk(body);
        return string.Join("\n", texts);
    }

    [Fact]
    public async Task A_command_under_its_own_name_is_answered()
    {
        var (status, body, _) = await fixture.SendAsync(Show("case", "balloon"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("🎈 Chinese surveillance balloon over the United States", body.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_command_under_the_prefix_is_answered()
    {
        var (_, body, _) = await fixture.SendAsync(fixture.SlashCommand("brief-timeline", ("incident", "balloon")));

        Assert.StartsWith("🗓️ Timeline:", body.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("incident")]
    [InlineData("brief-incident")]
    public async Task The_old_name_is_not_answered_and_the_reply_names_the_new_ones(string oldName)
    {
        var (status, body, _) = await fixture.SendAsync(Show(oldName, "balloon"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
        var texts = Texts(body);
        Assert.Contains($"I don't know the command \"/{oldName}\"", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("South Carolina", texts, StringComparison.Ordinal);
        // Markdown escaping touches the "<name>" placeholders, never the names.
        Assert.Contains("Try: /case ", texts, StringComparison.Ordinal);
        Assert.Contains("/brief-ask ", texts, StringComparison.Ordinal);
        Assert.DoesNotContain("/incident ", texts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hints_use_the_new_names_and_buttons_keep_working()
    {
        var (_, hint, _) = await fixture.SendAsync(fixture.SlashCommand("brief-timeline", ("incident", "")));
        var (_, pressed, _) = await fixture.SendAsync(fixture.Interaction(3, new { custom_id = "timeline balloon", component_type = 2 }));

        Assert.Contains("/brief-timeline balloon. /case list shows them all.", Texts(hint), StringComparison.Ordinal);
        Assert.StartsWith("🗓️ Timeline:", pressed.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incident_names_autocomplete_under_the_new_name()
    {
        var (_, body, _) = await fixture.SendAsync(fixture.Interaction(4, new
        {
            id = "8000000000000000001",
            name = "case",
            type = 1,
            options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = "ballo", focused = true } } } },
        }));

        Assert.Contains(body.GetProperty("data").GetProperty("choices").EnumerateArray(), c => c.GetProperty("value").GetString() == "balloon");
    }

    [Fact]
    public async Task The_registered_commands_carry_the_new_names()
    {
        var settings = new Dictionary<string, string?>(RenamedDiscordFixture.Renaming)
        {
            ["Discord:ApplicationId"] = fixture.Discord.ApplicationId,
            ["Discord:BotToken"] = fixture.Discord.BotToken,
            ["Discord:ApiBaseUrl"] = fixture.Discord.ApiBaseUrl.ToString(),
        };
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await BotCli.RunAsync(["discord", "register", "--guild", "556"], output, errors, settings);

        Assert.True(exit == 0, errors.ToString());
        Assert.Equal([.. Registered, "Add to incident"], fixture.Discord.GuildCommands["556"].Select(c => c.GetProperty("name").GetString()));
        Assert.Contains($"in guild 556: /{string.Join(", /", Registered)}", output.ToString(), StringComparison.Ordinal);
        var caseCommand = fixture.Discord.GuildCommands["556"][0];
        Assert.Contains(caseCommand.GetProperty("options").EnumerateArray(), o => o.GetProperty("name").GetString() == "show");
    }
}
