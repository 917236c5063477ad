using System.Net;
using System.Net.Sockets;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests;

/// <summary>Where answers may be posted, and what of the outside world may reach a log line.</summary>
public class ResponseUrlTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private Uri Commands => fixture.Bot.Url("slack/commands");

    [Fact]
    public async Task A_response_url_on_another_host_or_port_gets_no_request()
    {
        using var elsewhere = new TcpListener(IPAddress.Loopback, 0);
        elsewhere.Start();
        var connections = 0;
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await elsewhere.AcceptTcpClientAsync();
                    Interlocked.Increment(ref connections);
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // The listener stopped.
            }
        });
        var otherPort = $"http://127.0.0.1:{((IPEndPoint)elsewhere.LocalEndpoint).Port}/response/T0FAKE/1/elsewhere";
        // The fake itself, named differently: the host name must match Slack:ApiBaseUrl's exactly.
        var otherName = new UriBuilder(fixture.Slack.CreateResponseUrl()) { Host = "localhost" }.Uri.AbsoluteUri;
        var allowed = fixture.Slack.CreateResponseUrl();

        // /slow waits until released, so each answer goes to its response_url.
        foreach (var responseUrl in new[] { otherPort, otherName, allowed })
        {
            using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.SlashCommand(Commands, "/slow", "", responseUrl: responseUrl));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        fixture.Slow.Release();
        await fixture.EventuallyAsync(() => fixture.Slack.Calls.FirstOrDefault(c => c.Path == new Uri(allowed).AbsolutePath), "the answer to the allowed address");
        await fixture.BackgroundWorkDoneAsync();
        elsewhere.Stop();
        await accepting;

        Assert.Equal(0, connections);
        Assert.DoesNotContain(fixture.Slack.Calls, c => c.Path == new Uri(otherName).AbsolutePath);
        Assert.Contains(fixture.Logs.Entries, e => e.Message.Contains("response_url", StringComparison.Ordinal) && e.Message.Contains("localhost", StringComparison.Ordinal));
        // The refusal names the host, never the address (a bearer secret) or what would have been posted.
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Text.Contains("/response/", StringComparison.Ordinal) || e.Text.Contains("Slow answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Line_breaks_from_outside_are_escaped_in_log_lines()
    {
        fixture.Slack.AddChannel("C0ESCAPE");
        // A channel id with a line break: Slack does not know it, and the failure names it.
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(fixture.Bot.Url("slack/events"),
            """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon","ts":"1700000900.000100","channel":"C0BAD\r\nFORGED-CHANNEL"}"""));
        await fixture.EventuallyAsync(() => fixture.Logs.Entries.FirstOrDefault(e => e.Text.Contains("FORGED-CHANNEL", StringComparison.Ordinal)), "the channel's failure logged");
        // An error string from Slack with a line break.
        fixture.Slack.Script("chat.postMessage", ScriptedSlackResponse.Error("bad\r\nFORGED-ERROR"));
        await fixture.Bot.Http.SendAsync(fixture.Slack.EventCallback(fixture.Bot.Url("slack/events"),
            """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon","ts":"1700000901.000100","channel":"C0ESCAPE"}"""));
        await fixture.EventuallyAsync(() => fixture.Logs.Entries.FirstOrDefault(e => e.Text.Contains("FORGED-ERROR", StringComparison.Ordinal)), "Slack's error logged");
        // A response_url target that answers with a line break in its body.
        fixture.Slack.Script(FakeSlackServer.ResponseUrlMethod, new ScriptedSlackResponse(Status: 400, JsonBody: "no\r\nFORGED-BODY"));
        await fixture.Bot.Http.SendAsync(fixture.Slack.BlockActions(fixture.Bot.Url("slack/interactivity"), "cmd-0", "incident balloon"));
        await fixture.EventuallyAsync(() => fixture.Logs.Entries.FirstOrDefault(e => e.Text.Contains("FORGED-BODY", StringComparison.Ordinal)), "the target's answer logged");
        await fixture.BackgroundWorkDoneAsync();

        var forged = fixture.Logs.Entries.Where(e => e.Text.Contains("FORGED", StringComparison.Ordinal)).ToList();
        Assert.All(forged, e => Assert.DoesNotMatch("[\r\n]", e.Message + e.Exception?.Message));
        Assert.Contains(forged, e => e.Message.Contains(@"C0BAD\r\nFORGED-CHANNEL", StringComparison.Ordinal));
        Assert.Contains(forged, e => e.Message.Contains(@"bad\r\nFORGED-ERROR", StringComparison.Ordinal));
    }
}
