using System.Net;
using System.Text;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests;

public class InteractivityTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private Uri Interactivity => fixture.Bot.Url("slack/interactivity");

    [Fact]
    public async Task A_card_button_answers_through_response_url()
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.BlockActions(Interactivity, "cmd-0", "timeline police-stations"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var posted = await fixture.EventuallyAsync(
            () => fixture.Slack.Calls.FirstOrDefault(c => c.Method == FakeSlackServer.ResponseUrlMethod && c.Body.Contains("Timeline: Clandestine", StringComparison.Ordinal)),
            "the timeline");
        Assert.Equal(200, posted.Status);
        Assert.Contains("\"response_type\":\"ephemeral\"", posted.Body, StringComparison.Ordinal);
        Assert.Contains("\"replace_original\":false", posted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_action_is_answered_politely()
    {
        await fixture.Bot.Http.SendAsync(fixture.Slack.BlockActions(Interactivity, "cmd-0", "launch missiles"));

        await fixture.EventuallyAsync(
            () => fixture.Slack.Calls.FirstOrDefault(c => c.Method == FakeSlackServer.ResponseUrlMethod && c.Body.Contains("know the command", StringComparison.Ordinal)),
            "the polite refusal");
    }

    [Theory]
    [InlineData("payload=%7Bnot+json")]
    [InlineData("nopayload=1")]
    [InlineData("payload=%7B%7D")]
    public async Task Malformed_payloads_get_400(string form)
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Interactivity, "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(form)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
