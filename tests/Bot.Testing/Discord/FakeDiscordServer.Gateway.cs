using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Discord;

/// <summary>
/// Discord's gateway (reference section 8) on the same loopback port: HELLO, heartbeats, IDENTIFY
/// with its checks and rate limit, READY, per-session sequence numbers, dispatch logs replayed on
/// RESUME, close codes for client mistakes. Tests push events and script server-side behaviour
/// (op 1/7/9, closes, drops). Each connection has one writer task fed through a channel, so frames
/// leave in the order they were queued under <c>_gate</c>.
/// </summary>
public sealed partial class FakeDiscordServer
{
    private const string GatewayPath = "/gateway";
    private const string GatewayResumePath = "/gateway-resume";
    private const int MaxGatewayPayloadBytes = 4096;
    private const int GatewayPayloadLimit = 120;
    private const long GuildMembersIntent = 1L << 1;
    private const long GuildPresencesIntent = 1L << 8;
    private const long GuildMessagesIntent = 1L << 9;
    private const long DirectMessagesIntent = 1L << 12;
    private const long MessageContentIntent = 1L << 15;
    private const long PrivilegedIntents = GuildMembersIntent | GuildPresencesIntent | MessageContentIntent;
    // Bits 0-16, 20, 21, 24 and 25 are the intents Discord defines; anything else is 4013.
    private const long KnownIntents = ((1L << 17) - 1) | (1L << 20) | (1L << 21) | (1L << 24) | (1L << 25);
    private static readonly TimeSpan GatewayPayloadWindow = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdentifyWindow = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan GatewayWaitTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<int, GatewayConnection> _gatewayConnections = [];
    private readonly Dictionary<string, GatewaySession> _gatewaySessions = new(StringComparer.Ordinal);
    private readonly Dictionary<int, GatewaySession> _shardSessions = [];
    private readonly Dictionary<int, List<PendingDispatch>> _pendingDispatches = [];
    private readonly Dictionary<int, DateTimeOffset> _lastIdentifyByBucket = [];
    private readonly List<GatewayFrame> _gatewayFrames = [];
    private readonly List<GatewayIdentify> _identifies = [];
    private readonly List<GatewayClientClose> _clientCloses = [];
    private readonly List<string> _gatewayProtocolErrors = [];
    private int _gatewayConnectionCount;
    private int _resumeCount;
    private int _gatewayShards = 1;
    private int _maxConcurrency = 1;
    private TimeSpan _heartbeatInterval = TimeSpan.FromMilliseconds(41250);
    private bool _messageContentIntentEnabled;
    private bool _withholdHeartbeatAcks;
    private TimeProvider _gatewayClock = TimeProvider.System;

    /// <summary>Sent in READY as <c>resume_gateway_url</c>; the client adds <c>?v=10&amp;encoding=json</c>.</summary>
    public Uri ResumeGatewayUrl => new($"ws://127.0.0.1:{_port}{GatewayResumePath}");

    /// <summary><c>shards</c> of <c>GET /gateway/bot</c>; IDENTIFY must use exactly this shard count.</summary>
    public int GatewayShards
    {
        get { lock (_gate) return _gatewayShards; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            lock (_gate) _gatewayShards = value;
        }
    }

    /// <summary><c>session_start_limit.max_concurrency</c>: identify buckets, each allowed one IDENTIFY per 5 s.</summary>
    public int MaxConcurrency
    {
        get { lock (_gate) return _maxConcurrency; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            lock (_gate) _maxConcurrency = value;
        }
    }

