using System.Globalization;
using System.Text.Json;
using Bot.Slack.Socket;
using Bot.Slack.Tests.Fuzz;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Socket;

/// <summary>
/// Envelopes Slack should never send, over the fake's Socket Mode: the socket they arrive on stays up, nothing the bot
/// starts from them fails, and the next ordinary command is still answered.
/// </summary>
public sealed class SocketRobustnessTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private FakeSlackServer _slack = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:Mode"] = "Socket",
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:AppToken"] = _slack.AppToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
        }, services => services.AddLogging(logging => logging.AddProvider(_logs)));
        await Eventually.TrueAsync(() => _slack.OpenSocketCount == 2, "two sockets");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private SlackSocketStatus Status => _bot.Services.GetRequiredService<SlackSocketStatus>();

    [Fact]
    public async Task A_button_press_with_a_null_action_leaves_socket_mode_running()
    {
        var opened = _slack.SocketConnectionsOpened;

        var id = _slack.SendInteractive($$"""{"type":"block_actions","user":{"id":"U0ALICE"},"response_url":"{{_slack.CreateResponseUrl()}}","actions":[null]}""");

        await Eventually.TrueAsync(() => _slack.Envelopes.Single(e => e.EnvelopeId == id).Acked, "the acknowledgement");
        await AnswersACommandAsync();
        Assert.Null(Status.StoppedBecause);
        Assert.Equal(opened, _slack.SocketConnectionsOpened);
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task A_mention_without_a_channel_is_dropped_without_an_error()
    {
        _slack.SendEvent("""{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon","ts":"1700000000.000900"}""");

        await AnswersACommandAsync();
        await Eventually.TrueAsync(() => _bot.Services.GetRequiredService<Bot.Core.Chat.BackgroundWork>().Count == 0, "background work to finish");
        AssertNoErrorsLogged();
    }

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("""{"envelope_id":5,"type":"slash_commands","payload":{}}""")]
    [InlineData("""{"envelope_id":"e1","type":"events_api","accepts_response_payload":"yes","payload":{}}""")]
    [InlineData("""{"envelope_id":"e2","type":"events_api","payload":"not an object"}""")]
    [InlineData("""{"envelope_id":"e3\ud800","type":"interactive","payload":{"type":"block_actions","actions":[{"value":"x\udc00"}]}}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("")]
    public async Task An_unreadable_frame_costs_no_socket(string frame)
    {
        var opened = _slack.SocketConnectionsOpened;

        foreach (var connection in _slack.LiveConnectionIds) await _slack.SendRawFrameAsync(frame, connection);

        await AnswersACommandAsync();
        Assert.Equal(opened, _slack.SocketConnectionsOpened);
        Assert.Equal(2, Status.OpenSockets);
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task An_envelope_nested_too_deep_to_read_is_still_acknowledged()
    {
        var opened = _slack.SocketConnectionsOpened;
        var deep = new string('[', 200) + new string(']', 200);

        await _slack.SendRawFrameAsync($$"""{"envelope_id":"deep-1","type":"events_api","accepts_response_payload":false,"payload":{{deep}}}""");

        await _slack.WaitForAckAsync("deep-1");
        await AnswersACommandAsync();
        Assert.Equal(opened, _slack.SocketConnectionsOpened);
    }

    [Fact]
    public async Task Ten_thousand_malformed_envelopes_leave_the_sockets_up_and_the_next_command_answered()
    {
        var opened = _slack.SocketConnectionsOpened;
        var fuzzer = new SlackPayloadFuzzer(20230217, _slack.CreateResponseUrl());
        var frames = Enumerable.Range(0, 10_000).Select(fuzzer.SocketFrame).ToList();

        var written = frames.Select(frame => _slack.SendRawFrameAsync(frame)).ToList();
        await Task.WhenAll(written);
        // A marker after the flood on each socket: once both are acknowledged, every frame before them has been read.
        foreach (var connection in _slack.LiveConnectionIds)
        {
            var marker = string.Create(CultureInfo.InvariantCulture, $"marker-{connection}");
            await _slack.SendRawFrameAsync($$$"""{"envelope_id":"{{{marker}}}","type":"events_api","accepts_response_payload":false,"payload":{"type":"app_rate_limited"}}""", connection);
            await _slack.WaitForAckAsync(marker, TimeSpan.FromSeconds(60));
        }

        await AnswersACommandAsync();
        Assert.Equal(opened, _slack.SocketConnectionsOpened);
        Assert.Equal(2, Status.OpenSockets);
        Assert.Null(Status.StoppedBecause);
        await Eventually.TrueAsync(() => _bot.Services.GetRequiredService<Bot.Core.Chat.BackgroundWork>().Count == 0, "background work to finish", TimeSpan.FromSeconds(30));
        AssertNoErrorsLogged();
    }

    private async Task AnswersACommandAsync()
    {
        var id = _slack.SendSlashCommand("/incident", "balloon");
        await Eventually.TrueAsync(() => _slack.Envelopes.Single(e => e.EnvelopeId == id).Acked, "the command's acknowledgement", TimeSpan.FromSeconds(30));
        using var payload = JsonDocument.Parse(_slack.Envelopes.Single(e => e.EnvelopeId == id).AckPayloadJson ?? "{}");
        Assert.Contains("Chinese surveillance balloon", payload.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    private void AssertNoErrorsLogged()
    {
        var errors = _logs.AtLeast(LogLevel.Error);
        Assert.True(errors.Count == 0, $"{errors.Count} errors logged, e.g.\n{string.Join('\n', errors.Take(3).Select(e => Core.Text.TextClipper.Clip(e.Text, 600)))}");
    }
}
