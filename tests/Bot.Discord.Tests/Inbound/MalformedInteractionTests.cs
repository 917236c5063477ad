using System.Globalization;
using System.Net;
using System.Text.Json;
using Bot.Testing.Discord;

namespace Bot.Discord.Tests.Inbound;

/// <summary>Signed payloads Discord would never send: each gets a 400 or a normal, valid interaction response, never a 5xx.</summary>
public class MalformedInteractionTests(DiscordFixture fixture) : IClassFixture<DiscordFixture>
{
    private const string Guild = "\"guild_id\":\"7000000000000000001\",\"channel_id\":\"7100000000000000001\"";
    private const string Member = "\"member\":{\"user\":{\"id\":\"7200000000000000001\",\"username\":\"alice\"},\"permissions\":\"0\"}";

    /// <summary>An interaction written as raw JSON text, so that it can hold escapes such as a lone "\ud800".</summary>
    private static string Interaction(int type, string data, string? token = null, string guild = Guild, string member = Member) =>
        $$"""{"id":"9000000000000099999","application_id":"1100000000000000001","type":{{type}},"data":{{data}},{{guild}},{{member}},"token":"{{token ?? "malformed-" + Guid.NewGuid().ToString("N")}}","version":1,"locale":"en-GB"}""";

    /// <summary>The response as Discord would check it, and of a kind that answers this interaction type.</summary>
    private static JsonElement AssertValidResponse(HttpStatusCode status, string body, int interactionType)
    {
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(FakeDiscordServer.InteractionResponseProblem(body));
        var response = JsonDocument.Parse(body).RootElement.Clone();
        var type = response.GetProperty("type").GetInt32();
        Assert.Contains(type, interactionType switch
        {
            1 => new[] { 1 },
            4 => new[] { 8 },
            // Never a modal in answer to a modal submission.
            5 => new[] { 4, 5 },
            _ => new[] { 4, 5, 6, 7 },
        });
        return response;
    }

    private static string Title(JsonElement response) => response.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString()!;

