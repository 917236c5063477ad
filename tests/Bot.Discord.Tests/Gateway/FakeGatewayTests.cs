using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Gateway;

/// <summary>The fake gateway itself, driven by a bare <see cref="ClientWebSocket"/>.</summary>
public sealed class FakeGatewayTests : IAsyncLifetime
{
    private const long GuildsAndMessages = 1 | (1 << 9) | (1 << 12);
    private const long MessageContent = 1 << 15;
    private FakeDiscordServer _discord = null!;
    private readonly List<RawGateway> _clients = [];

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _discord.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _discord.DisposeAsync();
    }

    [Fact]
    public async Task Hello_comes_first_and_a_heartbeat_is_acknowledged()
    {
        var client = await ConnectAsync();

        var hello = await client.ReceiveAsync();
        Assert.Equal(10, hello.GetProperty("op").GetInt32());
        Assert.Equal(500, hello.GetProperty("d").GetProperty("heartbeat_interval").GetInt32());
        Assert.Equal(JsonValueKind.Null, hello.GetProperty("s").ValueKind);
        Assert.Equal(JsonValueKind.Null, hello.GetProperty("t").ValueKind);

        await client.SendAsync("""{"op":1,"d":null}""");
        var ack = await client.ReceiveAsync();
        Assert.Equal(11, ack.GetProperty("op").GetInt32());

        var frame = Assert.Single(_discord.GatewayFrames);
        Assert.Equal((1, "/gateway", 1, (int?)null), (frame.Op, frame.Path, frame.ConnectionId, frame.Shard));
        Assert.Equal(1, _discord.GatewayConnectionCount);
        Assert.Equal(1, _discord.OpenGatewayConnections);
        Assert.Empty(_discord.GatewayProtocolErrors);
    }

    [Fact]
    public async Task Withheld_acks_leave_heartbeats_unanswered_and_a_server_heartbeat_request_is_op_1()
    {
        _discord.WithholdHeartbeatAcks = true;
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        await client.SendAsync("""{"op":1,"d":null}""");
        await _discord.RequestHeartbeatAsync();

        // The op 1 from the server arrives and no op 11 came before it.
        Assert.Equal(1, (await client.ReceiveAsync()).GetProperty("op").GetInt32());
    }

    [Fact]
    public async Task Identify_gets_ready_with_session_and_resume_url()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        var ready = await client.ReceiveAsync();

        Assert.Equal(0, ready.GetProperty("op").GetInt32());
        Assert.Equal("READY", ready.GetProperty("t").GetString());
        Assert.Equal(1, ready.GetProperty("s").GetInt64());
        var d = ready.GetProperty("d");
        Assert.Equal(10, d.GetProperty("v").GetInt32());
        Assert.Equal(_discord.ApplicationId, d.GetProperty("user").GetProperty("id").GetString());
        Assert.True(d.GetProperty("user").GetProperty("bot").GetBoolean());
        Assert.Equal(0, d.GetProperty("guilds").GetArrayLength());
        Assert.False(string.IsNullOrEmpty(d.GetProperty("session_id").GetString()));
        Assert.Equal(_discord.ResumeGatewayUrl.ToString(), d.GetProperty("resume_gateway_url").GetString());
        Assert.EndsWith("/gateway-resume", d.GetProperty("resume_gateway_url").GetString(), StringComparison.Ordinal);
        Assert.Equal("[0,1]", d.GetProperty("shard").GetRawText());
        Assert.Equal(_discord.ApplicationId, d.GetProperty("application").GetProperty("id").GetString());

        var identify = Assert.Single(_discord.Identifies);
        Assert.Equal((0, 1, GuildsAndMessages, 1), (identify.ShardId, identify.ShardCount, identify.Intents, identify.ConnectionId));
        Assert.Equal(1, _discord.IdentifyCount);
        await Eventually.HoldsAsync(() => _discord.ReadyShardCount == 1 ? "ready" : null, "one ready shard");
        Assert.Equal(0, Assert.Single(_discord.GatewayFrames, f => f.Op == 2).Shard);
        Assert.Empty(_discord.GatewayProtocolErrors);
    }

    [Fact]
    public async Task A_wrong_token_is_closed_with_4004()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        await client.SendAsync(Identify("not-the-token", GuildsAndMessages));

        Assert.Equal(4004, await client.ReceiveCloseAsync());
        Assert.Contains("4004", Assert.Single(_discord.GatewayProtocolErrors), StringComparison.Ordinal);
        Assert.Equal(0, _discord.IdentifyCount);
        Assert.Empty(_discord.ClientCloses);
    }

    [Fact]
    public async Task Privileged_intents_need_to_be_enabled()
    {
        var refused = await ConnectAsync();
        await refused.ReceiveAsync();
        await refused.SendAsync(Identify(_discord.BotToken, GuildsAndMessages | MessageContent));
        Assert.Equal(4014, await refused.ReceiveCloseAsync());
        Assert.Single(_discord.GatewayProtocolErrors);

        _discord.MessageContentIntentEnabled = true;
        var accepted = await ConnectAsync();
        await accepted.ReceiveAsync();
        await accepted.SendAsync(Identify(_discord.BotToken, GuildsAndMessages | MessageContent));
        Assert.Equal("READY", (await accepted.ReceiveAsync()).GetProperty("t").GetString());
    }

    [Theory]
    [InlineData("""{"op":2,"d":{"token":"fake-bot-token","intents":"513","properties":{"os":"linux","browser":"b","device":"d"}}}""", 4013)]
    [InlineData("""{"op":2,"d":{"token":"fake-bot-token","intents":262144,"properties":{"os":"linux","browser":"b","device":"d"}}}""", 4013)]
    [InlineData("""{"op":2,"d":{"token":"fake-bot-token","intents":513,"properties":{"os":"linux","browser":"b","device":"d"},"shard":[1,1]}}""", 4010)]
    [InlineData("""{"op":2,"d":{"token":"fake-bot-token","intents":513}}""", 4002)]
    [InlineData("""{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}""", 4003)]
    [InlineData("""{"op":42,"d":null}""", 4001)]
    [InlineData("""{"op":1,"d":""", 4002)]
    public async Task Client_mistakes_get_their_close_code(string payload, int expected)
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        await client.SendAsync(payload);

        Assert.Equal(expected, await client.ReceiveCloseAsync());
        Assert.Single(_discord.GatewayProtocolErrors);
    }

    [Fact]
    public async Task Identifying_twice_on_one_connection_is_4005()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();
        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        await client.ReceiveAsync();

        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));

        Assert.Equal(4005, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Sharding_is_required_when_gateway_bot_says_so()
    {
        _discord.GatewayShards = 2;
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));

        Assert.Equal(4011, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_payload_over_4096_bytes_is_4002_and_split_frames_are_reassembled()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        // One heartbeat in three WebSocket frames is still one payload.
        await client.SendFragmentsAsync("""{"op":""", """1,"d":""", "null}");
        Assert.Equal(11, (await client.ReceiveAsync()).GetProperty("op").GetInt32());

        await client.SendAsync($$"""{"op":1,"d":null,"padding":"{{new string('x', 4100)}}"}""");
        Assert.Equal(4002, await client.ReceiveCloseAsync());
        Assert.Contains("4096", Assert.Single(_discord.GatewayProtocolErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_120_payloads_a_minute_is_4008()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();

        for (var i = 0; i < 120; i++)
        {
            await client.SendAsync("""{"op":1,"d":null}""");
            Assert.Equal(11, (await client.ReceiveAsync()).GetProperty("op").GetInt32());
        }
        await client.SendAsync("""{"op":1,"d":null}""");

        Assert.Equal(4008, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_query_other_than_v10_json_is_refused_with_400()
    {
        var client = new ClientWebSocket();
        _clients.Add(new RawGateway(client));
        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            client.ConnectAsync(new Uri(_discord.GatewayUrl + "?v=9&encoding=json"), CancellationToken.None));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _discord.GatewayConnectionCount);
        Assert.Contains("v=9", Assert.Single(_discord.GatewayProtocolErrors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_dispatched_before_the_bot_connects_follow_ready()
    {
        var seq = _discord.DispatchEvent("GUILD_CREATE", """{"id":"7000000000000000001","name":"Test"}""");
        Assert.Equal(2, seq);

        var client = await ConnectAndIdentifyAsync(GuildsAndMessages);

        var guild = await client.ReceiveAsync();
        Assert.Equal(("GUILD_CREATE", 2L), (guild.GetProperty("t").GetString(), guild.GetProperty("s").GetInt64()));
        Assert.Equal("Test", guild.GetProperty("d").GetProperty("name").GetString());
        Assert.Equal(3, _discord.DispatchEvent("TYPING_START", """{"channel_id":"1"}"""));
        Assert.Equal(3, (await client.ReceiveAsync()).GetProperty("s").GetInt64());
    }

    [Fact]
    public async Task A_dropped_connection_resumes_with_the_missed_events_then_resumed()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();
        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        var sessionId = (await client.ReceiveAsync()).GetProperty("d").GetProperty("session_id").GetString();
        Assert.Equal(2, _discord.DispatchEvent("GUILD_CREATE", """{"id":"1"}"""));
        Assert.Equal(2, (await client.ReceiveAsync()).GetProperty("s").GetInt64());

        await _discord.DropGatewayAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => client.ReceiveAsync());
        Assert.Equal(0, _discord.OpenGatewayConnections);
        Assert.Equal(0, _discord.ReadyShardCount);
        Assert.Equal(3, _discord.DispatchEvent("MISSED_ONE", """{"n":1}"""));
        Assert.Equal(4, _discord.DispatchEvent("MISSED_TWO", """{"n":2}"""));

        var resumed = await ConnectAsync(_discord.ResumeGatewayUrl);
        await resumed.ReceiveAsync();
        await resumed.SendAsync($$$"""{"op":6,"d":{"token":"{{{_discord.BotToken}}}","session_id":"{{{sessionId}}}","seq":2}}""");

        var one = await resumed.ReceiveAsync();
        var two = await resumed.ReceiveAsync();
        var done = await resumed.ReceiveAsync();
        Assert.Equal(("MISSED_ONE", 3L), (one.GetProperty("t").GetString(), one.GetProperty("s").GetInt64()));
        Assert.Equal(("MISSED_TWO", 4L), (two.GetProperty("t").GetString(), two.GetProperty("s").GetInt64()));
        Assert.Equal(("RESUMED", 5L), (done.GetProperty("t").GetString(), done.GetProperty("s").GetInt64()));
        Assert.Equal(1, _discord.ResumeCount);
        Assert.Equal(1, _discord.IdentifyCount);
        Assert.Equal(1, _discord.ReadyShardCount);
        var resume = Assert.Single(_discord.GatewayFrames, f => f.Op == 6);
        Assert.Equal(("/gateway-resume", (int?)0), (resume.Path, resume.Shard));
        Assert.Empty(_discord.GatewayProtocolErrors);

        // The session goes on from where it was.
        Assert.Equal(6, _discord.DispatchEvent("AFTER", "{}"));
        Assert.Equal(6, (await resumed.ReceiveAsync()).GetProperty("s").GetInt64());
    }

    [Fact]
    public async Task A_session_closed_with_1000_cannot_be_resumed()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();
        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        var sessionId = (await client.ReceiveAsync()).GetProperty("d").GetProperty("session_id").GetString();

        await client.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        var close = Assert.Single(_discord.ClientCloses);
        Assert.Equal((1, (int?)0, (int?)1000, "bye"), (close.ConnectionId, close.Shard, close.Code, close.Description));

        var resumed = await ConnectAsync(_discord.ResumeGatewayUrl);
        await resumed.ReceiveAsync();
        await resumed.SendAsync($$$"""{"op":6,"d":{"token":"{{{_discord.BotToken}}}","session_id":"{{{sessionId}}}","seq":1}}""");

        var invalid = await resumed.ReceiveAsync();
        Assert.Equal(9, invalid.GetProperty("op").GetInt32());
        Assert.False(invalid.GetProperty("d").GetBoolean());
        Assert.Equal(0, _discord.ResumeCount);
    }

    [Fact]
    public async Task A_session_closed_with_another_code_stays_resumable()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();
        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        var sessionId = (await client.ReceiveAsync()).GetProperty("d").GetProperty("session_id").GetString();

        await client.Socket.CloseAsync((WebSocketCloseStatus)4000, "zombie", CancellationToken.None);

        var resumed = await ConnectAsync(_discord.ResumeGatewayUrl);
        await resumed.ReceiveAsync();
        await resumed.SendAsync($$$"""{"op":6,"d":{"token":"{{{_discord.BotToken}}}","session_id":"{{{sessionId}}}","seq":1}}""");
        Assert.Equal("RESUMED", (await resumed.ReceiveAsync()).GetProperty("t").GetString());
    }

    [Fact]
    public async Task Server_side_scripts_send_reconnect_invalid_session_and_close()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _discord.GatewayClock = clock;
        var client = await ConnectAndIdentifyAsync(GuildsAndMessages);

        await _discord.SendReconnectAsync();
        Assert.Equal(7, (await client.ReceiveAsync()).GetProperty("op").GetInt32());

        await _discord.SendInvalidSessionAsync(resumable: false, shard: 0);
        var invalid = await client.ReceiveAsync();
        Assert.Equal((9, false), (invalid.GetProperty("op").GetInt32(), invalid.GetProperty("d").GetBoolean()));
        Assert.Equal(0, _discord.ReadyShardCount);
        // Without a session, events wait for the next READY.
        Assert.Equal(2, _discord.DispatchEvent("LATER", "{}"));

        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await ConnectAndIdentifyAsync(GuildsAndMessages);
        Assert.Equal("LATER", (await second.ReceiveAsync()).GetProperty("t").GetString());

        await _discord.CloseGatewayAsync(4000, "unknown error", shard: 0);
        Assert.Equal(4000, await second.ReceiveCloseAsync());
        Assert.Empty(_discord.ClientCloses);
    }

    [Fact]
    public async Task A_resumable_invalid_session_can_be_resumed_on_the_same_connection()
    {
        var client = await ConnectAsync();
        await client.ReceiveAsync();
        await client.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        var sessionId = (await client.ReceiveAsync()).GetProperty("d").GetProperty("session_id").GetString();

        await _discord.SendInvalidSessionAsync(resumable: true);
        var invalid = await client.ReceiveAsync();
        Assert.Equal((9, true), (invalid.GetProperty("op").GetInt32(), invalid.GetProperty("d").GetBoolean()));
        Assert.Equal(0, _discord.ReadyShardCount);
        Assert.Equal(2, _discord.DispatchEvent("WHILE_AWAY", "{}"));

        await client.SendAsync($$$"""{"op":6,"d":{"token":"{{{_discord.BotToken}}}","session_id":"{{{sessionId}}}","seq":1}}""");
        Assert.Equal("WHILE_AWAY", (await client.ReceiveAsync()).GetProperty("t").GetString());
        var resumed = await client.ReceiveAsync();
        Assert.Equal(("RESUMED", 3L), (resumed.GetProperty("t").GetString(), resumed.GetProperty("s").GetInt64()));
        Assert.Equal(1, _discord.ResumeCount);
        Assert.Empty(_discord.GatewayProtocolErrors);
    }

    [Fact]
    public async Task Interactions_go_to_the_shard_of_their_guild_and_their_token_is_registered()
    {
        _discord.GatewayShards = 2;
        _discord.MaxConcurrency = 2;
        var shard0 = await ConnectAndIdentifyAsync(GuildsAndMessages, shard: 0);
        var shard1 = await ConnectAndIdentifyAsync(GuildsAndMessages, shard: 1);
        await Eventually.HoldsAsync(() => _discord.ReadyShardCount == 2 ? "ready" : null, "two ready shards");

        const ulong guild = (12345UL << 22) | 99; // (guild >> 22) % 2 == 1
        var inGuild = $$$"""{"id":"900","application_id":"{{{_discord.ApplicationId}}}","type":2,"token":"gw-token-1","guild_id":"{{{guild}}}","channel_id":"5","data":{"name":"ping"}}""";
        var inDm = $$$"""{"id":"901","application_id":"{{{_discord.ApplicationId}}}","type":2,"token":"gw-token-2","channel_id":"6","data":{"name":"ping"}}""";

        Assert.Equal(2, _discord.DispatchInteraction(inGuild));
        Assert.Equal(2, _discord.DispatchInteraction(inDm));

        var first = await shard1.ReceiveAsync();
        Assert.Equal(("INTERACTION_CREATE", "gw-token-1"), (first.GetProperty("t").GetString(), first.GetProperty("d").GetProperty("token").GetString()));
        var second = await shard0.ReceiveAsync();
        Assert.Equal("gw-token-2", second.GetProperty("d").GetProperty("token").GetString());
        Assert.Equal(204, _discord.AcceptHttpResponse("gw-token-1", """{"type":5}"""));
        Assert.Equal(new[] { 0, 1 }, _discord.Identifies.Select(i => i.ShardId).Order());
    }

    [Fact]
    public async Task A_second_identify_within_5_seconds_in_one_bucket_gets_op_9()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _discord.GatewayClock = clock;
        await ConnectAndIdentifyAsync(GuildsAndMessages);

        clock.Advance(TimeSpan.FromSeconds(4.9));
        var early = await ConnectAsync();
        await early.ReceiveAsync();
        await early.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        var invalid = await early.ReceiveAsync();
        Assert.Equal((9, false), (invalid.GetProperty("op").GetInt32(), invalid.GetProperty("d").GetBoolean()));
        Assert.Contains("bucket 0", Assert.Single(_discord.GatewayProtocolErrors), StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        await early.SendAsync(Identify(_discord.BotToken, GuildsAndMessages));
        Assert.Equal("READY", (await early.ReceiveAsync()).GetProperty("t").GetString());
        Assert.Equal(2, _discord.IdentifyCount);
        Assert.Equal(clock.GetUtcNow(), _discord.Identifies[1].At);
    }

    [Fact]
    public async Task Message_create_hides_content_without_the_intent_unless_the_bot_is_mentioned()
    {
        var client = await ConnectAndIdentifyAsync(GuildsAndMessages);

        _discord.DispatchMessageCreate("5", "7000000000000000001", "42", "just chatting", mentionsBot: false);
        _discord.DispatchMessageCreate("5", "7000000000000000001", "42", $"<@{_discord.ApplicationId}> digest", mentionsBot: true);
        _discord.DispatchMessageCreate("6", null, "42", "a DM", mentionsBot: false);

        var hidden = (await client.ReceiveAsync()).GetProperty("d");
        Assert.Equal("", hidden.GetProperty("content").GetString());
        Assert.Equal("7000000000000000001", hidden.GetProperty("guild_id").GetString());
        Assert.Equal("42", hidden.GetProperty("author").GetProperty("id").GetString());
        var mention = (await client.ReceiveAsync()).GetProperty("d");
        Assert.Equal($"<@{_discord.ApplicationId}> digest", mention.GetProperty("content").GetString());
        Assert.Equal(_discord.ApplicationId, Assert.Single(mention.GetProperty("mentions").EnumerateArray()).GetProperty("id").GetString());
        var dm = (await client.ReceiveAsync()).GetProperty("d");
        Assert.Equal("a DM", dm.GetProperty("content").GetString());
        Assert.False(dm.TryGetProperty("guild_id", out _));
    }

    [Fact]
    public async Task A_reply_keeps_its_message_reference()
    {
        _discord.AddChannel("5");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_discord.ApiBaseUrl, "channels/5/messages"))
        {
            Content = new StringContent("""{"content":"hi","message_reference":{"message_id":"123","fail_if_not_exists":false}}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _discord.BotToken);
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.invalid, 1.0)");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Assert.Single(_discord.Messages).Id;
        var stored = _discord.GetMessage(id)!.Value;
        var reference = stored.GetProperty("message_reference");
        Assert.Equal("123", reference.GetProperty("message_id").GetString());
        Assert.False(reference.GetProperty("fail_if_not_exists").GetBoolean());
        Assert.Equal("5", reference.GetProperty("channel_id").GetString());
        Assert.Equal(19, stored.GetProperty("type").GetInt32());
    }

    [Fact]
    public async Task Gateway_bot_reports_the_configured_shards_and_concurrency()
    {
        _discord.GatewayShards = 4;
        _discord.MaxConcurrency = 2;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_discord.ApiBaseUrl, "gateway/bot"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _discord.BotToken);
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.invalid, 1.0)");

        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(4, body.RootElement.GetProperty("shards").GetInt32());
        Assert.Equal(2, body.RootElement.GetProperty("session_start_limit").GetProperty("max_concurrency").GetInt32());
        Assert.Equal(_discord.GatewayUrl.ToString(), body.RootElement.GetProperty("url").GetString());
    }

    private static string Identify(string token, long intents, int? shard = null, int shards = 2)
    {
        var d = new Dictionary<string, object>
        {
            ["token"] = token,
            ["intents"] = intents,
            ["properties"] = new { os = "linux", browser = "test", device = "test" },
        };
        if (shard is { } id) d["shard"] = new[] { id, shards };
        return JsonSerializer.Serialize(new { op = 2, d });
    }

    private async Task<RawGateway> ConnectAsync(Uri? url = null)
    {
        var socket = new ClientWebSocket();
        var client = new RawGateway(socket);
        _clients.Add(client);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new Uri((url ?? _discord.GatewayUrl) + "?v=10&encoding=json"), timeout.Token);
        return client;
    }

    private async Task<RawGateway> ConnectAndIdentifyAsync(long intents, int? shard = null)
    {
        var client = await ConnectAsync();
        Assert.Equal(10, (await client.ReceiveAsync()).GetProperty("op").GetInt32());
        await client.SendAsync(Identify(_discord.BotToken, intents, shard));
        Assert.Equal("READY", (await client.ReceiveAsync()).GetProperty("t").GetString());
        return client;
    }

    /// <summary>A bare gateway client: whole text messages in, JSON out, with a timeout on every read.</summary>
    private sealed class RawGateway(ClientWebSocket socket) : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

        public ClientWebSocket Socket { get; } = socket;

        public Task SendAsync(string json) =>
            Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

        public async Task SendFragmentsAsync(params string[] parts)
        {
            for (var i = 0; i < parts.Length; i++)
                await Socket.SendAsync(Encoding.UTF8.GetBytes(parts[i]), WebSocketMessageType.Text, i == parts.Length - 1, CancellationToken.None);
        }

        public async Task<JsonElement> ReceiveAsync()
        {
            var (type, text) = await ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
                throw new InvalidOperationException($"closed with {(int?)Socket.CloseStatus} {Socket.CloseStatusDescription}");
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }

        /// <summary>Reads until the server's close frame, answers it, and returns its code.</summary>
        public async Task<int?> ReceiveCloseAsync()
        {
            while (true)
            {
                var (type, _) = await ReceiveMessageAsync();
                if (type != WebSocketMessageType.Close) continue;
                var code = (int?)Socket.CloseStatus;
                await Socket.CloseOutputAsync(Socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                return code;
            }
        }

        private async Task<(WebSocketMessageType Type, string Text)> ReceiveMessageAsync()
        {
            using var timeout = new CancellationTokenSource(Timeout);
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            while (true)
            {
                var result = await Socket.ReceiveAsync(chunk, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close) return (result.MessageType, "");
                buffer.Write(chunk, 0, result.Count);
                if (result.EndOfMessage) return (result.MessageType, Encoding.UTF8.GetString(buffer.ToArray()));
            }
        }

        public void Dispose() => Socket.Dispose();
    }
}
