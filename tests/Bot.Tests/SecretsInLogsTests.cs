using System.Collections.Concurrent;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Tests;

/// <summary>Tokens, secrets and interaction tokens never appear in the logs, even at the most verbose level.</summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task No_secret_reaches_any_log_line()
    {
        var captured = new CapturingLoggerProvider();
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        await using var discord = await FakeDiscordServer.StartAsync();
        var interactionToken = "secret-interaction-token-" + Guid.NewGuid().ToString("N");
        var responseUrl = slack.CreateResponseUrl();
        await using (var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Slack:SigningSecret"] = slack.SigningSecret,
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:PublicKey"] = discord.PublicKeyHex,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
        }, services => services.AddLogging(logging => logging.AddProvider(captured).SetMinimumLevel(LogLevel.Trace))))
        {
            // Traffic that makes every component talk: commands, a mention answered over the Web API, a failing post, a button.
            slack.Script("chat.postMessage", ScriptedSlackResponse.ServerError(500));
            await bot.Http.SendAsync(slack.SlashCommand(bot.Url("slack/commands"), "/incident", "balloon", responseUrl: responseUrl));
            await bot.Http.SendAsync(slack.EventCallback(bot.Url("slack/events"),
                """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> when was the balloon shot down?","ts":"1700000000.000100","channel":"C0GENERAL"}"""));
            await bot.Http.SendAsync(slack.BlockActions(bot.Url("slack/interactivity"), "cmd-0", "timeline balloon"));
            var interaction = JsonSerializer.Serialize(new
            {
                id = "1",
                application_id = discord.ApplicationId,
                type = 2,
                token = interactionToken,
                version = 1,
                data = new { name = "incident", options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = "balloon" } } } } }
            });
            await bot.Http.SendAsync(discord.CreateSignedInteraction(bot.Url("discord/interactions"), interaction));
            for (var i = 0; i < 100 && !slack.Messages.Any(m => m.ThreadTs == "1700000000.000100"); i++) await Task.Delay(25);
        }

        var lines = captured.Lines.ToList();
        Assert.NotEmpty(lines);
        string[] secrets = [slack.BotToken, slack.SigningSecret, discord.BotToken, interactionToken, new Uri(responseUrl).AbsolutePath];
        foreach (var secret in secrets)
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        // Every response_url the fake hands out lives under /response/: none may be logged.
        Assert.DoesNotContain(lines, line => line.Contains("/response/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_secret_reaches_any_log_line_in_the_websocket_modes()
    {
        var captured = new CapturingLoggerProvider();
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.AddChannel("7100000000000000001");
        var interactionToken = "secret-interaction-token-" + Guid.NewGuid().ToString("N");
        await using (var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Slack:Mode"] = "Socket",
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:AppToken"] = slack.AppToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Discord:Mode"] = "Gateway",
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
        }, services => services.AddLogging(logging => logging.AddProvider(captured).SetMinimumLevel(LogLevel.Trace))))
        {
            var gateway = bot.Services.GetRequiredService<Bot.Discord.Gateway.DiscordGatewayStatus>();
            await Eventually.TrueAsync(() => discord.ReadyShardCount == 1 && gateway.ReadyShards == 1 && slack.OpenSocketCount == 2, "both websockets");
            // Identify, resume, acks, reconnects and answers all happen here.
            discord.DispatchInteraction(JsonSerializer.Serialize(new
            {
                id = "1",
                application_id = discord.ApplicationId,
                type = 2,
                token = interactionToken,
                version = 1,
                channel_id = "7100000000000000001",
                data = new { name = "incident", options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = "balloon" } } } } }
            }));
            discord.DispatchMessageCreate("7100000000000000001", "7000000000000000001", "7200000000000000002", $"<@{discord.ApplicationId}> incident balloon", mentionsBot: true);
            await discord.DropGatewayAsync();
            var command = slack.SendSlashCommand("/incident", "balloon");
            await slack.WaitForAckAsync(command);
            await slack.DropSocketsAsync();
            await Eventually.TrueAsync(() => discord.ResumeCount == 1 && discord.Messages.Count == 1 && slack.OpenSocketCount == 2, "the answers and both reconnects");
        }

        var lines = captured.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("Discord gateway", StringComparison.Ordinal));
        string[] secrets = [slack.BotToken, slack.AppToken, discord.BotToken, interactionToken];
        foreach (var secret in secrets)
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        // Socket Mode addresses carry a one-time ticket that lets anyone read the app's events.
        Assert.DoesNotContain(lines, line => line.Contains("ticket=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exception_thrown_anywhere_reaches_the_log_without_secrets_or_a_forged_line()
    {
        var captured = new CapturingLoggerProvider();
        await using var discord = await FakeDiscordServer.StartAsync();
        const string signingSecret = "0123456789abcdef-signing";
        const string databasePassword = "correct-horse-battery";
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = signingSecret,
            ["Slack:BotToken"] = "xoxb-configured-1234",
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:PublicKey"] = discord.PublicKeyHex,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["ConnectionStrings:Archive"] = $"Host=db.example;Username=bot;Password={databasePassword}",
        }, services => services.AddLogging(logging => logging.AddProvider(captured)));

        // As a library deep inside a background job might: its message quotes what it was given.
        var inner = new InvalidOperationException($"login failed with password {databasePassword}");
        var thrown = new HttpRequestException(
            $"POST https://hooks.slack.com/commands/T1/2/bearer-part failed for {signingSecret} and xoxp-installed-5678 " +
            $"via https://discord.com/api/v10/webhooks/{discord.ApplicationId}/interaction-token-part/messages/@original with {discord.BotToken}\r\nFORGED entry",
            inner);
        var logger = bot.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Anywhere");
        logger.LogError(thrown, "Job failed calling {Url}", "https://hooks.slack.com/actions/T1/9/other-bearer-part");

        var line = Assert.Single(captured.Lines, l => l.StartsWith("Anywhere ", StringComparison.Ordinal));
        foreach (var secret in new[] { signingSecret, "xoxb-configured-1234", "xoxp-installed-5678", discord.BotToken, databasePassword, "bearer-part", "interaction-token-part" })
            Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nFORGED", line, StringComparison.Ordinal);
        Assert.Contains("FORGED entry", line, StringComparison.Ordinal);
        Assert.Contains(nameof(HttpRequestException), line, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), line, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner.Lines.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