    [Fact]
    public async Task Null_options_are_skipped_at_the_top_level()
    {
        var (status, body) = await fixture.SendRawAsync(Interaction(2, """{"name":"incident","type":1,"options":[null,{"name":"show","type":1,"options":[null,{"name":"name","type":3,"value":"balloon"},null]},null]}"""));

        var response = AssertValidResponse(status, body, 2);
        Assert.Contains("balloon", Title(response), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Null_options_are_skipped_inside_a_subcommand()
    {
        var (status, body) = await fixture.SendRawAsync(Interaction(2, """{"name":"briefing","type":1,"options":[null,{"name":"status","type":1,"options":[null]}]}"""));

        AssertValidResponse(status, body, 2);
    }

    [Theory]
    [InlineData("""[null,{"name":"show","type":1,"options":[null,{"name":"name","type":3,"value":"hik","focused":true}]}]""", "surveillance-cameras")]
    [InlineData("""[null]""", null)]
    [InlineData("""[{"name":"subscribe","type":1,"options":[null,{"name":"timezone","type":3,"value":"paris","focused":true}]}]""", null)]
    public async Task Null_options_are_skipped_in_autocomplete(string options, string? firstChoice)
    {
        var command = options.Contains("subscribe", StringComparison.Ordinal) ? "briefing" : "incident";
        var (status, body) = await fixture.SendRawAsync(Interaction(4, $$"""{"name":"{{command}}","type":1,"options":{{options}}}"""));

        var response = AssertValidResponse(status, body, 4);
        var choices = response.GetProperty("data").GetProperty("choices");
        if (firstChoice is not null) Assert.Equal(firstChoice, choices[0].GetProperty("value").GetString());
        if (command == "briefing") Assert.Contains(choices.EnumerateArray(), c => c.GetProperty("value").GetString() == "Europe/Paris");
    }

    [Fact]
    public async Task A_lone_surrogate_in_an_option_reads_as_a_replacement_character()
    {
        var (status, body) = await fixture.SendRawAsync(Interaction(2, """{"name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"balloon\ud800"}]}]}"""));

        var response = AssertValidResponse(status, body, 2);
        Assert.Contains("balloon", Title(response), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_lone_surrogate_in_typed_text_still_autocompletes()
    {
        var (status, body) = await fixture.SendRawAsync(Interaction(4, """{"name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"\udc00hik\ud800","focused":true}]}]}"""));

        var response = AssertValidResponse(status, body, 4);
        Assert.Equal("surveillance-cameras", response.GetProperty("data").GetProperty("choices")[0].GetProperty("value").GetString());
    }

    public static TheoryData<string> SurrogateFields() =>
        ["token", "guild_id", "channel_id", "user.id", "username", "permissions", "locale", "data.name", "data.id", "option.name", "custom_id"];

    /// <summary>Whichever string holds it, a lone surrogate is text with a replacement character: the interaction is answered as usual.</summary>
    [Theory]
    [MemberData(nameof(SurrogateFields))]
    public async Task A_lone_surrogate_in_any_string_is_answered_normally(string field)
    {
        const string Lone = "\\ud800";
        var type = field == "custom_id" ? 3 : 2;
        var data = field switch
        {
            "data.name" => $$"""{"name":"incident{{Lone}}","type":1}""",
            "data.id" => $$"""{"id":"8000{{Lone}}","name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"balloon"}]}]}""",
            "option.name" => $$"""{"name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"na{{Lone}}me","type":3,"value":"balloon"}]}]}""",
            "custom_id" => $$"""{"custom_id":"timeline balloon{{Lone}}","component_type":2}""",
            _ => """{"name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"balloon"}]}]}""",
        };
        var json = field switch
        {
            "token" => Interaction(type, data, token: $"tok{Lone}en"),
            "guild_id" => Interaction(type, data, guild: $$"""{{Guild.Replace("\"7000", "\"7000" + Lone, StringComparison.Ordinal)}}"""),
            "channel_id" => Interaction(type, data, guild: $$"""{{Guild.Replace("\"7100", "\"7100" + Lone, StringComparison.Ordinal)}}"""),
            "user.id" => Interaction(type, data, member: Member.Replace("\"7200", "\"7200" + Lone, StringComparison.Ordinal)),
            "username" => Interaction(type, data, member: Member.Replace("alice", "al" + Lone + "ice", StringComparison.Ordinal)),
            "permissions" => Interaction(type, data, member: Member.Replace("\"0\"", "\"0" + Lone + "\"", StringComparison.Ordinal)),
            "locale" => Interaction(type, data).Replace("en-GB", "en" + Lone, StringComparison.Ordinal),
            _ => Interaction(type, data),
        };

        var (status, body) = await fixture.SendRawAsync(json);

        AssertValidResponse(status, body, type);
    }

    public static TheoryData<string> OddShapes() =>
    [
        Interaction(2, "null"),
        Interaction(2, "{}"),
        Interaction(3, "null"),
        Interaction(4, "null"),
        Interaction(4, """{"name":"incident","options":[{"name":"name","type":3,"value":{"a":[1]},"focused":true}]}"""),
        Interaction(4, """{"name":"incident","options":[{"name":"name","type":3,"value":null,"focused":true}]}"""),
        Interaction(4, """{"name":"incident","options":[{"name":null,"type":3,"value":"hik","focused":true}]}"""),
        Interaction(2, """{"name":"incident","options":[{"name":"name","type":3,"value":["balloon"]}]}"""),
        Interaction(2, """{"name":"incident","options":[{"name":"name","type":3,"value":true}]}"""),
        Interaction(2, """{"name":"incident","options":[{"name":"name","type":"3","value":"balloon"}]}"""),
        Interaction(2, """{"name":"incident","options":[{"type":3,"value":"balloon"}]}"""),
        Interaction(2, """{"name":"incident","options":[{}]}"""),
        Interaction(2, """{"name":"briefing","options":[{"name":"subscribe","type":1,"options":null}]}"""),
        Interaction(2, """{"name":"briefing","options":[{"name":"subscribe","type":2,"options":[{"name":"x","type":1,"options":[null,null]}]}]}"""),
        Interaction(2, """{"name":"incident","options":{"name":"name"}}"""),
        Interaction(2, """{"name":7}"""),
        Interaction(2, """{"name":"incident"}""", member: "\"member\":[]"),
        Interaction(2, """{"name":"incident"}""", member: "\"member\":null"),
        Interaction(2, """{"name":"incident"}""", member: "\"member\":{\"user\":null,\"permissions\":null}"),
        Interaction(2, """{"name":"incident"}""", member: "\"member\":{\"user\":[],\"permissions\":8}"),
        Interaction(2, """{"name":"incident"}""", guild: "\"guild_id\":null,\"channel_id\":null"),
        Interaction(2, """{"name":"incident"}""", guild: "\"guild_id\":7000000000000000001,\"channel_id\":{}"),
        Interaction(2, """{"name":"incident"}""", token: "..\",\"token\":null,\"x\":\""),
        Interaction(2, """{"name":"incident"}""").Replace("\"type\":2", "\"type\":\"2\"", StringComparison.Ordinal),
        Interaction(2, """{"name":"incident"}""").Replace("\"version\":1", "\"version\":1e400", StringComparison.Ordinal),
        Interaction(2, """{"name":"incident"}""").Replace("\"id\":\"9000000000000099999\",", "", StringComparison.Ordinal),
        Interaction(2, """{"name":"incident"}""").Replace(",\"token\":", ",\"tokn\":", StringComparison.Ordinal),
        Interaction(2, """{"name":"incident","options":[""" + string.Join(",", Enumerable.Repeat("null", 5000)) + "]}"),
        Interaction(2, """{"name":"incident","options":[""" + string.Join(",", Enumerable.Repeat("""{"name":"name","type":3,"value":"balloon"}""", 1000)) + "]}"),
        Interaction(2, Nested(20)),
        Interaction(4, Nested(20).Replace("\"value\":\"x\"", "\"value\":\"x\",\"focused\":true", StringComparison.Ordinal)),
        Interaction(2, Nested(200)),
        // Modal submissions.
        Interaction(5, "null"),
        Interaction(5, """{"custom_id":null,"components":null}"""),
        Interaction(5, """{"custom_id":"incident save new","components":null}"""),
        Interaction(5, """{"custom_id":"incident save new","components":[null]}"""),
        Interaction(5, """{"custom_id":"incident save new","components":{}}"""),
        Interaction(5, """{"custom_id":"incident save new","components":[{"type":18,"component":{"custom_id":"title","value":{"a":1}}}]}"""),
        Interaction(5, """{"custom_id":"incident save new","components":[{"type":18,"component":{"custom_id":"title"}}]}"""),
        Interaction(5, """{"custom_id":"incident save new","components":[{"type":1,"components":[null,{"custom_id":null,"value":"x"}]}]}"""),
        Interaction(5, """{"custom_id":"incident\ud800 save new","components":[{"type":18,"component":{"custom_id":"ti\udc00tle","value":"\ud800"}}]}"""),
        Interaction(5, """{"custom_id":"incident save new","components":[""" + string.Join(",", Enumerable.Repeat("null", 5000)) + "]}"),
        Interaction(5, """{"custom_id":"incident save new","components":[{"type":18,"component":{"type":18,"component":{"custom_id":"title","value":"deep"}}}]}"""),
        // The message command.
        Interaction(2, """{"name":"Add to incident","type":3}"""),
        Interaction(2, """{"name":"Add to incident","type":3,"target_id":"7100000000000001234","resolved":null}"""),
        Interaction(2, """{"name":"Add to incident","type":3,"target_id":"7100000000000001234","resolved":{"messages":{"7100000000000001234":null}}}"""),
        Interaction(2, """{"name":"Add to incident","type":3,"target_id":"7100000000000001234","resolved":{"messages":{"7100000000000001234":{"id":"x/../y","channel_id":"1?","content":null,"timestamp":"yesterday"}}}}"""),
        Interaction(2, """{"name":"Add to incident","type":3,"target_id":"7100000000000001234","resolved":{"messages":[]}}"""),
        Interaction(2, """{"name":"Add to incident","type":3,"target_id":null,"resolved":{"messages":{"":{"content":"x"}}}}"""),
        Interaction(2, """{"name":"Who knows","type":3,"target_id":"1","resolved":{"messages":{"1":{"content":"x"}}}}"""),
        Interaction(2, """{"name":"Add to incident","type":2,"target_id":"1"}"""),
    ];

    /// <summary>Subcommand groups nested <paramref name="depth"/> deep, a string option at the bottom.</summary>
    private static string Nested(int depth) =>
        """{"name":"incident","type":1,"options":""" + string.Concat(Enumerable.Repeat("""[{"name":"g","type":2,"options":""", depth))
        + """[{"name":"name","type":3,"value":"x"}]""" + string.Concat(Enumerable.Repeat("}]", depth)) + "}";

    [Theory]
    [MemberData(nameof(OddShapes))]
    public async Task Odd_shapes_get_400_or_a_valid_response(string json)
    {
        var guarded = fixture.GuardLines().Count;

        var (status, body) = await fixture.SendRawAsync(json);

        if (status != HttpStatusCode.BadRequest)
            AssertValidResponse(status, body, int.Parse(JsonDocument.Parse(json).RootElement.GetProperty("type").ToString(), CultureInfo.InvariantCulture));
        // Answered by the code meant for it, not rescued by the last-resort guard.
        Assert.Equal(guarded, fixture.GuardLines().Count);
    }

    [Fact]
    public async Task What_escapes_the_handler_becomes_a_private_apology_and_a_log_line_without_secrets()
    {
        var token = "explode-" + Guid.NewGuid().ToString("N");
        var before = fixture.GuardLines().Count;

        var (status, body) = await fixture.SendRawAsync(Interaction(2, """{"name":"explode","type":1}""", token: token));

        var response = AssertValidResponse(status, body, 2);
        Assert.Equal(4, response.GetProperty("type").GetInt32());
        Assert.Equal(64, response.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("Something went wrong", response.GetProperty("data").GetRawText(), StringComparison.Ordinal);
        var line = Assert.Single(fixture.GuardLines().Skip(before));
        Assert.Contains("exploded while holding [redacted]", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Discord.BotToken, line.Message, StringComparison.Ordinal);
        Assert.Null(line.Exception);
    }

    public static TheoryData<string> NonIntegerTimestamps()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return ["1000000000.0", now + ".0", "+" + now, now + "e0", "0x" + now, "abc", "", "-" + now, "99999999999999999999999"];
    }

    /// <summary>A timestamp that cannot be read as Unix seconds cannot be checked for age: refused, however well signed.</summary>
    [Theory]
    [MemberData(nameof(NonIntegerTimestamps))]
    public async Task A_validly_signed_request_with_a_timestamp_that_is_not_plain_seconds_gets_401(string timestamp)
    {
        var (status, _) = await fixture.SendRawAsync(fixture.Interaction(1, new { }), timestamp);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task A_plain_integer_timestamp_of_now_is_accepted()
    {
        var (status, body) = await fixture.SendRawAsync(fixture.Interaction(1, new { }), DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        AssertValidResponse(status, body, 1);
    }
}
