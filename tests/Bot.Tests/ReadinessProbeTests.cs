using System.Net;
using System.Text.Json;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests;

/// <summary>
/// /readyz asks the platforms whether they accept the tokens; orchestrators ask /readyz every few
/// seconds, often from several places at once. Those calls must not multiply, nor queue behind posts.
/// </summary>
public sealed class ReadinessProbeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeDiscordServer _discord = null!;
    private FakeSlackServer _slack = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = _discord.ApplicationId,
            ["Discord:PublicKey"] = _discord.PublicKeyHex,
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
        }, services => services.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private int GatewayBotCalls => _discord.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/gateway/bot", StringComparison.Ordinal));

    private int AuthTestCalls => _slack.Calls.Count(c => c.Method == "auth.test");

    private async Task<HttpResponseMessage> ReadyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative), timeout.Token);
    }

    [Fact]
    public async Task Eighty_probes_at_once_ask_each_platform_once_and_the_answer_holds_for_30_seconds()
    {
        var (discordBefore, slackBefore) = (GatewayBotCalls, AuthTestCalls);

        var burst = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => ReadyAsync()));

        Assert.All(burst, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, GatewayBotCalls - discordBefore);
        Assert.Equal(1, AuthTestCalls - slackBefore);

        _clock.Advance(TimeSpan.FromSeconds(29));
        using var again = await ReadyAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, GatewayBotCalls - discordBefore);
        Assert.Equal(1, AuthTestCalls - slackBefore);

        // Past the 30 s the platforms are asked again, once.
        _clock.Advance(TimeSpan.FromSeconds(2));
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => ReadyAsync()));
        Assert.Equal(2, GatewayBotCalls - discordBefore);
        Assert.Equal(2, AuthTestCalls - slackBefore);
    }

    [Fact]
    public async Task A_post_waiting_out_a_global_rate_limit_does_not_hold_up_readiness()
    {
        // Discord puts the bot under a one-minute global limit; the bot's clock does not move, so the
        // post waits for as long as the test runs. Readiness must answer regardless, without asking Discord.
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.TooManyRequests(60, global: true));
        var sender = _bot.Services.GetServices<IBriefingSender>().Single(s => s.Platform == "discord");
        using var stop = new CancellationTokenSource();
        var post = sender.SendAsync(
            new Subscription { Platform = "discord", Workspace = "g1", Channel = "111", Kind = BriefingKind.Digest },
            new Delivery { Id = 1, Message = new ChatMessage { Title = "Briefing" } }, uncertain: false, stop.Token);
        // The fake records the post before the bot has read its 429: wait for the bot to know it is blocked.
        var limiter = _bot.Services.GetRequiredService<Bot.Discord.Protocol.RateLimiter>();
        await Eventually.TrueAsync(() => limiter.GloballyBlocked, "the post to be refused and the bot to know it");
        var discordBefore = GatewayBotCalls;

        using var ready = await ReadyAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var discord = json.RootElement.GetProperty("entries").GetProperty("discord");
        Assert.Equal("Degraded", discord.GetProperty("status").GetString());
        Assert.Contains("rate-limit", discord.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(discordBefore, GatewayBotCalls);
        Assert.False(post.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
    }

    [Fact]
    public async Task A_rate_limited_token_check_is_reported_at_once_instead_of_waited_out()
    {
        _slack.Script("auth.test", ScriptedSlackResponse.RateLimited(60));

        using var ready = await ReadyAsync();

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        var slack = json.RootElement.GetProperty("entries").GetProperty("slack");
        Assert.Equal("Degraded", slack.GetProperty("status").GetString());
        Assert.Equal(1, AuthTestCalls);
    }
}
