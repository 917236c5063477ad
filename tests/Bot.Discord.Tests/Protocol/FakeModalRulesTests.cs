using System.Text.Json.Nodes;
using Bot.Testing.Discord;

namespace Bot.Discord.Tests.Protocol;

/// <summary>The fake refuses modals as Discord does (reference §3, §4), so a test passing against it means something.</summary>
public class FakeModalRulesTests
{
    private static JsonObject ValidModal() => new()
    {
        ["type"] = 9,
        ["data"] = new JsonObject
        {
            ["custom_id"] = "incident save new",
            ["title"] = "New incident",
            ["components"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = 18,
                    ["label"] = "Title",
                    ["component"] = new JsonObject { ["type"] = 4, ["custom_id"] = "title", ["style"] = 1, ["max_length"] = 200, ["required"] = true, ["value"] = "A title" },
                },
                new JsonObject
                {
                    ["type"] = 1,
                    ["components"] = new JsonArray(new JsonObject { ["type"] = 4, ["custom_id"] = "summary", ["label"] = "Summary", ["style"] = 2 }),
                }),
        },
    };

    [Fact]
    public void A_valid_modal_in_either_shape_is_accepted_for_commands_and_buttons_only()
    {
        var json = ValidModal().ToJsonString();

        Assert.Null(FakeDiscordServer.InteractionResponseProblem(json, interactionType: 2));
        Assert.Null(FakeDiscordServer.InteractionResponseProblem(json, interactionType: 3));
        Assert.NotNull(FakeDiscordServer.InteractionResponseProblem(json, interactionType: 5));
        Assert.NotNull(FakeDiscordServer.InteractionResponseProblem(json, interactionType: 1));
    }

    public static TheoryData<string> Breakages() =>
    [
        "custom_id too long", "no custom_id", "title too long", "no components", "six components", "label too long", "unknown wrapper",
        "input without custom_id", "style 3", "max_length 4001", "value longer than max_length", "placeholder too long", "duplicate ids",
        "not a text input", "legacy row of two", "legacy input without label",
    ];

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_modal_that_breaks_a_rule_is_refused(string breakage)
    {
        var root = ValidModal();
        var data = root["data"]!.AsObject();
        var components = data["components"]!.AsArray();
        var label = components[0]!.AsObject();
        var input = label["component"]!.AsObject();
        switch (breakage)
        {
            case "custom_id too long": data["custom_id"] = new string('x', 101); break;
            case "no custom_id": data.Remove("custom_id"); break;
            case "title too long": data["title"] = new string('t', 46); break;
            case "no components": data["components"] = new JsonArray(); break;
            case "six components":
                for (var i = 0; i < 4; i++)
                    components.Add(new JsonObject { ["type"] = 18, ["label"] = "L", ["component"] = new JsonObject { ["type"] = 4, ["custom_id"] = $"c{i}", ["style"] = 1 } });
                break;
            case "label too long": label["label"] = new string('l', 46); break;
            case "unknown wrapper": label["type"] = 10; break;
            case "input without custom_id": input.Remove("custom_id"); break;
            case "style 3": input["style"] = 3; break;
            case "max_length 4001": input["max_length"] = 4001; break;
            case "value longer than max_length": input["max_length"] = 3; break;
            case "placeholder too long": input["placeholder"] = new string('p', 101); break;
            case "duplicate ids": input["custom_id"] = "summary"; break;
            case "not a text input": input["type"] = 2; break;
            case "legacy row of two":
                components[1]!["components"]!.AsArray().Add(new JsonObject { ["type"] = 4, ["custom_id"] = "other", ["label"] = "Other", ["style"] = 1 });
                break;
            case "legacy input without label": components[1]!["components"]![0]!.AsObject().Remove("label"); break;
        }

        Assert.NotNull(FakeDiscordServer.InteractionResponseProblem(root.ToJsonString(), interactionType: 2));
    }

    [Fact]
    public async Task The_callback_route_refuses_a_modal_in_answer_to_a_modal_submission()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var interactions = new DiscordInteractions(discord.ApplicationId);
        var submit = interactions.ModalSubmit("incident save new", new JsonArray());
        var token = System.Text.Json.JsonDocument.Parse(submit).RootElement.GetProperty("token").GetString()!;
        discord.CreateSignedInteraction(new Uri("http://127.0.0.1/unused"), submit).Dispose();

        Assert.Equal(400, discord.AcceptHttpResponse(token, ValidModal().ToJsonString()));
        Assert.Equal(204, discord.AcceptHttpResponse(token, """{"type":4,"data":{"content":"ok"}}"""));
    }
}

/// <summary>
/// In HTTP mode Discord reads the bot's answer before any webhook request for that interaction can reach it;
/// the fake keeps that order although the test hands the answer back only after it arrives.
/// </summary>
public class FakeCallbackOrderTests
{
    private static HttpRequestMessage EditOriginal(FakeDiscordServer discord, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(discord.ApiBaseUrl, $"webhooks/{discord.ApplicationId}/{token}/messages/@original"))
        {
            Content = new StringContent("""{"content":"late answer"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.invalid, 1.0)");
        return request;
    }

    private static string Track(FakeDiscordServer discord)
    {
        var command = new DiscordInteractions(discord.ApplicationId).SlashCommand("ask", options: ("question", "when?"));
        discord.CreateSignedInteraction(new Uri("http://127.0.0.1/unused"), command).Dispose();
        return System.Text.Json.JsonDocument.Parse(command).RootElement.GetProperty("token").GetString()!;
    }

    [Fact]
    public async Task An_edit_of_the_original_that_overtakes_the_deferral_waits_for_it()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var token = Track(discord);
        using var http = new HttpClient();

        var edit = http.SendAsync(EditOriginal(discord, token));
        await Task.Delay(200);
        Assert.Equal(204, discord.AcceptHttpResponse(token, """{"type":5}"""));

        using var response = await edit;
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(discord.InteractionResponses, r => r.InteractionToken == token && r.Kind == "edit-original");
    }

    [Fact]
    public async Task An_edit_of_an_interaction_never_answered_is_an_unknown_message()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.CallbackWait = TimeSpan.FromMilliseconds(50);
        var token = Track(discord);
        using var http = new HttpClient();

        using var response = await http.SendAsync(EditOriginal(discord, token));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Contains("10008", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>Message commands are registered by the rules of reference §5: any case and spaces, an empty description, no options.</summary>
public class FakeMessageCommandRulesTests
{
    private static async Task<int> PutAsync(FakeDiscordServer discord, string commands)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(discord.ApiBaseUrl, $"applications/{discord.ApplicationId}/guilds/555/commands"))
        {
            Content = new StringContent(commands, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bot {discord.BotToken}");
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.invalid, 1.0)");
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Theory]
    [InlineData("""[{"type":3,"name":"Add to incident","description":""}]""", 200)]
    [InlineData("""[{"type":3,"name":"Add to incident","description":"Adds it"}]""", 400)]
    [InlineData("""[{"type":3,"name":"Add to incident","description":"","options":[{"type":3,"name":"x","description":"x"}]}]""", 400)]
    [InlineData("""[{"type":3,"name":"A name much longer than thirty-two characters","description":""}]""", 400)]
    [InlineData("""[{"type":1,"name":"Add to incident","description":"Spaces and capitals are for message commands only"}]""", 400)]
    public async Task Message_command_names_and_descriptions_follow_their_own_rules(string commands, int expected)
    {
        await using var discord = await FakeDiscordServer.StartAsync();

        Assert.Equal(expected, await PutAsync(discord, commands));
    }
}
