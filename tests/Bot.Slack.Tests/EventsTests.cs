using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests;

public class EventsTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private Uri Events => fixture.Bot.Url("slack/events");

    private static string Mention(string text, string ts, string user = "U0ALICE", string? threadTs = null, string? botId = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "app_mention",
            ["user"] = user,
            ["text"] = text,
            ["ts"] = ts,
            ["channel"] = "C0GENERAL",
            ["event_ts"] = ts,
            ["thread_ts"] = threadTs,
            ["bot_id"] = botId,
        }.Where(p => p.Value is not null).ToDictionary());

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.UrlVerification(Events, "c-123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("c-123", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_mention_is_answered_in_its_thread()
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> when was the balloon shot down?", "1700000100.000100")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000100.000100"), "the threaded reply");
        Assert.Equal("chat.postMessage", reply.Method);
        Assert.Equal("C0GENERAL", reply.Channel);
        Assert.Contains("4 February 2023", reply.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follow_up_in_the_thread_resolves_it()
    {
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> which company did Wei Sun work for?", "1700000200.000100")));
        await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000200.000100"), "the first reply");

        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> and when was he sentenced?", "1700000201.000100", threadTs: "1700000200.000100")));

        var reply = await fixture.EventuallyAsync(
            () => fixture.Slack.Messages.Where(m => m.ThreadTs == "1700000200.000100").Skip(1).FirstOrDefault(), "the follow-up reply");
        Assert.Contains("2020", reply.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mention_holding_a_command_runs_it()
    {
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> incident tiktok", "1700000300.000100")));

        var reply = await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000300.000100"), "the card");
        Assert.Contains("TikTok", reply.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("header", reply.Body.GetProperty("blocks")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Retries_and_duplicates_are_answered_once()
    {
        var mention = Mention("<@U0BOT> where is safeguard defenders based?", "1700000400.000100");
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, mention, eventId: "Ev400"));
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, mention, eventId: "Ev400", retryNum: 1, retryReason: "http_timeout"));
        // Same message under a new event id, as during Slack incidents.
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, mention, eventId: "Ev401"));
        await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000400.000100"), "the reply");
        await Task.Delay(300);

        Assert.Single(fixture.Slack.Messages, m => m.ThreadTs == "1700000400.000100");
    }

    [Fact]
    public async Task The_bot_ignores_itself_and_other_bots()
    {
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> when was the balloon shot down?", "1700000500.000100", user: "U0BOT")));
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> when was the balloon shot down?", "1700000501.000100", botId: "B0OTHER")));
        // A marker after them: once it is answered, the two before it would have been too.
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> incident balloon", "1700000502.000100")));
        await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000502.000100"), "the marker reply");
        await Task.Delay(300);

        Assert.DoesNotContain(fixture.Slack.Messages, m => m.ThreadTs is "1700000500.000100" or "1700000501.000100");
    }

    [Fact]
    public async Task A_mention_without_a_channel_is_dropped_without_an_error()
    {
        var errorsBefore = fixture.Logs.AtLeast(LogLevel.Error).Count;
        var noChannel = """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon","ts":"1700000600.000100"}""";

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, noChannel));
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(Events, Mention("<@U0BOT> incident balloon", "1700000601.000100")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000601.000100"), "the marker reply");
        await fixture.BackgroundWorkDoneAsync();
        Assert.Equal(errorsBefore, fixture.Logs.AtLeast(LogLevel.Error).Count);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_mention_is_replaced_and_the_mention_answered()
    {
        // Written by hand: a serializer would never write this escape, but Slack's JSON may carry it.
        var body = Encoding.UTF8.GetBytes("""
            {"token":"t","team_id":"T0FAKE","type":"event_callback","event_id":"Ev0LONE1","event":{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon \ud800","ts":"1700000700.000100","channel":"C0GENERAL"}}
            """);

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Events, "application/json", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700000700.000100"), "the reply");
        Assert.Equal("C0GENERAL", reply.Channel);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_challenge_comes_back_as_a_replacement_character()
    {
        var body = Encoding.UTF8.GetBytes("""{"token":"t","challenge":"abc\ud800","type":"url_verification"}""");

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Events, "application/json", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("abc\uFFFD", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("\"just a string\"")]
    public async Task Malformed_event_bodies_get_400(string body)
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Events, "application/json", Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
