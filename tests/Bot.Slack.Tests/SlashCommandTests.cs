using System.Net;
using System.Text.Json;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests;

public class SlashCommandTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private Uri Commands => fixture.Bot.Url("slack/commands");

    private async Task<JsonElement> RunAsync(string command, string text)
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.SlashCommand(Commands, command, text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Incident_answers_with_the_card_as_Block_Kit_block_by_block()
    {
        var reply = await RunAsync("/incident", "balloon");

        Assert.Equal("ephemeral", reply.GetProperty("response_type").GetString());
        Assert.Contains("Chinese surveillance balloon", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        var blocks = reply.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.StartsWith("🎈 Chinese surveillance balloon", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("context", blocks[1].GetProperty("type").GetString());
        Assert.Equal("Airspace · Espionage · Diplomacy", blocks[1].GetProperty("elements")[0].GetProperty("text").GetString());
        Assert.Equal("section", blocks[2].GetProperty("type").GetString());
        Assert.Contains("South Carolina", blocks[2].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        var fields = blocks[3].GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("text").GetString()).ToList();
        Assert.Contains(fields, f => f!.StartsWith("*When*\n", StringComparison.Ordinal));
        Assert.Contains(fields, f => f!.StartsWith("*Who*\n", StringComparison.Ordinal));
        Assert.Equal("*Timeline*", blocks[4].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("context", blocks[5].GetProperty("type").GetString());
        Assert.Contains(blocks[5].GetProperty("elements").EnumerateArray(), e => e.GetProperty("text").GetString()!.StartsWith("*4 Feb 2023*", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "context" && b.GetProperty("elements")[0].GetProperty("text").GetString()!.StartsWith("RFI", StringComparison.Ordinal));
        var actions = blocks[^1];
        Assert.Equal("actions", actions.GetProperty("type").GetString());
        var values = actions.GetProperty("elements").EnumerateArray().Select(b => b.GetProperty("value").GetString()).ToList();
        Assert.Equal(["timeline balloon", "sources balloon", "related balloon"], values);
        Assert.All(actions.GetProperty("elements").EnumerateArray(), b => Assert.Equal("button", b.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Public_asks_for_an_in_channel_card()
    {
        var reply = await RunAsync("/incident", "balloon public");

        Assert.Equal("in_channel", reply.GetProperty("response_type").GetString());
        Assert.Contains("balloon", reply.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/incident", "baloonz over mars", "No such incident")]
    [InlineData("/incident", "", "Which incident?")]
    [InlineData("/weather", "paris", "does not handle")]
    public async Task Not_found_and_usage_errors_are_ephemeral(string command, string text, string expected)
    {
        var reply = await RunAsync(command, text);

        Assert.Equal("ephemeral", reply.GetProperty("response_type").GetString());
        Assert.Contains(expected, reply.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"*NEAR(")]
    [InlineData("balloon' OR 1=1 --")]
    [InlineData("🎈🎈🎈 <!channel> & <@U123>")]
    [InlineData("ƒ̸̢̛ǫ̶̧͖͝ȍ̸̗̈́ 中文 العربية")]
    public async Task Odd_text_gets_a_polite_reply(string text)
    {
        var reply = await RunAsync("/incident", text);

        Assert.False(string.IsNullOrEmpty(reply.GetProperty("text").GetString()));
        Assert.DoesNotContain("<!channel>", reply.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/timeline", "balloon \uFFFE")]
    [InlineData("/ask", "\uFFFE when was the balloon shot down?")]
    [InlineData("/incident", "\uFFFE")]
    public async Task A_character_unicode_normalisation_refuses_is_replaced_not_an_error(string command, string text)
    {
        var reply = await RunAsync(command, text);

        Assert.DoesNotContain("Something went wrong", reply.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_thousand_characters_of_text_get_a_reply()
    {
        var reply = await RunAsync("/ask", new string('x', 10_000));

        Assert.False(string.IsNullOrEmpty(reply.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task Ask_answers_with_the_source()
    {
        var reply = await RunAsync("/ask", "when was the balloon shot down?");

        Assert.Contains("4 February 2023", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("From: Chinese surveillance balloon", reply.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_command_is_acknowledged_first_and_answered_through_response_url()
    {
        var responseUrl = fixture.Slack.CreateResponseUrl();

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.SlashCommand(Commands, "/slow", "", responseUrl: responseUrl));

        // The acknowledgement arrived while the handler was still blocked: Slack's deadline is met whatever the handler costs.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(fixture.Slack.Calls, c => c.Method == FakeSlackServer.ResponseUrlMethod && c.Body.Contains("Slow answer", StringComparison.Ordinal));
        fixture.Slow.Release();
        var posted = await fixture.EventuallyAsync(
            () => fixture.Slack.Calls.FirstOrDefault(c => c.Method == FakeSlackServer.ResponseUrlMethod && c.Body.Contains("Slow answer", StringComparison.Ordinal)),
            "the deferred answer");
        Assert.Equal(200, posted.Status);
    }

    [Fact]
    public async Task Missing_fields_and_bad_forms_get_400()
    {
        var noCommand = System.Text.Encoding.UTF8.GetBytes("text=balloon&team_id=T0FAKE");
        var badUtf8 = new byte[] { (byte)'t', (byte)'=', 0xC3, 0x28 };

        using var first = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Commands, "application/x-www-form-urlencoded", noCommand));
        using var second = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Commands, "application/x-www-form-urlencoded", badUtf8));

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
    }

    [Fact]
    public async Task The_ssl_check_gets_an_empty_200()
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Commands, "application/x-www-form-urlencoded", "ssl_check=1&token=x"u8.ToArray()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public class CachedAnswerTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    [Fact]
    public async Task A_reused_card_follows_an_edit_of_the_incident()
    {
        async Task<string> Card()
        {
            using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.SlashCommand(fixture.Bot.Url("slack/commands"), "/incident", "tiktok"));
            return await response.Content.ReadAsStringAsync();
        }

        var first = await Card();
        var again = await Card();
        var writers = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Bot.Core.Incidents.IIncidentWriterFactory>(fixture.Bot.Services);
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Bot.Core.Incidents.IIncidentStore>(fixture.Bot.Services);
        var tiktok = (await store.GetAsync("tiktok", CancellationToken.None))!;
        await using (var writer = await writers.BeginAsync(CancellationToken.None))
        {
            await writer.UpsertAsync(tiktok with { Title = "TikTok under review" }, CancellationToken.None);
            await writer.CommitAsync(CancellationToken.None);
        }

        var afterEdit = await Card();

        Assert.Equal(first, again);
        Assert.Contains("TikTok and ByteDance data concerns", first, StringComparison.Ordinal);
        Assert.Contains("TikTok under review", afterEdit, StringComparison.Ordinal);
    }
}

public class BriefingSlashCommandTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    [Fact]
    public async Task Only_workspace_admins_may_subscribe_a_channel()
    {
        fixture.Slack.AddAdmin("U0ADMIN");

        var refused = await fixture.AnswerAsync(fixture.Slack.SlashCommand(fixture.Bot.Url("slack/commands"), "/briefing", "subscribe digest 09:00 Europe/Paris", userId: "U0ALICE"));
        var accepted = await fixture.AnswerAsync(fixture.Slack.SlashCommand(fixture.Bot.Url("slack/commands"), "/briefing", "subscribe digest 09:00 Europe/Paris", userId: "U0ADMIN"));
        var statusText = await fixture.AnswerAsync(fixture.Slack.SlashCommand(fixture.Bot.Url("slack/commands"), "/briefing", "status", userId: "U0ALICE"));

        Assert.Contains("only people who can manage", refused, StringComparison.Ordinal);
        Assert.Contains("Subscribed", accepted, StringComparison.Ordinal);
        Assert.Contains("09:00 Europe/Paris", statusText, StringComparison.Ordinal);
        Assert.Contains("\"response_type\":\"ephemeral\"", statusText, StringComparison.Ordinal);
    }
}
