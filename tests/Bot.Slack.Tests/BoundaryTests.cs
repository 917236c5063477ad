using System.Text;
using System.Text.Json;
using Bot.Core.Diagnostics;
using Bot.Slack.Inbound;
using Bot.Slack.Protocol;
using Bot.Slack.Socket;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests;

/// <summary>The small pieces at the adapter's edge: text cleaning, log escaping, the replay memory, where answers may go.</summary>
public class BoundaryTests
{
    [Theory]
    [InlineData("C0BAD\r\nFORGED", @"C0BAD\r\nFORGED")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("bell\u0007 del\u007f c1\u0085 sep\u2028", @"bell\u0007 del\u007F c1\u0085 sep\u2028")]
    [InlineData("plain_error", "plain_error")]
    [InlineData(null, "")]
    public void Log_text_escapes_control_characters(string? text, string expected)
    {
        Assert.Equal(expected, LogText.Escape(text));
    }

    [Fact]
    public void Log_text_escapes_a_lone_surrogate_and_keeps_a_pair()
    {
        // Not in InlineData: attribute strings are stored as UTF-8, where a lone surrogate cannot survive.
        Assert.Equal(@"lone \uD800 pair 🎈", LogText.Escape("lone \ud800 pair 🎈"));
    }

    [Fact]
    public void Log_text_is_clipped()
    {
        Assert.Equal(new string('x', 10) + "…", LogText.Escape(new string('x', 50), maxLength: 10));
    }

    [Theory]
    [InlineData("\"abc\\ud800\"", "abc\uFFFD")]
    [InlineData("\"\\udc00\\ud83c\\udf88\\ud800x\"", "\uFFFD🎈\uFFFDx")]
    [InlineData("\"line\\nnext \\\"quoted\\\" \\u00e9\\/\"", "line\nnext \"quoted\" é/")]
    [InlineData("\"fine 🎈\"", "fine 🎈")]
    public void Inbound_strings_with_broken_text_are_read_with_replacements(string json, string expected)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();

        Assert.Equal(expected, InboundText.ReadString(ref reader));
    }

    [Fact]
    public void Invalid_utf8_in_a_string_becomes_a_replacement_character()
    {
        byte[] json = [(byte)'"', (byte)'a', 0xED, 0xA0, 0x80, (byte)'\\', (byte)'n', (byte)'"'];
        var reader = new Utf8JsonReader(json);
        reader.Read();

        Assert.Equal("a\uFFFD\uFFFD\uFFFD\n", InboundText.ReadString(ref reader));
    }

    [Fact]
    public void Clipping_never_splits_a_surrogate_pair()
    {
        Assert.Equal("ab", InboundText.Clip("ab🎈", 3));
        Assert.Equal("ab🎈", InboundText.Clip("ab🎈c", 4));
    }

    [Fact]
    public void A_socket_frame_that_does_not_deserialize_keeps_its_envelope_id_when_it_can()
    {
        var deep = new string('[', 100) + new string(']', 100);

        var nested = SocketModeConnection.Parse(Encoding.UTF8.GetBytes($$"""{"envelope_id":"e\ud800","payload":{{deep}}}"""));
        var wrongType = SocketModeConnection.Parse("""{"envelope_id":7,"type":"events_api"}"""u8);
        var notJson = SocketModeConnection.Parse("{\"envelope_id\":\"cut"u8);

        Assert.Equal("e\uFFFD", nested.EnvelopeId);
        Assert.NotNull(nested.Unreadable);
        Assert.Null(wrongType.EnvelopeId);
        Assert.NotNull(wrongType.Unreadable);
        Assert.NotNull(notJson.Unreadable);
        Assert.NotNull(SocketModeConnection.Parse("null"u8).Unreadable);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/commands/T1/2/abc", true)]
    [InlineData("https://HOOKS.slack.com/actions/T1/2/abc", true)]
    [InlineData("http://hooks.slack.com/commands/T1/2/abc", false)]
    [InlineData("https://hooks.slack.com:8443/commands/T1/2/abc", false)]
    [InlineData("https://user:pw@hooks.slack.com/commands/T1/2/abc", false)]
    [InlineData("https://hooks.slack.com.example.org/commands", false)]
    [InlineData("https://example.org/hooks.slack.com/commands", false)]
    [InlineData("http://127.0.0.1:5555/response/x", true)]
    [InlineData("http://127.0.0.1:5556/response/x", false)]
    [InlineData("http://localhost:5555/response/x", false)]
    [InlineData("https://127.0.0.1:5555/response/x", false)]
    [InlineData("https://slack.com/api/anything", false)]
    public void Only_slack_and_the_configured_api_host_receive_answers(string url, bool allowed)
    {
        Assert.Equal(allowed, SlackWebClient.IsSlackResponseUrl(new Uri(url), new Uri("http://127.0.0.1:5555/api/")));
    }

    [Fact]
    public void The_real_api_host_is_slack_itself()
    {
        Assert.True(SlackWebClient.IsSlackResponseUrl(new Uri("https://slack.com/other"), new SlackOptions().ApiBase));
    }

    private static string Signature(char fill) => "v0=" + new string(fill, 64);

    [Fact]
    public void A_signature_is_accepted_once_until_its_timestamp_leaves_the_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var guard = new SlackReplayGuard(time);

        Assert.Equal(ReplayCheck.First, guard.Accept("1700000000", Signature('a')));
        Assert.Equal(ReplayCheck.Replay, guard.Accept("1700000000", Signature('a')));
        // Upper-case hex is the same signature to the verifier, so it is the same request here.
        Assert.Equal(ReplayCheck.Replay, guard.Accept("1700000000", Signature('A')));
        Assert.Equal(ReplayCheck.First, guard.Accept("1700000001", Signature('a')));
        Assert.Equal(ReplayCheck.First, guard.Accept("1700000000", Signature('b')));

        time.Advance(TimeSpan.FromMinutes(6));
        guard.Accept("1700000360", Signature('c'));

        Assert.Equal(1, guard.Count);
    }

    [Fact]
    public void The_replay_memory_is_bounded_and_refuses_rather_than_forgets()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var guard = new SlackReplayGuard(time);
        for (var i = 0; i < SlackReplayGuard.MaxRemembered; i++)
            Assert.Equal(ReplayCheck.First, guard.Accept("1700000000", "v0=" + i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture) + new string('0', 32)));

        Assert.Equal(ReplayCheck.Full, guard.Accept("1700000000", Signature('f')));
        Assert.Equal(ReplayCheck.Replay, guard.Accept("1700000000", "v0=" + 0.ToString("x32", System.Globalization.CultureInfo.InvariantCulture) + new string('0', 32)));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(ReplayCheck.First, guard.Accept("1700000360", Signature('f')));
        Assert.Equal(1, guard.Count);
    }
}