    /// <summary>HELLO's <c>heartbeat_interval</c> (whole milliseconds).</summary>
    public TimeSpan HeartbeatInterval
    {
        get { lock (_gate) return _heartbeatInterval; }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1));
            lock (_gate) _heartbeatInterval = value;
        }
    }

    /// <summary>Whether the privileged intents (GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT) are switched on; otherwise asking for one is 4014.</summary>
    public bool MessageContentIntentEnabled
    {
        get { lock (_gate) return _messageContentIntentEnabled; }
        set { lock (_gate) _messageContentIntentEnabled = value; }
    }

    /// <summary>When true, heartbeats (op 1) from the client get no op 11, so the client should see a zombie connection.</summary>
    public bool WithholdHeartbeatAcks
    {
        get { lock (_gate) return _withholdHeartbeatAcks; }
        set { lock (_gate) _withholdHeartbeatAcks = value; }
    }

    /// <summary>The clock for the identify rate limit, the 120-payloads-per-60-s limit and the recorded times.</summary>
    public TimeProvider GatewayClock
    {
        get { lock (_gate) return _gatewayClock; }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate) _gatewayClock = value;
        }
    }

    /// <summary>Every payload the client sent, in arrival order.</summary>
    public IReadOnlyList<GatewayFrame> GatewayFrames
    {
        get { lock (_gate) return [.. _gatewayFrames]; }
    }

    /// <summary>Accepted IDENTIFYs (the ones answered with READY).</summary>
    public IReadOnlyList<GatewayIdentify> Identifies
    {
        get { lock (_gate) return [.. _identifies]; }
    }

    public int IdentifyCount
    {
        get { lock (_gate) return _identifies.Count; }
    }

    /// <summary>Accepted RESUMEs (the ones answered with RESUMED).</summary>
    public int ResumeCount
    {
        get { lock (_gate) return _resumeCount; }
    }

    /// <summary>WebSocket connections accepted so far (refused handshakes not included).</summary>
    public int GatewayConnectionCount
    {
        get { lock (_gate) return _gatewayConnectionCount; }
    }

    public int OpenGatewayConnections
    {
        get { lock (_gate) return _gatewayConnections.Count; }
    }

    /// <summary>Close frames the client sent first (see <see cref="GatewayClientClose"/>).</summary>
    public IReadOnlyList<GatewayClientClose> ClientCloses
    {
        get { lock (_gate) return [.. _clientCloses]; }
    }

    /// <summary>Shards whose current session has an open connection that identified or resumed it.</summary>
    public int ReadyShardCount
    {
        get { lock (_gate) return _shardSessions.Values.Count(s => s.Connection is not null); }
    }

    /// <summary>
    /// One line per client mistake: a refused handshake (bad query), a connection closed with
    /// 4001/4002/4003/4004/4005/4007/4008/4010/4011/4013/4014, or an IDENTIFY over the rate limit (op 9).
    /// A well-behaved client leaves this empty.
    /// </summary>
    public IReadOnlyList<string> GatewayProtocolErrors
    {
        get { lock (_gate) return [.. _gatewayProtocolErrors]; }
    }

    /// <summary>
    /// Registers the interaction's token (as <see cref="CreateSignedInteraction"/> does) and sends
    /// INTERACTION_CREATE to shard <c>(guild_id &gt;&gt; 22) % GatewayShards</c>, or shard 0 without a guild.
    /// </summary>
    /// <returns>The sequence number (predicted, if the shard has no session yet: see <see cref="DispatchEvent"/>).</returns>
    public long DispatchInteraction(string interactionJson)
    {
        var data = ParseData(interactionJson, nameof(interactionJson));
        TrackInteraction(Encoding.UTF8.GetBytes(interactionJson));
        lock (_gate)
            return Dispatch(ShardFor(JsonBits.String(data, "guild_id")), new PendingDispatch("INTERACTION_CREATE", data.GetRawText(), null));
    }

    /// <summary>
    /// Sends dispatch <paramref name="eventName"/> with <paramref name="dataJson"/> as <c>d</c> to a shard.
    /// With a session for the shard, it takes the session's next sequence number and joins its log
    /// (delivered now if a connection is on it, otherwise replayed on RESUME). Without one, it waits
    /// for the shard's next READY and the returned number is the one it will get then (READY is 1,
    /// queued events follow in order; a queued MESSAGE_CREATE the new session lacks the intent for is
    /// dropped, which shifts the ones after it).
    /// </summary>
    public long DispatchEvent(string eventName, string dataJson, int shard = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        var data = ParseData(dataJson, nameof(dataJson));
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(shard);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard, _gatewayShards);
            return Dispatch(shard, new PendingDispatch(eventName, data.GetRawText(), null));
        }
    }

    /// <summary>
    /// A user's message as MESSAGE_CREATE, with a new snowflake id. As on Discord, it reaches only a
    /// session that asked for GUILD_MESSAGES (guild) or DIRECT_MESSAGES (DM), and its content, embeds,
    /// attachments and components are empty unless the session asked for MESSAGE_CONTENT, the bot is
    /// mentioned or it is a DM.
    /// </summary>
    /// <returns>The sequence number, or 0 when the current session does not receive the event (missing intent).</returns>
    public long DispatchMessageCreate(string channelId, string? guildId, string authorId, string content, bool mentionsBot)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        ArgumentException.ThrowIfNullOrEmpty(authorId);
        ArgumentNullException.ThrowIfNull(content);
        lock (_gate)
        {
            var message = new JsonObject
            {
                ["id"] = NewSnowflake(),
                ["type"] = 0,
                ["channel_id"] = channelId,
                ["author"] = new JsonObject
                {
                    ["id"] = authorId,
                    ["username"] = authorId == ApplicationId ? "FakeBot" : "user" + authorId[^Math.Min(4, authorId.Length)..],
                    ["discriminator"] = "0",
                    ["global_name"] = null,
                    ["avatar"] = null,
                },
                ["content"] = content,
                ["embeds"] = new JsonArray(),
                ["attachments"] = new JsonArray(),
                ["components"] = new JsonArray(),
                ["mentions"] = mentionsBot ? new JsonArray(BotUser()) : new JsonArray(),
                ["mention_roles"] = new JsonArray(),
                ["mention_everyone"] = false,
                ["pinned"] = false,
                ["tts"] = false,
                ["flags"] = 0,
                ["timestamp"] = Timestamp(),
                ["edited_timestamp"] = null,
                ["channel_type"] = guildId is null ? 1 : 0,
            };
            if (authorId == ApplicationId) ((JsonObject)message["author"]!)["bot"] = true;
            if (guildId is not null)
            {
                message["guild_id"] = guildId;
                message["member"] = new JsonObject { ["roles"] = new JsonArray(), ["joined_at"] = Timestamp(), ["deaf"] = false, ["mute"] = false };
            }
            var rules = new MessageVisibility(guildId is not null, mentionsBot || authorId == ApplicationId);
            return Dispatch(ShardFor(guildId), new PendingDispatch("MESSAGE_CREATE", message.ToJsonString(), rules));
        }
    }

    /// <summary>Aborts the TCP connection(s) without a close frame: all, or those serving <paramref name="shard"/>. Sessions stay resumable.</summary>
    public Task DropGatewayAsync(int? shard = null)
    {
        List<GatewayConnection> targets;
        lock (_gate)
        {
            targets = Targets(shard);
            foreach (var connection in targets)
            {
                connection.Ending = true;
                Detach(connection);
                connection.Enqueue(Outgoing.AbortConnection());
            }
        }
        return WaitFinishedAsync(targets);
    }

    /// <summary>
    /// Sends a close frame with <paramref name="closeCode"/>: all connections, or those serving
    /// <paramref name="shard"/>. 4007 and 4009 also end the session (as on Discord: a new one is needed);
    /// other codes leave it resumable.
    /// </summary>
    public Task CloseGatewayAsync(int closeCode, string reason = "", int? shard = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(closeCode, 1000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(closeCode, 4999);
        List<Task> sent = [];
        lock (_gate)
        {
            foreach (var connection in Targets(shard))
            {
                if (closeCode is 4007 or 4009 && connection.Session is { } session && session.Connection == connection) Discard(session);
                if (BeginServerClose(connection, closeCode, reason) is { } done) sent.Add(done);
            }
        }
        return WhenAllWithTimeoutAsync(sent);
    }

    /// <summary>Op 7 Reconnect: the client should reconnect and resume.</summary>
    public Task SendReconnectAsync(int? shard = null) => SendToTargetsAsync(shard, """{"op":7,"d":null,"s":null,"t":null}""", null);

    /// <summary>
    /// Op 9 Invalid Session to all connections or those serving <paramref name="shard"/>. Each goes
    /// back to unauthenticated (it may send IDENTIFY or RESUME again). When <paramref name="resumable"/>
    /// is false the session is discarded: that shard's, or every shard's when <paramref name="shard"/> is null.
    /// </summary>
    public Task SendInvalidSessionAsync(bool resumable, int? shard = null)
    {
        var frame = resumable ? """{"op":9,"d":true,"s":null,"t":null}""" : """{"op":9,"d":false,"s":null,"t":null}""";
        return SendToTargetsAsync(shard, frame, connection =>
        {
            var session = connection.Session;
            Detach(connection);
            if (!resumable && session is not null) Discard(session);
        }, afterAll: () =>
        {
            if (resumable) return;
            foreach (var session in _shardSessions.Values.Where(s => shard is null || s.Shard == shard).ToList())
                Discard(session);
        });
    }

    /// <summary>
    /// Sends <paramref name="frame"/> as it is, as one text message: for frames Discord would never
    /// send (not JSON, wrong shapes). It takes no sequence number and joins no session log.
    /// </summary>
    public Task SendRawGatewayFrameAsync(string frame, int? shard = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return SendToTargetsAsync(shard, frame, null);
    }

    /// <summary>Op 1 from the server: the client must send a heartbeat at once.</summary>
    public Task RequestHeartbeatAsync(int? shard = null) => SendToTargetsAsync(shard, """{"op":1,"d":null,"s":null,"t":null}""", null);

    private static bool IsGatewayRequest(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest
        && (context.Request.Path.Equals(GatewayPath, StringComparison.Ordinal) || context.Request.Path.Equals(GatewayResumePath, StringComparison.Ordinal));

    /// <summary>When true, handshakes on the resume address get 503, as a resume host that has gone away would.</summary>
    public bool ResumeAddressDown { get; set; }

    private async Task GatewayAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (ResumeAddressDown && path == GatewayResumePath)
        {
            context.Response.StatusCode = 503;
            return;
        }

        if (QueryProblem(context.Request) is { } problem)
        {
            lock (_gate) _gatewayProtocolErrors.Add($"refused gateway handshake on {path}{context.Request.QueryString}: {problem}");
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["code"] = 0, ["message"] = problem }.ToJsonString(), context.RequestAborted);
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync();
        GatewayConnection connection;
        lock (_gate)
        {
            connection = new GatewayConnection(++_gatewayConnectionCount, path, socket, context);
            _gatewayConnections.Add(connection.Id, connection);
            var interval = (long)Math.Max(1, _heartbeatInterval.TotalMilliseconds);
            connection.Enqueue(Outgoing.Text($$"""{"op":10,"d":{"heartbeat_interval":{{interval}}},"s":null,"t":null}"""));
        }

        using var receiveCancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        lock (_gate) connection.ReceiveCancel = receiveCancel;
        var writer = Task.Run(() => WriteGatewayAsync(connection));
        try
        {
            await ReceiveGatewayAsync(connection, receiveCancel.Token);
        }
        finally
        {
            lock (_gate)
            {
                connection.ReceiveCancel = null;
                connection.Ending = true;
                Detach(connection);
                _gatewayConnections.Remove(connection.Id);
                connection.Outbox.Writer.TryComplete();
            }
            await writer;
            socket.Dispose();
            connection.Finished.TrySetResult();
        }
    }

    private static string? QueryProblem(HttpRequest request)
    {
        var query = request.Query;
        if (query.Count != 2 || !query.ContainsKey("v") || !query.ContainsKey("encoding"))
            return "the query must be exactly ?v=10&encoding=json";
        if (query["v"].Count != 1 || query["v"].ToString() != "10")
            return "invalid API version (expected v=10)";
        if (query["encoding"].Count != 1 || query["encoding"].ToString() != "json")
            return "invalid encoding (expected encoding=json)";
        return null;
    }

    private async Task ReceiveGatewayAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var socket = connection.Socket;
        var chunk = new byte[MaxGatewayPayloadBytes + 1];
        var message = new ArrayBufferWriter<byte>(MaxGatewayPayloadBytes + 1);
        var tooLong = false;
        while (true)
        {
            ValueWebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                return;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                lock (_gate) ClientClosed(connection, (int?)socket.CloseStatus, socket.CloseStatusDescription);
                return;
            }

            // Once the server has closed (or dropped) the connection, anything still arriving is ignored.
            bool ending;
            lock (_gate) ending = connection.Ending;
            if (ending)
            {
                message.Clear();
                continue;
            }

            if (!tooLong)
            {
                var room = MaxGatewayPayloadBytes + 1 - message.WrittenCount;
                message.Write(chunk.AsSpan(0, Math.Min(room, received.Count)));
                tooLong = message.WrittenCount > MaxGatewayPayloadBytes;
            }
            if (!received.EndOfMessage && !tooLong) continue;

            var payload = message.WrittenSpan.ToArray();
            message.Clear();
            lock (_gate)
            {
                if (tooLong) Oversized(connection, payload);
                else HandlePayload(connection, payload);
            }
            tooLong = false;
        }
    }

    private async Task WriteGatewayAsync(GatewayConnection connection)
    {
        var socket = connection.Socket;
        var cancellationToken = connection.Context.RequestAborted;
        var finished = false;
        await foreach (var item in connection.Outbox.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (finished) continue;
                if (item.Abort)
                {
                    finished = true;
                    connection.Context.Abort();
                }
                else if (item.CloseCode is { } code)
                {
                    finished = true;
                    if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync((WebSocketCloseStatus)code, item.Payload, cancellationToken);
                    // The client has a moment to answer with its own close frame; then the connection is cut.
                    lock (_gate) connection.ReceiveCancel?.CancelAfter(CloseHandshakeTimeout);
                }
                else if (socket.State == WebSocketState.Open)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(item.Payload!), WebSocketMessageType.Text, true, cancellationToken);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                finished = true;
            }
            finally
            {
                item.Done.TrySetResult();
            }
        }
    }

    private void Oversized(GatewayConnection connection, byte[] payload)
    {
        var now = _gatewayClock.GetUtcNow();
        var text = Encoding.UTF8.GetString(payload, 0, MaxGatewayPayloadBytes);
        _gatewayFrames.Add(new GatewayFrame(connection.Id, connection.AuthenticatedShard, connection.Path, -1, text, now));
        ProtocolError(connection, 4002, "Decode error", $"payload over {MaxGatewayPayloadBytes} bytes");
    }

    private void HandlePayload(GatewayConnection connection, byte[] payload)
    {
        var now = _gatewayClock.GetUtcNow();
        var text = Encoding.UTF8.GetString(payload);
        var parsed = JsonBits.TryParse(payload, out var root);
        var op = parsed && JsonBits.Integer(root, "op") is { } number && number is >= int.MinValue and <= int.MaxValue ? (int)number : -1;
        var frameIndex = _gatewayFrames.Count;
        _gatewayFrames.Add(new GatewayFrame(connection.Id, connection.AuthenticatedShard, connection.Path, op, text, now));

        while (connection.PayloadTimes.Count > 0 && now - connection.PayloadTimes.Peek() >= GatewayPayloadWindow)
            connection.PayloadTimes.Dequeue();
        connection.PayloadTimes.Enqueue(now);
        if (connection.PayloadTimes.Count > GatewayPayloadLimit)
        {
            ProtocolError(connection, 4008, "Rate limited.", $"more than {GatewayPayloadLimit} payloads in 60 s");
            return;
        }

        if (!parsed)
        {
            ProtocolError(connection, 4002, "Error while decoding payload.", "payload is not valid JSON");
            return;
        }
        if (root.ValueKind != JsonValueKind.Object || op < 0)
        {
            ProtocolError(connection, 4002, "Error while decoding payload.", "payload is not an object with an integer op");
            return;
        }

        JsonBits.TryGet(root, "d", out var data);
        switch (op)
        {
            case 1:
                if (!_withholdHeartbeatAcks) connection.Enqueue(Outgoing.Text("""{"op":11,"d":null,"s":null,"t":null}"""));
                break;
            case 2 or 6 when connection.Authenticated:
                ProtocolError(connection, 4005, "Already authenticated.", $"op {op} on a connection that already identified or resumed");
                break;
            case 2:
                if (Identify(connection, data, now)) _gatewayFrames[frameIndex] = _gatewayFrames[frameIndex] with { Shard = connection.AuthenticatedShard };
                break;
            case 6:
                if (Resume(connection, data)) _gatewayFrames[frameIndex] = _gatewayFrames[frameIndex] with { Shard = connection.AuthenticatedShard };
                break;
            case 3 or 4 or 8:
                if (!connection.Authenticated)
                    ProtocolError(connection, 4003, "Not authenticated.", $"op {op} before IDENTIFY or RESUME");
                break;
            default:
                ProtocolError(connection, 4001, "Unknown opcode.", $"op {op} is not one a client may send");
                break;
        }
    }

    private bool Identify(GatewayConnection connection, JsonElement data, DateTimeOffset now)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return ProtocolError(connection, 4002, "Error while decoding payload.", "IDENTIFY d is not an object");
        if (JsonBits.String(data, "token") != BotToken)
            return ProtocolError(connection, 4004, "Authentication failed.", "IDENTIFY with a wrong token");

        if (!JsonBits.TryGet(data, "intents", out var intentsElement) || intentsElement.ValueKind != JsonValueKind.Number
            || !intentsElement.TryGetInt64(out var intents) || intents < 0 || (intents & ~KnownIntents) != 0)
            return ProtocolError(connection, 4013, "Invalid intent(s).", $"IDENTIFY intents {(intentsElement.ValueKind == JsonValueKind.Undefined ? "missing" : intentsElement.GetRawText())}");
        if ((intents & PrivilegedIntents) != 0 && !_messageContentIntentEnabled)
            return ProtocolError(connection, 4014, "Disallowed intent(s).", $"IDENTIFY asks for privileged intents ({intents & PrivilegedIntents}) that are not enabled");

        if (!JsonBits.TryObject(data, "properties", out var properties)
            || JsonBits.String(properties, "os") is null || JsonBits.String(properties, "browser") is null || JsonBits.String(properties, "device") is null)
            return ProtocolError(connection, 4002, "Error while decoding payload.", "IDENTIFY properties must hold the strings os, browser and device");

        int shardId, shardCount;
        if (JsonBits.TryGet(data, "shard", out var shard) && shard.ValueKind != JsonValueKind.Null)
        {
            if (shard.ValueKind != JsonValueKind.Array || shard.GetArrayLength() != 2
                || shard[0].ValueKind != JsonValueKind.Number || !shard[0].TryGetInt32(out shardId)
                || shard[1].ValueKind != JsonValueKind.Number || !shard[1].TryGetInt32(out shardCount))
                return ProtocolError(connection, 4002, "Error while decoding payload.", "IDENTIFY shard must be [shard_id, num_shards]");
            if (shardCount <= 0 || shardId < 0 || shardId >= shardCount)
                return ProtocolError(connection, 4010, "Invalid shard.", $"IDENTIFY shard [{shardId},{shardCount}]");
            if (shardCount != _gatewayShards)
                return ProtocolError(connection, 4010, "Invalid shard.", $"IDENTIFY shard count {shardCount}, but /gateway/bot says {_gatewayShards}");
        }
        else
        {
            if (_gatewayShards > 1)
                return ProtocolError(connection, 4011, "Sharding required.", $"IDENTIFY without shard while {_gatewayShards} shards are required");
            (shardId, shardCount) = (0, 1);
        }

        var bucket = shardId % _maxConcurrency;
        if (_lastIdentifyByBucket.TryGetValue(bucket, out var last) && now - last < IdentifyWindow)
        {
            _gatewayProtocolErrors.Add(
                $"connection {connection.Id} ({connection.Path}): op 9 for IDENTIFY of shard {shardId} (bucket {bucket}) {(now - last).TotalMilliseconds:0} ms after the previous one; at most one per bucket per 5 s");
            connection.Enqueue(Outgoing.Text("""{"op":9,"d":false,"s":null,"t":null}"""));
            return false;
        }
        _lastIdentifyByBucket[bucket] = now;

        if (_shardSessions.TryGetValue(shardId, out var previous))
        {
            // A new session replaces the shard's old one; its undelivered events are lost, and a connection still on it is cut.
            if (previous.Connection is { } old && old != connection)
            {
                old.Ending = true;
                Detach(old);
                old.Enqueue(Outgoing.AbortConnection());
            }
            Discard(previous);
        }
        var session = new GatewaySession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), shardId, shardCount, intents);
        _gatewaySessions.Add(session.Id, session);
        _shardSessions[shardId] = session;
        Attach(connection, session);
        _identifies.Add(new GatewayIdentify(connection.Id, shardId, shardCount, intents, now));

        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = BotUser(),
            ["guilds"] = new JsonArray(),
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = ResumeGatewayUrl.ToString(),
            ["shard"] = new JsonArray(shardId, shardCount),
            ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
        };
        Append(session, "READY", ready.ToJsonString());
        if (_pendingDispatches.Remove(shardId, out var pending))
            foreach (var dispatch in pending)
                Deliver(session, dispatch);
        return true;
    }

    private bool Resume(GatewayConnection connection, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return ProtocolError(connection, 4002, "Error while decoding payload.", "RESUME d is not an object");
        if (JsonBits.String(data, "token") != BotToken)
            return ProtocolError(connection, 4004, "Authentication failed.", "RESUME with a wrong token");
        if (JsonBits.String(data, "session_id") is not { } sessionId || JsonBits.Integer(data, "seq") is not { } seq)
            return ProtocolError(connection, 4002, "Error while decoding payload.", "RESUME needs a string session_id and an integer seq");

        if (!_gatewaySessions.TryGetValue(sessionId, out var session))
        {
            connection.Enqueue(Outgoing.Text("""{"op":9,"d":false,"s":null,"t":null}"""));
            return false;
        }
        if (seq < 0 || seq > session.Sequence)
            return ProtocolError(connection, 4007, "Invalid seq.", $"RESUME with seq {seq}; the session's last is {session.Sequence}");

        if (session.Connection is { } old && old != connection)
        {
            old.Ending = true;
            Detach(old);
            old.Enqueue(Outgoing.AbortConnection());
        }
        Attach(connection, session);
        foreach (var (logged, frame) in session.Log)
            if (logged > seq)
                connection.Enqueue(Outgoing.Text(frame));
        Append(session, "RESUMED", "{}");
        _resumeCount++;
        return true;
    }

    private void ClientClosed(GatewayConnection connection, int? code, string? description)
    {
        if (connection.Ending) return;
        _clientCloses.Add(new GatewayClientClose(connection.Id, connection.AuthenticatedShard, code, description));
        // 1000 and 1001 end the session (the bot goes offline); any other code leaves it resumable.
        if (code is 1000 or 1001 && connection.Session is { } session && session.Connection == connection) Discard(session);
        BeginServerClose(connection, code ?? (int)WebSocketCloseStatus.NormalClosure, "");
    }

    private bool ProtocolError(GatewayConnection connection, int code, string reason, string detail)
    {
        _gatewayProtocolErrors.Add($"connection {connection.Id} ({connection.Path}): {code} {detail}");
        BeginServerClose(connection, code, reason);
        return false;
    }

    /// <summary>Queues a close frame (once per connection); the connection stops taking payloads and leaves its session.</summary>
    private static Task? BeginServerClose(GatewayConnection connection, int code, string reason)
    {
        if (connection.Ending) return null;
        connection.Ending = true;
        Detach(connection);
        var close = Outgoing.Close(code, Truncate(reason));
        connection.Enqueue(close);
        return close.Done.Task;
    }

    private static string Truncate(string reason)
    {
        // A close reason may hold at most 123 bytes of UTF-8.
        while (Encoding.UTF8.GetByteCount(reason) > 123) reason = reason[..^1];
        return reason;
    }

    private static void Attach(GatewayConnection connection, GatewaySession session)
    {
        connection.Authenticated = true;
        connection.Session = session;
        session.Connection = connection;
    }

    private static void Detach(GatewayConnection connection)
    {
        if (connection.Session is { } session && session.Connection == connection) session.Connection = null;
        connection.Authenticated = false;
    }

    private void Discard(GatewaySession session)
    {
        _gatewaySessions.Remove(session.Id);
        if (_shardSessions.TryGetValue(session.Shard, out var current) && current == session) _shardSessions.Remove(session.Shard);
        if (session.Connection is { } connection)
        {
            connection.Authenticated = false;
            session.Connection = null;
        }
    }

    private long Dispatch(int shard, PendingDispatch dispatch)
    {
        if (_shardSessions.TryGetValue(shard, out var session)) return Deliver(session, dispatch);
        if (!_pendingDispatches.TryGetValue(shard, out var pending))
        {
            pending = [];
            _pendingDispatches[shard] = pending;
        }
        pending.Add(dispatch);
        // READY takes 1; queued events follow it in order.
        return 1 + pending.Count;
    }

    private long Deliver(GatewaySession session, PendingDispatch dispatch)
    {
        var json = dispatch.Json;
        if (dispatch.Message is { } rules)
        {
            var needed = rules.InGuild ? GuildMessagesIntent : DirectMessagesIntent;
            if ((session.Intents & needed) == 0) return 0;
            if (rules.InGuild && !rules.ContentAlwaysVisible && (session.Intents & MessageContentIntent) == 0)
            {
                var message = JsonNode.Parse(json)!.AsObject();
                message["content"] = "";
                message["embeds"] = new JsonArray();
                message["attachments"] = new JsonArray();
                message["components"] = new JsonArray();
                message.Remove("poll");
                json = message.ToJsonString();
            }
        }
        return Append(session, dispatch.Event, json);
    }

    private static long Append(GatewaySession session, string eventName, string dataJson)
    {
        var seq = ++session.Sequence;
        var frame = $$"""{"op":0,"d":{{dataJson}},"s":{{seq.ToString(CultureInfo.InvariantCulture)}},"t":{{JsonSerializer.Serialize(eventName)}}}""";
        session.Log.Add((seq, frame));
        session.Connection?.Enqueue(Outgoing.Text(frame));
        return seq;
    }

    private int ShardFor(string? guildId)
    {
        if (guildId is null) return 0;
        if (!ulong.TryParse(guildId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw new ArgumentException($"guild_id \"{guildId}\" is not a snowflake", nameof(guildId));
        return (int)((id >> 22) % (ulong)_gatewayShards);
    }

    private static JsonElement ParseData(string json, string parameter)
    {
        ArgumentNullException.ThrowIfNull(json, parameter);
        if (!JsonBits.TryParse(Encoding.UTF8.GetBytes(json), out var data))
            throw new ArgumentException("not valid JSON", parameter);
        return data;
    }

    /// <summary>Open connections: all of them, or those whose current identify/resume is for <paramref name="shard"/>.</summary>
    private List<GatewayConnection> Targets(int? shard) =>
        [.. _gatewayConnections.Values.Where(c => !c.Ending && (shard is null || (c.Authenticated && c.Session?.Shard == shard)))];

    private Task SendToTargetsAsync(int? shard, string frame, Action<GatewayConnection>? after, Action? afterAll = null)
    {
        List<Task> sent = [];
        lock (_gate)
        {
            foreach (var connection in Targets(shard))
            {
                var item = Outgoing.Text(frame);
                connection.Enqueue(item);
                sent.Add(item.Done.Task);
                after?.Invoke(connection);
            }
            afterAll?.Invoke();
        }
        return WhenAllWithTimeoutAsync(sent);
    }

    private static async Task WhenAllWithTimeoutAsync(List<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks).WaitAsync(GatewayWaitTimeout);
        }
        catch (TimeoutException)
        {
            // A client that stopped reading must not hang the test; the frame stays queued.
        }
    }

    private static Task WaitFinishedAsync(List<GatewayConnection> connections) =>
        WhenAllWithTimeoutAsync([.. connections.Select(c => c.Finished.Task)]);

    private sealed record MessageVisibility(bool InGuild, bool ContentAlwaysVisible);

    private sealed record PendingDispatch(string Event, string Json, MessageVisibility? Message);

    private sealed class GatewaySession(string id, int shard, int shardCount, long intents)
    {
        public string Id { get; } = id;

        public int Shard { get; } = shard;

        public int ShardCount { get; } = shardCount;

        public long Intents { get; } = intents;

        public long Sequence { get; set; }

        public List<(long Seq, string Frame)> Log { get; } = [];

        /// <summary>The open connection that identified or resumed this session, if any.</summary>
        public GatewayConnection? Connection { get; set; }
    }

    private sealed class GatewayConnection(int id, string path, WebSocket socket, HttpContext context)
    {
        public int Id { get; } = id;

        public string Path { get; } = path;

        public WebSocket Socket { get; } = socket;

        public HttpContext Context { get; } = context;

        public Channel<Outgoing> Outbox { get; } = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Queue<DateTimeOffset> PayloadTimes { get; } = new();

        public CancellationTokenSource? ReceiveCancel { get; set; }

        /// <summary>True between an accepted IDENTIFY/RESUME and the connection leaving its session.</summary>
        public bool Authenticated { get; set; }

        /// <summary>The session last identified or resumed here (kept after detaching, for close bookkeeping).</summary>
        public GatewaySession? Session { get; set; }

        /// <summary>A close frame was queued or the connection was dropped: nothing more is processed or sent.</summary>
        public bool Ending { get; set; }

        public int? AuthenticatedShard => Authenticated ? Session?.Shard : null;

        public void Enqueue(Outgoing item)
        {
            if (!Outbox.Writer.TryWrite(item)) item.Done.TrySetResult();
        }
    }

    private sealed record Outgoing(string? Payload, int? CloseCode, bool Abort)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static Outgoing Text(string json) => new(json, null, false);

        public static Outgoing Close(int code, string reason) => new(reason, code, false);

        public static Outgoing AbortConnection() => new(null, null, true);
    }
}
