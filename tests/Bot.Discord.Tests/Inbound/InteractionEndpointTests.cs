using System.Net;
using System.Text;
using System.Text.Json;

namespace Bot.Discord.Tests.Inbound;

public class InteractionEndpointTests(DiscordFixture fixture) : IClassFixture<DiscordFixture>
{
    [Fact]
    public async Task Ping_gets_pong_as_json()
    {
        var (status, body, contentType) = await fixture.SendAsync(fixture.Interaction(1, new { }));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal(1, body.GetProperty("type").GetInt32());
    }

    public static TheoryData<string> Forgeries() => ["flipped-byte", "changed-body", "missing-signature", "missing-timestamp", "bad-hex", "short", "stale", "other-key"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_stale_request_gets_401_and_runs_nothing(string forgery)
    {
        var json = fixture.ShowIncident("balloon");
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = forgery == "stale" ? (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        var (ts, signature) = fixture.Discord.Sign(body, timestamp);
        var sent = body;
        switch (forgery)
        {
            case "flipped-byte": signature = (signature[0] == 'a' ? 'b' : 'a') + signature[1..]; break;
            case "changed-body": sent = Encoding.UTF8.GetBytes(json.Replace("balloon", "tiktok", StringComparison.Ordinal)); break;
            case "bad-hex": signature = new string('z', 128); break;
            case "short": signature = signature[..64]; break;
            case "other-key":
                var key = NSec.Cryptography.Key.Create(NSec.Cryptography.SignatureAlgorithm.Ed25519);
                signature = Convert.ToHexStringLower(NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(ts).Concat(body).ToArray()));
                key.Dispose();
                break;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint) { Content = new ByteArrayContent(sent) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (forgery != "missing-signature") request.Headers.Add("X-Signature-Ed25519", signature);
        if (forgery != "missing-timestamp") request.Headers.Add("X-Signature-Timestamp", ts);
        var before = fixture.Discord.Requests.Count;

        using var response = await fixture.Bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, fixture.Discord.Requests.Count);
    }

    [Fact]
    public async Task Incident_answers_with_an_embed_checked_field_by_field()
    {
        var (status, body, _) = await fixture.SendAsync(fixture.ShowIncident("balloon"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body.GetProperty("type").GetInt32());
        var data = body.GetProperty("data");
        Assert.False(data.TryGetProperty("flags", out _));
        Assert.Equal(0, data.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        var embed = Assert.Single(data.GetProperty("embeds").EnumerateArray());
        Assert.Equal("🎈 Chinese surveillance balloon over the United States", embed.GetProperty("title").GetString());
        Assert.Equal(0x3B82F6, embed.GetProperty("color").GetInt32());
        Assert.StartsWith("`Airspace · Espionage · Diplomacy`\n", embed.GetProperty("description").GetString(), StringComparison.Ordinal);
        var fields = embed.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.Equal("2021 – 8 Feb 2023", fields["When"].GetProperty("value").GetString());
        Assert.True(fields["When"].GetProperty("inline").GetBoolean());
        Assert.Equal("United States, China", fields["Where"].GetProperty("value").GetString());
        Assert.Contains("US State Department", fields["Who"].GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Contains("**4 Feb 2023** · The United States shoots the balloon down", fields["Timeline"].GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("RFI — “Balloons, pirates and cameras", fields["Sources"].GetProperty("value").GetString(), StringComparison.Ordinal);
        var buttons = data.GetProperty("components")[0].GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["Timeline", "Sources", "Related"], buttons.Select(b => b.GetProperty("label").GetString()));
        Assert.Equal(["timeline balloon", "sources balloon", "related balloon"], buttons.Select(b => b.GetProperty("custom_id").GetString()));
    }

    [Fact]
    public async Task Not_found_answers_are_ephemeral()
    {
        var (_, body, _) = await fixture.SendAsync(fixture.ShowIncident("baloonz over mars"));

        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Equal("🤷 No such incident", body.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_button_answers_the_one_who_pressed_it()
    {
        var (_, body, _) = await fixture.SendAsync(fixture.Interaction(3, new { custom_id = "timeline balloon", component_type = 2 }));

        Assert.Equal(4, body.GetProperty("type").GetInt32());
        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.StartsWith("🗓️ Timeline:", body.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 25)]
    [InlineData("hik", 1)]
    [InlineData("baloon", 1)]
    public async Task Autocomplete_offers_at_most_25_incidents(string typed, int atMost)
    {
        var json = fixture.Interaction(4, new
        {
            id = "8000000000000000001",
            name = "incident",
            type = 1,
            options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = typed, focused = true } } } },
        });

        var (_, body, _) = await fixture.SendAsync(json);

        Assert.Equal(8, body.GetProperty("type").GetInt32());
        var choices = body.GetProperty("data").GetProperty("choices").EnumerateArray().ToList();
        Assert.InRange(choices.Count, 1, Math.Max(atMost, 12));
        Assert.All(choices, c => Assert.InRange(c.GetProperty("name").GetString()!.Length, 1, 100));
        if (typed == "hik") Assert.Equal("surveillance-cameras", choices[0].GetProperty("value").GetString());
        if (typed == "baloon") Assert.Equal("balloon", choices[0].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Ask_answers_with_its_source_and_vote_buttons()
    {
        var (_, body, _) = await fixture.SendAsync(fixture.SlashCommand("ask", ("question", "when was the balloon shot down?")));

        var embed = body.GetProperty("data").GetProperty("embeds")[0];
        Assert.StartsWith("4 February 2023", embed.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("From: Chinese surveillance balloon", embed.GetProperty("footer").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["👍", "👎"], body.GetProperty("data").GetProperty("components")[0].GetProperty("components").EnumerateArray().Select(b => b.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task A_slow_answer_is_deferred_then_delivered_by_editing_the_original()
    {
        var json = fixture.SlashCommand("slow");
        var token = JsonDocument.Parse(json).RootElement.GetProperty("token").GetString()!;

        var (_, body, _) = await fixture.SendAsync(json);

        Assert.Equal(5, body.GetProperty("type").GetInt32());
        fixture.Slow.Release();
        var edit = await fixture.EventuallyAsync(
            () => fixture.Discord.InteractionResponses.FirstOrDefault(r => r.InteractionToken == token && r.Kind == "edit-original"), "the edit of @original");
        Assert.Equal("Slow answer", edit.Body.GetProperty("embeds")[0].GetProperty("title").GetString());
        var request = fixture.Discord.Requests.Last(r => r.Path.EndsWith("/messages/@original", StringComparison.Ordinal));
        Assert.Equal("PATCH", request.Method);
        Assert.Equal($"/api/v10/webhooks/{fixture.Discord.ApplicationId}/{token}/messages/@original", request.Path);
    }

    [Fact]
    public async Task A_form_too_long_for_a_modal_is_refused_with_a_private_error_and_logged()
    {
        var (_, body, _) = await fixture.SendAsync(fixture.SlashCommand("unopenable"));

        Assert.Equal(4, body.GetProperty("type").GetInt32());
        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("cannot be opened on Discord", body.GetProperty("data").GetRawText(), StringComparison.Ordinal);
        Assert.Contains(fixture.Logs.Lines, l => l.Message.Contains("custom_id takes 1 to 100", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":2,"data":{"name":"teleport"}}""")]
    [InlineData("""{"type":2,"data":{"name":"incident","options":[{"name":"name","type":4,"value":42}]}}""")]
    [InlineData("""{"type":2,"data":{"name":"incident","options":[{"name":"bogus","type":3,"value":"x"}]}}""")]
    [InlineData("""{"type":3,"data":{"custom_id":"self-destruct now","component_type":2}}""")]
    [InlineData("""{"type":5,"data":{"custom_id":"modal"}}""")]
    public async Task Unknown_commands_options_and_components_get_a_polite_reply(string json)
    {
        var (status, body, _) = await fixture.SendAsync(json);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body.GetProperty("type").GetInt32());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("{\"type\":99}")]
    [InlineData("null")]
    public async Task Malformed_bodies_get_400(string json)
    {
        var (status, _, _) = await fixture.SendAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Invalid_utf8_gets_400()
    {
        var body = new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' };
        var (ts, signature) = fixture.Discord.Sign(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Signature-Ed25519", signature);
        request.Headers.Add("X-Signature-Timestamp", ts);

        using var response = await fixture.Bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_one_megabyte_body_is_refused()
    {
        var padding = new string(' ', 1024 * 1024);
        var (status, _, _) = await fixture.SendAsync("{\"type\":1" + padding + "}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }
}

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_host_lets_a_deferred_answer_finish()
    {
        await using var discord = await Bot.Testing.Discord.FakeDiscordServer.StartAsync();
        var slow = new Bot.Testing.SlowCommand();
        var bot = await Bot.Testing.RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:PublicKey"] = discord.PublicKeyHex,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Discord:DeferAfterMilliseconds"] = "100",
        }, services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Bot.Core.Chat.ICommandHandler>(services, slow));
        var json = System.Text.Json.JsonSerializer.Serialize(new { id = "1", application_id = discord.ApplicationId, type = 2, token = "shutdown-token", version = 1, data = new { name = "slow" } });
        using var response = await bot.Http.SendAsync(discord.CreateSignedInteraction(bot.Url("discord/interactions"), json));
        discord.AcceptHttpResponse("shutdown-token", await response.Content.ReadAsStringAsync());

        var stopping = bot.DisposeAsync().AsTask();
        await Task.Delay(200);
        slow.Release();
        await stopping;

        Assert.Contains(discord.InteractionResponses, r => r.InteractionToken == "shutdown-token" && r.Kind == "edit-original");
    }
}

public class BriefingInteractionTests(DiscordFixture fixture) : IClassFixture<DiscordFixture>
{
    private string Subscribe(string permissions, params (string Name, string Value)[] options) => fixture.Interaction(2, new
    {
        id = "8000000000000000002",
        name = "briefing",
        type = 1,
        options = new[] { new { name = "subscribe", type = 1, options = options.Select(o => new { name = o.Name, type = 3, value = o.Value }).ToArray() } },
    }, permissions);

    [Fact]
    public async Task The_time_zone_option_autocompletes_IANA_names()
    {
        var json = fixture.Interaction(4, new
        {
            id = "8000000000000000002",
            name = "briefing",
            type = 1,
            options = new[] { new { name = "subscribe", type = 1, options = new object[] { new { name = "kind", type = 3, value = "digest" }, new { name = "timezone", type = 3, value = "paris", focused = true } } } },
        });

        var (_, body, _) = await fixture.SendAsync(json);

        Assert.Equal(8, body.GetProperty("type").GetInt32());
        Assert.Contains(body.GetProperty("data").GetProperty("choices").EnumerateArray(), c => c.GetProperty("value").GetString() == "Europe/Paris");
    }

    [Theory]
    [InlineData("32", "Subscribed")]   // Manage Server
    [InlineData("16", "Subscribed")]   // Manage Channels
    [InlineData("8", "Subscribed")]    // Administrator
    [InlineData("0", "only people who can manage")]
    [InlineData("not-a-number", "only people who can manage")]
    public async Task Only_channel_managers_may_subscribe(string permissions, string expected)
    {
        var (_, body, _) = await fixture.SendAsync(Subscribe(permissions, ("kind", "digest"), ("time", "08:00"), ("timezone", "Europe/Paris")));

        var embed = body.GetProperty("data").GetProperty("embeds")[0];
        Assert.Contains(expected, embed.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(64, body.GetProperty("data").GetProperty("flags").GetInt32());
    }
}
