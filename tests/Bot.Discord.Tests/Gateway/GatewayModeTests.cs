using System.Net;
using System.Text.Json;
using Bot.Discord.Gateway;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Gateway;

/// <summary>The real host in <c>Discord:Mode = Gateway</c> against the fake gateway: no public URL, no public key.</summary>
public sealed class GatewayModeTests : IAsyncLifetime
{
    private const string Guild = "7000000000000000001";
    private const string Channel = "7100000000000000001";
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;
    private int _interactions;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _discord.AddChannel(Channel);
        _bot = await StartBotAsync(_discord);
        await Eventually.TrueAsync(BothReady, "the shard to be ready");
    }

    /// <summary>The fake sent READY (or RESUMED) and the bot has read it: a drop now finds a session to resume.</summary>
    private bool BothReady() => _discord.ReadyShardCount == 1 && _bot.Services.GetRequiredService<DiscordGatewayStatus>().ReadyShards == 1;

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    internal static Task<RunningBot> StartBotAsync(FakeDiscordServer discord, IReadOnlyDictionary<string, string?>? more = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Mode"] = "Gateway",
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString().TrimEnd('/'),
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>()) settings[key] = value;
        return RunningBot.StartAsync(settings, services);
    }

    private (string Id, string Token, string Json) SlashCommand(string name, string option, string value, string guild = Guild)
    {
        var n = Interlocked.Increment(ref _interactions);
        var id = $"9100000000000{n:D5}";
        var token = $"gateway-token-{n}-{Guid.NewGuid():N}";
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["application_id"] = _discord.ApplicationId,
            ["type"] = 2,
            ["data"] = new { id = "8000000000000000001", name, type = 1, options = Options(name, option, value) },
            ["guild_id"] = guild,
            ["channel_id"] = Channel,
            ["member"] = new { user = new { id = "7200000000000000001", username = "alice" }, permissions = "0" },
            ["token"] = token,
            ["version"] = 1,
        });
        return (id, token, json);
    }

    /// <summary>"/incident" takes subcommands: its card is "/incident show name:…"; other commands take the option directly.</summary>
    private static object[] Options(string command, string option, string value) =>
        command == "incident"
            ? [new { name = "show", type = 1, options = new[] { new { name = option, type = 3, value } } }]
            : [new { name = option, type = 3, value }];

    private IReadOnlyList<FakeInteractionResponse> CallbacksFor(string token) => CallbacksFor(_discord, token);

    private static IReadOnlyList<FakeInteractionResponse> CallbacksFor(FakeDiscordServer discord, string token) =>
        discord.InteractionResponses.Where(r => r.InteractionToken == token && r.Kind == "callback").ToList();

    [Fact]
    public async Task Identifies_with_the_intents_the_bot_needs_and_no_privileged_ones()
    {
        var identify = Assert.Single(_discord.Identifies);
        Assert.Equal(1 | 1 << 9 | 1 << 12, identify.Intents);
        Assert.Equal((0, 1), (identify.ShardId, identify.ShardCount));
        Assert.Contains(_discord.Requests, r => r.Method == "GET" && r.Path.EndsWith("/gateway/bot", StringComparison.Ordinal));
        Assert.Empty(_discord.GatewayProtocolErrors);
        var ready = await _bot.Http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("1 of 1 shards ready", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slash_command_through_the_gateway_is_answered_with_the_callback_route()
    {
        var (_, token, json) = SlashCommand("incident", "name", "balloon");
        _discord.DispatchInteraction(json);

        var callback = await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the callback");
        Assert.Equal(4, callback.Body.GetProperty("type").GetInt32());
        var title = callback.Body.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString();
        Assert.Contains("balloon", title, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_slow_answer_is_deferred_over_the_gateway_and_edited_in_after_the_callback()
    {
        var slow = new SlowCommand();
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var bot = await StartBotAsync(discord, new Dictionary<string, string?> { ["Discord:DeferAfterMilliseconds"] = "100" },
            services => services.AddSingleton<Bot.Core.Chat.ICommandHandler>(slow));
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1, "the shard to be ready");
        // The callback takes a second to be accepted; the answer is ready while it is on its way.
        discord.Script("POST", "/interactions/*/*/callback", ScriptedResponse.Slow(TimeSpan.FromSeconds(1)));
        var (_, token, json) = SlashCommand("slow", "text", "anything");
        discord.DispatchInteraction(json);
        await Eventually.TrueAsync(() => discord.Requests.Any(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)), "the deferral on its way");
        slow.Release();

        var edit = await Eventually.HoldsAsync(() => discord.InteractionResponses.FirstOrDefault(r => r.InteractionToken == token && r.Kind == "edit-original"), "the answer");
        Assert.Contains("slow", edit.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(5, CallbacksFor(discord, token).Single().Body.GetProperty("type").GetInt32());
        // An edit sent before the callback was accepted would have been refused as an unknown interaction, and no edit recorded.
    }

    [Fact]
    public async Task A_message_that_mentions_the_bot_is_answered_as_a_reply()
    {
        _discord.DispatchMessageCreate(Channel, Guild, "7200000000000000002", $"<@{_discord.ApplicationId}> when was the balloon shot down?", mentionsBot: true);

        var reply = await Eventually.HoldsAsync(() => _discord.Messages.FirstOrDefault(m => m.ChannelId == Channel), "a reply");
        Assert.True(reply.Body.TryGetProperty("message_reference", out var reference));
        Assert.False(string.IsNullOrEmpty(reference.GetProperty("message_id").GetString()));
        Assert.Contains("February", reply.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Empty(reply.Body.GetProperty("allowed_mentions").GetProperty("parse").EnumerateArray());
    }

    [Fact]
    public async Task A_direct_message_needs_no_mention()
    {
        const string dm = "7300000000000000001";
        _discord.AddChannel(dm);
        // Worded as the store words it, so the answer is the same whether or not the host has built its vectors yet.
        _discord.DispatchMessageCreate(dm, guildId: null, "7200000000000000002",
            "When did Australia say it would remove the Chinese-made surveillance cameras from its government buildings?", mentionsBot: false);

        var reply = await Eventually.HoldsAsync(() => _discord.Messages.FirstOrDefault(m => m.ChannelId == dm), "a reply in the DM");
        Assert.Contains("9 February 2023", reply.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_button_press_through_the_gateway_is_answered_only_to_the_one_who_pressed_it()
    {
        var token = $"gateway-button-{Guid.NewGuid():N}";
        _discord.DispatchInteraction(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = "9200000000000000001",
            ["application_id"] = _discord.ApplicationId,
            ["type"] = 3,
            ["data"] = new { custom_id = "timeline balloon", component_type = 2 },
            ["guild_id"] = Guild,
            ["channel_id"] = Channel,
            ["member"] = new { user = new { id = "7200000000000000001", username = "alice" }, permissions = "0" },
            ["token"] = token,
            ["version"] = 1,
        }));

        var callback = await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the callback");
        Assert.Equal(64, callback.Body.GetProperty("data").GetProperty("flags").GetInt32() & 64);
        Assert.Contains("2023", callback.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"balloon\" OR 1=1; DROP TABLE incidents; --")]
    [InlineData("ballo* NEAR( 🎈🎈 \u200b ")]
    [InlineData("")]
    public async Task Odd_text_in_a_mention_gets_a_helpful_reply(string text)
    {
        _discord.DispatchMessageCreate(Channel, Guild, "7200000000000000002", $"<@{_discord.ApplicationId}> {text}", mentionsBot: true);
        _discord.DispatchMessageCreate(Channel, Guild, "7200000000000000002", $"<@{_discord.ApplicationId}> " + new string('x', 10_000), mentionsBot: true);

        await Eventually.TrueAsync(() => _discord.Messages.Count(m => m.ChannelId == Channel) == 2, "two replies");
        Assert.All(_discord.Messages, m => Assert.True(m.Body.TryGetProperty("embeds", out _)));
        var (_, token, json) = SlashCommand("incident", "name", "balloon");
        _discord.DispatchInteraction(json);
        await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the shard still answering");
    }

    [Fact]
    public async Task Messages_without_a_mention_and_the_bots_own_messages_are_left_alone()
    {
        _discord.DispatchMessageCreate(Channel, Guild, "7200000000000000002", "incident balloon", mentionsBot: false);
        _discord.DispatchMessageCreate(Channel, Guild, _discord.ApplicationId, $"<@{_discord.ApplicationId}> incident balloon", mentionsBot: true);
        var (_, token, json) = SlashCommand("incident", "name", "balloon");
        _discord.DispatchInteraction(json);

        // The interaction comes after both messages on the same shard: once it is answered, they were seen.
        await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the callback");
        await Task.Delay(200);
        Assert.Empty(_discord.Messages);
    }

    [Fact]
    public async Task A_hundred_forced_disconnects_lose_no_interaction_and_answer_none_twice()
    {
        var tokens = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var (_, token, json) = SlashCommand("incident", "name", i % 2 == 0 ? "balloon" : "huawei");
            tokens.Add(token);
            _discord.DispatchInteraction(json);
            // Dropped right behind the event: some are read before the drop, the rest must come back in the replay.
            await _discord.DropGatewayAsync();
            await Eventually.TrueAsync(BothReady, $"the shard to resume after drop {i + 1}");
        }

        await Eventually.TrueAsync(() => tokens.All(t => CallbacksFor(t).Count > 0), "every interaction answered", TimeSpan.FromSeconds(20));
        Assert.All(tokens, t => Assert.Single(CallbacksFor(t)));
        var callbackRequests = _discord.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/callback", StringComparison.Ordinal));
        Assert.Equal(100, callbackRequests);
        Assert.Equal(1, _discord.IdentifyCount);
        Assert.Equal(100, _discord.ResumeCount);
        Assert.Empty(_discord.GatewayProtocolErrors);
        Assert.All(_discord.GatewayFrames.Where(f => f.Op == 6), f => Assert.Equal("/gateway-resume", f.Path));
    }

    [Fact]
    public async Task Reconnect_requests_and_resumable_closes_resume_the_session()
    {
        await _discord.SendReconnectAsync();
        await Eventually.TrueAsync(() => _discord.ResumeCount == 1 && BothReady(), "a resume after op 7");
        await _discord.CloseGatewayAsync(4000, "unknown error");
        await Eventually.TrueAsync(() => _discord.ResumeCount == 2 && BothReady(), "a resume after 4000");
        await _discord.SendInvalidSessionAsync(resumable: true);
        await Eventually.TrueAsync(() => _discord.ResumeCount == 3 && BothReady(), "a resume after op 9 true");

        Assert.Equal(1, _discord.IdentifyCount);
        // The bot's own closes never use 1000/1001, which would end the session it means to resume.
        Assert.All(_discord.ClientCloses, c => Assert.NotEqual(1000, c.Code));
        var (_, token, json) = SlashCommand("incident", "name", "balloon");
        _discord.DispatchInteraction(json);
        await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "an answer on the resumed session");
    }

    [Fact]
    public async Task When_the_resume_address_keeps_failing_the_session_is_resumed_at_the_main_address()
    {
        _discord.ResumeAddressDown = true;
        await _discord.DropGatewayAsync();

        await Eventually.TrueAsync(() => _discord.ResumeCount == 1 && BothReady(), "a resume", TimeSpan.FromSeconds(20));
        Assert.Equal("/gateway", _discord.GatewayFrames.Single(f => f.Op == 6).Path);
        Assert.Equal(1, _discord.IdentifyCount);
    }

    [Fact]
    public async Task An_invalid_session_identifies_anew_after_a_short_wait()
    {
        await _discord.SendInvalidSessionAsync(resumable: false);
        await Eventually.TrueAsync(() => _discord.IdentifyCount == 2 && BothReady(), "a second identify", TimeSpan.FromSeconds(15));
        var identifies = _discord.Identifies;
        Assert.True(identifies[1].At - identifies[0].At >= TimeSpan.FromSeconds(1), "waits at least a second before identifying again");
        Assert.Equal(0, _discord.ResumeCount);
    }

    [Fact]
    public async Task A_session_ending_close_code_identifies_anew()
    {
        await _discord.CloseGatewayAsync(4009, "session timed out");
        // Within Discord's identify window of 5 s since the first session: the bot waits its turn.
        await Eventually.TrueAsync(() => _discord.IdentifyCount == 2 && BothReady(), "a new session", TimeSpan.FromSeconds(20));
        Assert.Equal(0, _discord.ResumeCount);
    }

    [Fact]
    public async Task A_missing_heartbeat_ack_closes_the_zombie_and_resumes()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.HeartbeatInterval = TimeSpan.FromMilliseconds(300);
        discord.WithholdHeartbeatAcks = true;
        await using var bot = await StartBotAsync(discord);

        await Eventually.TrueAsync(() => discord.ClientCloses.Count > 0, "the bot to give up on the silent connection");
        discord.WithholdHeartbeatAcks = false;
        await Eventually.TrueAsync(() => discord.ResumeCount >= 1 && discord.ReadyShardCount == 1, "a resume");

        var close = discord.ClientCloses[0];
        Assert.NotNull(close.Code);
        Assert.NotEqual(1000, close.Code);
        Assert.NotEqual(1001, close.Code);
        Assert.Equal(1, discord.IdentifyCount);
    }

    [Fact]
    public async Task Events_waiting_when_the_bot_connects_are_answered_from_the_seeded_store()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var (_, token, json) = SlashCommand("incident", "name", "balloon");
        discord.DispatchInteraction(json);

        await using var bot = await StartBotAsync(discord);

        var callback = await Eventually.HoldsAsync(() => CallbacksFor(discord, token).FirstOrDefault(), "the callback");
        Assert.Contains("balloon", callback.Body.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Shutting_down_closes_the_gateway_cleanly_with_1000()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var bot = await StartBotAsync(discord);
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1, "the shard to be ready");

        await bot.DisposeAsync();

        await Eventually.TrueAsync(() => discord.ClientCloses.Any(c => c.Code == 1000), "a normal close");
        Assert.Equal(0, discord.OpenGatewayConnections);
    }

    [Theory]
    [InlineData(4004, "authentication failed")]
    [InlineData(4014, "disallowed intents")]
    public async Task A_fatal_close_code_stops_only_the_discord_adapter(int code, string cause)
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var slack = await Bot.Testing.Slack.FakeSlackServer.StartAsync(new Bot.Testing.Slack.FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        await using var bot = await StartBotAsync(discord, new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = slack.SigningSecret,
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        });
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1, "the shard to be ready");

        await discord.CloseGatewayAsync(code, "fatal");

        var status = bot.Services.GetRequiredService<DiscordGatewayStatus>();
        await Eventually.TrueAsync(() => status.StoppedBecause is not null, "the adapter to stop");
        Assert.Contains(cause, status.StoppedBecause, StringComparison.Ordinal);
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), status.StoppedBecause, StringComparison.Ordinal);
        await Task.Delay(300);
        Assert.Equal(1, discord.GatewayConnectionCount);

        // The rest of the bot carries on: alive, Slack answering, readiness naming the cause.
        Assert.Equal(HttpStatusCode.OK, (await bot.Http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
        using var command = slack.SlashCommand(bot.Url("slack/commands"), "/incident", "balloon");
        using var answer = await bot.Http.SendAsync(command);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("balloon", await answer.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var ready = await bot.Http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains(cause, await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_message_content_intent_is_asked_for_only_when_configured()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.MessageContentIntentEnabled = true;
        await using var bot = await StartBotAsync(discord, new Dictionary<string, string?> { ["Discord:MessageContentIntent"] = "true" });
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1, "the shard to be ready");

        Assert.Equal(1 | 1 << 9 | 1 << 12 | 1 << 15, Assert.Single(discord.Identifies).Intents);
    }

    [Theory]
    [InlineData(4004, true)]
    [InlineData(4010, true)]
    [InlineData(4011, true)]
    [InlineData(4012, true)]
    [InlineData(4013, true)]
    [InlineData(4014, true)]
    [InlineData(4000, false)]
    [InlineData(4007, false)]
    [InlineData(4008, false)]
    [InlineData(4009, false)]
    [InlineData(1006, false)]
    [InlineData(null, false)]
    public void Only_the_documented_fatal_close_codes_stop_the_adapter(int? code, bool fatal)
    {
        Assert.Equal(fatal, GatewayCloseCodes.FatalCause(code) is not null);
        Assert.Equal(code is 4007 or 4009, GatewayCloseCodes.EndsSession(code));
    }

    [Fact]
    public async Task A_token_refused_by_gateway_bot_stops_the_adapter_without_connecting()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.Script("GET", "/gateway/bot", new ScriptedResponse(401, """{"message":"401: Unauthorized","code":0}"""));
        await using var bot = await StartBotAsync(discord);
        var status = bot.Services.GetRequiredService<DiscordGatewayStatus>();

        await Eventually.TrueAsync(() => status.StoppedBecause is not null, "the adapter to stop");
        Assert.Contains("Discord:BotToken", status.StoppedBecause, StringComparison.Ordinal);
        Assert.DoesNotContain(discord.BotToken, status.StoppedBecause, StringComparison.Ordinal);
        Assert.Equal(0, discord.GatewayConnectionCount);
    }

    [Fact]
    public async Task Shards_come_from_gateway_bot_and_each_interaction_reaches_its_guilds_shard()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.GatewayShards = 3;
        discord.MaxConcurrency = 3;
        discord.AddChannel(Channel);
        await using var bot = await StartBotAsync(discord);
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 3, "three shards");

        Assert.Equal([0, 1, 2], discord.Identifies.Select(i => i.ShardId).Order().ToArray());
        Assert.All(discord.Identifies, i => Assert.Equal(3, i.ShardCount));
        var tokens = new List<string>();
        foreach (var guild in new[] { 1UL << 22, 2UL << 22, 3UL << 22 })
        {
            var (_, token, json) = SlashCommand("incident", "name", "balloon", guild.ToString(System.Globalization.CultureInfo.InvariantCulture));
            tokens.Add(token);
            discord.DispatchInteraction(json);
        }

        await Eventually.TrueAsync(() => tokens.All(t => CallbacksFor(discord, t).Count == 1), "answers from every shard");
        Assert.Empty(discord.GatewayProtocolErrors);
    }

    [Fact]
    public async Task A_configured_shard_count_wins_over_the_recommendation()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.GatewayShards = 2;
        discord.MaxConcurrency = 2;
        await using var bot = await StartBotAsync(discord, new Dictionary<string, string?> { ["Discord:ShardCount"] = "2" });
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 2, "two shards");
        var ready = await bot.Http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Contains("2 of 2 shards ready", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
