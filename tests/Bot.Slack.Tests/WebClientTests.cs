using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;
using Bot.Slack.Inbound;
using Bot.Slack.Install;
using Bot.Slack.Outbound;
using Bot.Slack.Protocol;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests;

public class WebClientTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private SlackWebClient Client(TimeProvider? time = null)
    {
        var options = Options.Create(new SlackOptions { BotToken = fixture.Slack.BotToken, ApiBaseUrl = fixture.Slack.ApiBaseUrl.ToString().TrimEnd('/') });
        return new(new HttpClient(), time ?? TimeProvider.System, options, new ConfiguredSlackToken(options), NullLogger<SlackWebClient>.Instance);
    }

    private static SlackMessage Post(string channel, string text = "hello") => new() { Channel = channel, Text = text };

    [Fact]
    public async Task Post_message_sends_bearer_auth_and_utf8_json()
    {
        var response = await Client().PostMessageAsync(SlackTeam.Unknown, Post("C0GENERAL", "from the web client test"), CancellationToken.None);

        Assert.True(response.Ok);
        Assert.NotNull(response.Ts);
        var call = fixture.Slack.Calls.Last(c => c.Method == "chat.postMessage" && c.Body.Contains("from the web client test", StringComparison.Ordinal));
        Assert.Equal("Bearer xoxb-fake", call.Headers["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("invalid_auth")]
    [InlineData("msg_too_long")]
    [InlineData("invalid_blocks")]
    public async Task Ok_false_becomes_a_typed_error_naming_the_slack_error(string error)
    {
        fixture.Slack.Script("chat.postEphemeral", ScriptedSlackResponse.Error(error));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => Client().PostEphemeralAsync(SlackTeam.Unknown, Post("C0GENERAL") with { User = "U0ALICE" }, CancellationToken.None));

        Assert.Equal(error, ex.Error);
        Assert.Equal("C0GENERAL", ex.Channel);
        Assert.True(ex.IsPermanent);
    }

    [Fact]
    public async Task A_429_waits_for_retry_after_and_then_succeeds()
    {
        fixture.Slack.Script("chat.update", ScriptedSlackResponse.RateLimited(1));
        var posted = await Client().PostMessageAsync(SlackTeam.Unknown, Post("C0GENERAL", "to update"), CancellationToken.None);

        var updated = await Client().UpdateAsync(SlackTeam.Unknown, new SlackMessage { Channel = "C0GENERAL", Ts = posted.Ts, Text = "updated" }, CancellationToken.None);

        Assert.True(updated.Ok);
        var calls = fixture.Slack.Calls.Where(c => c.Method == "chat.update").TakeLast(2).ToList();
        Assert.Equal([429, 200], calls.Select(c => c.Status));
        // The retry waited for Retry-After (measured on the recorded arrival times, not asserted as a duration of this test).
        Assert.True(calls[1].At >= calls[0].At);
    }

    [Fact]
    public async Task Server_errors_and_dropped_connections_are_retried()
    {
        fixture.Slack.Script("auth.test", ScriptedSlackResponse.ServerError(503));
        fixture.Slack.Script("auth.test", new ScriptedSlackResponse(DropConnection: true));

        var response = await Client().AuthTestAsync(SlackTeam.Unknown, CancellationToken.None);

        Assert.Equal("U0BOT", response.UserId);
    }

    [Fact]
    public async Task Posts_to_one_channel_are_paced_to_one_per_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = Client(time);
        fixture.Slack.AddChannel("C0PACED");

        await client.PostMessageAsync(SlackTeam.Unknown, Post("C0PACED", "first"), CancellationToken.None);
        var second = client.PostMessageAsync(SlackTeam.Unknown, Post("C0PACED", "second"), CancellationToken.None);
        var otherChannel = await client.PostMessageAsync(SlackTeam.Unknown, Post("C0GENERAL", "not held up"), CancellationToken.None);
        await Task.Delay(200);

        Assert.True(otherChannel.Ok);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await second).Ok);
    }

    [Fact]
    public async Task Admins_come_from_users_info_or_the_configured_list()
    {
        fixture.Slack.AddAdmin("U0ADMIN");
        var admins = new SlackAdmins(Client(), TimeProvider.System, Options.Create(new SlackOptions { AdminUserIds = ["U0LISTED"] }));

        Assert.True(await admins.IsAdminAsync(SlackTeam.Unknown, "U0ADMIN", CancellationToken.None));
        Assert.True(await admins.IsAdminAsync(SlackTeam.Unknown, "U0LISTED", CancellationToken.None));
        Assert.False(await admins.IsAdminAsync(SlackTeam.Unknown, "U0ALICE", CancellationToken.None));
        Assert.False(await admins.IsAdminAsync(SlackTeam.Unknown, null, CancellationToken.None));
    }

    [Fact]
    public void An_oversized_incident_renders_within_every_Block_Kit_limit()
    {
        var words = string.Join(' ', Enumerable.Repeat("accusations🎈 <!channel> & more", 2000));
        var incident = TestIncidents.Make("huge", "A " + string.Join(' ', Enumerable.Repeat("very long title", 40)), "Cyber") with
        {
            Summary = words,
            Actors = Enumerable.Range(1, 100).Select(i => new Actor($"Actor {i}", "person", words[..2500])).ToList(),
            Timeline = Enumerable.Range(1, 300).Select(i => new TimelineEvent(new PartialDate(2000 + i % 20), $"Event {i} {words[..3500]}")).ToList(),
            Sources = Enumerable.Range(1, 60).Select(i => new Source("P", null, $"T{i} {words[..500]}", null, $"https://example.org/{i}")).ToList(),
            Status = words,
            Countries = Enumerable.Range(1, 500).Select(i => $"Country {i}").ToList(),
        };

        foreach (var message in new[] { IncidentCards.Card(incident), IncidentCards.Timeline(incident), IncidentCards.Sources(incident) })
        {
            var rendered = BlockKitRenderer.Render(message, inChannel: true);

            Assert.InRange(rendered.Blocks!.Count, 1, 50);
            Assert.InRange(TextClipper.Length(rendered.Text), 1, 3000);
            Assert.DoesNotContain("<!channel>", rendered.Text, StringComparison.Ordinal);
            foreach (var block in rendered.Blocks)
            {
                switch (block)
                {
                    case HeaderBlock header:
                        Assert.InRange(TextClipper.Length(header.Text.Text), 1, 150);
                        break;
                    case SectionBlock section:
                        Assert.InRange(TextClipper.Length(section.Text?.Text), 0, 3000);
                        Assert.InRange(section.Fields?.Count ?? 0, 0, 10);
                        Assert.All(section.Fields ?? [], f => Assert.InRange(TextClipper.Length(f.Text), 1, 2000));
                        break;
                    case ContextBlock context:
                        Assert.InRange(context.Elements.Count, 1, 10);
                        Assert.All(context.Elements, e => Assert.DoesNotContain("<!channel>", e.Text, StringComparison.Ordinal));
                        break;
                    case ActionsBlock actions:
                        Assert.InRange(actions.Elements.Count, 1, 25);
                        Assert.All(actions.Elements, b => Assert.InRange(TextClipper.Length(b.Text.Text), 1, 75));
                        break;
                }
            }
        }
    }

    [Theory]
    [InlineData("<!channel> hi", "&lt;!channel&gt; hi")]
    [InlineData("<@U123>", "&lt;@U123&gt;")]
    [InlineData("A & B", "A &amp; B")]
    public void Mrkdwn_escapes_the_three_characters(string text, string expected)
    {
        Assert.Equal(expected, BlockKitRenderer.Escape(text));
    }
}
