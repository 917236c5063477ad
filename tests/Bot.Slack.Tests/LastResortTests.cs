using System.Net;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests;

/// <summary>
/// When something the adapter did not foresee throws (here the content version, as an unreadable store would), the person
/// gets an apology, the log gets the error without any secret, and nothing answers 500.
/// </summary>
public sealed class LastResortTests : IAsyncLifetime
{
    private readonly BreakableContentVersion _content = new();
    private readonly CapturingLoggerProvider _logs = new();
    private FakeSlackServer _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    private Task<RunningBot> StartBotAsync(bool socket) => RunningBot.StartAsync(new Dictionary<string, string?>
    {
        ["Slack:Mode"] = socket ? "Socket" : "Http",
        ["Slack:SigningSecret"] = socket ? null : _slack.SigningSecret,
        ["Slack:BotToken"] = _slack.BotToken,
        ["Slack:AppToken"] = socket ? _slack.AppToken : null,
        ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
    }, services =>
    {
        services.AddSingleton<IContentVersion>(_content);
        services.AddLogging(logging => logging.AddProvider(_logs));
    });

    /// <summary>An exception message holding what the bot knows and must never log: its tokens, its signing secret (HTTP mode), a response_url.</summary>
    private string Breakage(bool socket) =>
        $"store exploded for {_slack.BotToken} {_slack.AppToken} {(socket ? "" : _slack.SigningSecret)} at https://hooks.slack.com/commands/T1/2/secret-path\r\nFORGED";

    [Fact]
    public async Task A_slash_command_that_throws_gets_an_ephemeral_apology_not_a_500()
    {
        await using var bot = await StartBotAsync(socket: false);
        _content.Break(Breakage(socket: false));

        using var response = await bot.Http.SendAsync(_slack.SlashCommand(bot.Url("slack/commands"), "/incident", "balloon"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ephemeral", reply.RootElement.GetProperty("response_type").GetString());
        Assert.Contains("Something went wrong", reply.RootElement.GetProperty("text").GetString(), StringComparison.Ordinal);
        AssertLoggedWithoutSecrets(_slack.BotToken, _slack.AppToken, _slack.SigningSecret);
    }

    [Fact]
    public async Task A_socket_slash_command_that_throws_is_acknowledged_with_an_apology()
    {
        await using var bot = await StartBotAsync(socket: true);
        await Eventually.TrueAsync(() => _slack.OpenSocketCount == 2, "two sockets");
        _content.Break(Breakage(socket: true));

        var id = _slack.SendSlashCommand("/incident", "balloon");

        await Eventually.TrueAsync(() => _slack.Envelopes.Single(e => e.EnvelopeId == id).Acked, "the acknowledgement");
        Assert.Contains("Something went wrong", _slack.Envelopes.Single(e => e.EnvelopeId == id).AckPayloadJson, StringComparison.Ordinal);
        _content.Repair();
        var next = _slack.SendSlashCommand("/incident", "balloon");
        await Eventually.TrueAsync(() => _slack.Envelopes.Single(e => e.EnvelopeId == next).Acked, "the next command's acknowledgement");
        Assert.Contains("Chinese surveillance balloon", _slack.Envelopes.Single(e => e.EnvelopeId == next).AckPayloadJson, StringComparison.Ordinal);
        AssertLoggedWithoutSecrets(_slack.BotToken, _slack.AppToken);
    }

    private void AssertLoggedWithoutSecrets(params string[] configuredSecrets)
    {
        var errors = _logs.AtLeast(LogLevel.Error);
        Assert.Contains(errors, e => e.Text.Contains(nameof(StoreExplodedException), StringComparison.Ordinal));
        foreach (var secret in configuredSecrets.Append("secret-path"))
            Assert.DoesNotContain(_logs.Entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Entries, e => e.Text.Contains("\r\nFORGED", StringComparison.Ordinal));
    }

    private sealed class StoreExplodedException(string message) : Exception(message);

    /// <summary>The content version, until told to throw.</summary>
    private sealed class BreakableContentVersion : IContentVersion
    {
        private volatile string? _breakage;

        public long Current => _breakage is { } breakage ? throw new StoreExplodedException(breakage) : 1;

        public void Break(string message) => _breakage = message;

        public void Repair() => _breakage = null;
    }
}
