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
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5Bnull%5D%7D")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%22value%22%3A%22incident+balloon%22%7D%2Cnull%5D%7D")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%5D%7D")]
    [InlineData("payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%22value%22%3A5%7D%5D%7D")]
    public async Task Malformed_payloads_get_400(string form)
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Interactivity, "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(form)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_button_value_is_replaced_and_answered()
    {
        var responseUrl = fixture.Slack.CreateResponseUrl();
        // Written by hand: a serializer would never write this escape, but Slack's JSON may carry it.
        var json = $$"""{"type":"block_actions","user":{"id":"U0ALICE"},"team":{"id":"T0FAKE"},"channel":{"id":"C0GENERAL"},"response_url":"{{responseUrl}}","actions":[{"action_id":"cmd-0","value":"incident balloon\ud800"}]}""";

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Interactivity, "application/x-www-form-urlencoded",
            Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(json))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await fixture.EventuallyAsync(() => fixture.Slack.Calls.FirstOrDefault(c => c.Path == new Uri(responseUrl).AbsolutePath), "the answer");
    }
}
