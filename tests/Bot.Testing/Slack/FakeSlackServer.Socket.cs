using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Slack;

/// <summary>
/// Socket Mode: the websocket behind the URLs apps.connections.open hands out (<c>ws://127.0.0.1:PORT/socket?ticket=N</c>).
/// <list type="bullet">
/// <item>A ticket works once; an unknown or reused one gets HTTP 401 without upgrade (and a protocol error).</item>
/// <item>Each accepted socket gets <c>hello</c> first, unless <see cref="MaxSocketConnections"/> are already open: then it gets
/// <c>disconnect</c> / <c>too_many_websockets</c> and is closed at once.</item>
/// <item>Envelopes go to one live connection, round-robin by connection id; with none live they go to a connection that was sent
/// <c>disconnect</c> but is still open, else they wait in a queue until a connection says hello.</item>
/// <item>An events_api envelope not acked within <see cref="AckTimeout"/> of its latest delivery is queued again with
/// <c>retry_attempt</c>+1 and <c>retry_reason</c> "timeout" (3 retries at most; after that it is <see cref="SocketEnvelope.Missed"/>).
/// A delivery on a socket that then drops is treated the same way: redelivered once the timeout runs out (Slack cannot tell a
/// lost frame from a slow bot either). slash_commands and interactive envelopes are never redelivered: they become Missed.</item>
/// <item>The fake closes a socket with status 1000 (NormalClosure) and an empty reason, as Slack does after a disconnect
/// (node-slack-sdk#2254 logs "close frame received (code: 1000, reason: )"); a client that does not answer the close frame
/// within <see cref="SocketCloseTimeout"/> is aborted.</item>
/// </list>
/// Timeouts run on real time (a 20 ms background tick), not on <see cref="Clock"/>; payload timestamps use <see cref="Clock"/>.
/// </summary>
public sealed partial class FakeSlackServer
{
    public const string SocketPath = "/socket";
    public const string SocketDebugHost = "applink-fake";
    public const int SocketMaxRetries = 3;

    public static readonly TimeSpan DefaultDisconnectCloseAfter = TimeSpan.FromSeconds(2);

    private const int MaxSocketFrameBytes = 1 << 20;
    private const string EventsApi = "events_api";
    private const string SlashCommands = "slash_commands";
    private const string Interactive = "interactive";

    private static readonly TimeSpan SocketTick = TimeSpan.FromMilliseconds(20);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stopwatch _socketWatch = Stopwatch.StartNew();
    private readonly List<EnvelopeState> _envelopes = [];
    private readonly Dictionary<string, EnvelopeState> _envelopesById = new(StringComparer.Ordinal);
    private readonly List<EnvelopeState> _socketQueue = [];
    private readonly List<SocketAck> _acks = [];
    private readonly List<string> _socketErrors = [];
    private readonly List<SocketConnection> _connections = [];
    private readonly HashSet<int> _usedTickets = [];
    private int _connectionCounter;
    private int _lastRoundRobinId;
    private int _maxOpenSocketsSeen;
    private Task? _socketLoop;

    /// <summary>How long an envelope may stay un-acked after a delivery (real time).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Open connections allowed before a new one is refused with <c>too_many_websockets</c>.</summary>
    public int MaxSocketConnections { get; set; } = 10;

    /// <summary>How long the fake waits for the client's answer to its close frame before aborting the connection (real time).</summary>
    public TimeSpan SocketCloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every envelope created, oldest first, each a consistent snapshot.</summary>
    public IReadOnlyList<SocketEnvelope> Envelopes
    {
        get
        {
            lock (_gate)
                return _envelopes.Select(e => e.Snapshot()).ToArray();
        }
    }

    /// <summary>Every ack frame received (a JSON object with a string envelope_id, known or not).</summary>
    public IReadOnlyList<SocketAck> Acks
    {
        get
        {
            lock (_gate)
                return _acks.ToArray();
        }
    }

    /// <summary>Things a correct Socket Mode client never causes; tests assert this is empty.</summary>
    public IReadOnlyList<string> SocketProtocolErrors
    {
        get
        {
            lock (_gate)
                return _socketErrors.ToArray();
        }
    }

    /// <summary>Websockets accepted so far, refused ones (too_many_websockets) included.</summary>
    public int SocketConnectionsOpened
    {
        get
        {
            lock (_gate)
                return _connections.Count;
        }
    }

    /// <summary>Accepted websockets not yet finished (including one being refused).</summary>
    public int OpenSocketCount
    {
        get
        {
            lock (_gate)
                return _connections.Count(c => !c.Finished);
        }
    }

    /// <summary>The highest <see cref="OpenSocketCount"/> reached.</summary>
    public int MaxOpenSocketsSeen
    {
        get
        {
            lock (_gate)
                return _maxOpenSocketsSeen;
        }
    }

    /// <summary>Connections that got hello, no disconnect, and are still open, by id.</summary>
    public IReadOnlyList<int> LiveConnectionIds
    {
        get
        {
            lock (_gate)
                return _connections.Where(c => c.IsLive).Select(c => c.Id).ToArray();
        }
    }

    /// <summary>Every accepted connection, oldest first.</summary>
    public IReadOnlyList<SocketConnectionInfo> SocketConnections
    {
        get
        {
            lock (_gate)
                return _connections.Select(c => c.Snapshot()).ToArray();
        }
    }

    /// <summary>A <c>slash_commands</c> envelope (accepts_response_payload true) with the command fields as a JSON object.</summary>
    public string SendSlashCommand(string command, string text, string? userId = null, string? channelId = null)
    {
        var payload = SlashCommandFields(command, text, channelId ?? DefaultChannelId, userId ?? DefaultUserId, responseUrl: null);
        return CreateEnvelope(SlashCommands, payload, acceptsResponsePayload: true);
    }

    /// <summary>An <c>events_api</c> envelope whose payload is an <c>event_callback</c> around <paramref name="eventJson"/> with a new event_id.</summary>
    public string SendEvent(string eventJson)
    {
        var payload = EventCallbackPayload(ParseObject(eventJson, nameof(eventJson)), eventId: null);
        return CreateEnvelope(EventsApi, payload, acceptsResponsePayload: false);
    }

    /// <summary>An <c>app_mention</c> event (<c>"&lt;@U0BOT&gt; text"</c>, a fresh ts) sent through <see cref="SendEvent"/>.</summary>
    public string SendAppMention(string text, string? userId = null, string? channelId = null, string? threadTs = null)
    {
        string ts;
        lock (_gate)
            ts = NextTs();
        var mention = new JsonObject
        {
            ["type"] = "app_mention",
            ["user"] = userId ?? DefaultUserId,
            ["text"] = text.Length == 0 ? $"<@{BotUserId}>" : $"<@{BotUserId}> {text}",
            ["ts"] = ts,
            ["team"] = TeamId,
            ["channel"] = channelId ?? DefaultChannelId,
            ["event_ts"] = ts,
        };
        if (threadTs is not null)
            mention["thread_ts"] = threadTs;
        return SendEvent(mention.ToJsonString(ReplyJson));
    }

    /// <summary>
    /// An <c>interactive</c> envelope around <paramref name="payloadJson"/>. accepts_response_payload is false (block_actions,
    /// shortcuts, …) except for <c>view_submission</c> and <c>block_suggestion</c>, whose answers travel in the ack.
    /// </summary>
    public string SendInteractive(string payloadJson)
    {
        var payload = ParseObject(payloadJson, nameof(payloadJson));
        var type = payload["type"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        return CreateEnvelope(Interactive, payload, acceptsResponsePayload: type is "view_submission" or "block_suggestion");
    }

    /// <summary>
    /// A <c>block_actions</c> click on a button whose value is <paramref name="value"/>, on the channel's latest bot message (or a
    /// made-up one); action_id, block_id and text come from a button with that value in the message, else <c>cmd-0</c>.
    /// </summary>
    public string SendBlockAction(string value, string? userId = null, string? channelId = null)
    {
        var channel = channelId ?? DefaultChannelId;
        var user = userId ?? DefaultUserId;
        JsonObject payload;
        lock (_gate)
        {
            var (ts, posted) = MessageToClick(channel, messageTs: null);
            var (actionId, blockId, buttonText) = FindButtonByValue(posted.Blocks, value);
            payload = BlockActionsPayload(channel, user, ts, posted, actionId, blockId, buttonText, value);
        }

        return CreateEnvelope(Interactive, payload, acceptsResponsePayload: false);
    }

    /// <summary>Any envelope, for cases the helpers do not cover. events_api envelopes get retry fields and redelivery.</summary>
    public string SendEnvelope(string type, string payloadJson, bool acceptsResponsePayload) =>
        CreateEnvelope(type, ParseObject(payloadJson, nameof(payloadJson)), acceptsResponsePayload);

    /// <summary>
    /// Writes <paramref name="text"/> as one text frame, exactly as given, to <paramref name="connectionId"/> or to the next live
    /// connection: for frames Slack should never send (not JSON, wrong types). Nothing is tracked or redelivered; an ack of an
    /// envelope_id in it shows up in <see cref="Acks"/> (and, being unknown, in <see cref="SocketProtocolErrors"/>).
    /// Completes once the frame is written.
    /// </summary>
    public Task SendRawFrameAsync(string text, int? connectionId = null)
    {
        lock (_gate)
        {
            var target = connectionId is { } id
                ? Targets(id).Single()
                : PickConnection() ?? throw new InvalidOperationException("No socket connection has said hello yet.");
            return Send(target, text);
        }
    }

    /// <summary>
    /// Sends <c>{"type":"disconnect","reason":…,"debug_info":{"host":…}}</c> to one connection or to all open, non-refused ones,
    /// and returns once the frames are written. Those connections stop getting envelopes while another live one exists; the fake
    /// closes them (1000, empty reason) after <paramref name="closeAfter"/> (default 2 s, real time) unless the client closes first.
    /// A connection that has already closed is skipped.
    /// </summary>
    public async Task SendDisconnectAsync(string reason = "refresh_requested", TimeSpan? closeAfter = null, int? connectionId = null)
    {
        var delay = closeAfter ?? DefaultDisconnectCloseAfter;
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(closeAfter));
        var written = new List<Task>();
        lock (_gate)
        {
            var closeAt = _socketWatch.Elapsed + delay;
            foreach (var connection in Targets(connectionId).Where(c => !c.Refused && !c.Ending))
            {
                connection.DisconnectSent = true;
                connection.DisconnectReasons.Add(reason);
                written.Add(Send(connection, DisconnectFrame(reason)));
                connection.CloseAt = connection.CloseAt is { } earlier && earlier < closeAt ? earlier : closeAt;
            }
        }

        await Task.WhenAll(written);
    }

    /// <summary>Aborts the TCP connection of one or all open sockets without a close frame; returns once they are gone.</summary>
    public async Task DropSocketsAsync(int? connectionId = null)
    {
        List<SocketConnection> dropped;
        lock (_gate)
        {
            // Aborted under the lock: once a handler has finished, Kestrel may reuse its HttpContext for another request.
            dropped = Targets(connectionId).Where(c => !c.Finished).ToList();
            foreach (var connection in dropped)
            {
                connection.Close = SocketCloseKind.Dropped;
                connection.Abort();
            }
        }

        await Task.WhenAll(dropped.Select(c => c.Done.Task)).WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits (real time, default 5 s) for the first ack of <paramref name="envelopeId"/>.</summary>
    public async Task<SocketAck> WaitForAckAsync(string envelopeId, TimeSpan? timeout = null)
    {
        var deadline = _socketWatch.Elapsed + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            lock (_gate)
            {
                var ack = _acks.Find(a => a.EnvelopeId == envelopeId);
                if (ack is not null)
                    return ack;
            }

            if (_socketWatch.Elapsed >= deadline)
                throw new TimeoutException($"No ack for envelope {envelopeId}.");
            await Task.Delay(10);
        }
    }

    private static JsonObject ParseObject(string json, string parameter)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("Expected a JSON object.", parameter);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("Expected a JSON object.", parameter, ex);
        }
    }

    private static (string ActionId, string BlockId, string Text) FindButtonByValue(JsonArray? blocks, string value)
    {
        foreach (var block in blocks?.OfType<JsonObject>() ?? [])
        {
            var elements = block["elements"] is JsonArray array ? array.OfType<JsonObject>() : [];
            if (block["accessory"] is JsonObject accessory)
                elements = elements.Append(accessory);
            foreach (var element in elements)
            {
                if (Str(element, "value") != value)
                    continue;
                var text = element["text"] is JsonObject textObject ? Str(textObject, "text") : null;
                return (Str(element, "action_id") ?? "cmd-0", Str(block, "block_id") ?? "fake-block", text ?? "Button");
            }
        }

        return ("cmd-0", "fake-block", "Button");
    }

    private string CreateEnvelope(string type, JsonObject payload, bool acceptsResponsePayload)
    {
        var envelope = new EnvelopeState(Guid.NewGuid().ToString("D"), type, payload.ToJsonString(ReplyJson), acceptsResponsePayload, DateTimeOffset.UtcNow);
        lock (_gate)
        {
            _envelopes.Add(envelope);
            _envelopesById[envelope.Id] = envelope;
            envelope.Queued = true;
            _socketQueue.Add(envelope);
            PumpSocketQueue();
        }

        return envelope.Id;
    }

    /// <summary>Under <see cref="_gate"/>: hands queued envelopes to connections while any can take them.</summary>
    private void PumpSocketQueue()
    {
        while (_socketQueue.Count > 0)
        {
            var target = PickConnection();
            if (target is null)
                return;
            var envelope = _socketQueue[0];
            _socketQueue.RemoveAt(0);
            envelope.Queued = false;
            Deliver(envelope, target);
        }
    }

    private SocketConnection? PickConnection()
    {
        var candidates = _connections.Where(c => c.IsLive).ToList();
        if (candidates.Count == 0)
            candidates = _connections.Where(c => c.HelloSent && !c.Ending).ToList();
        if (candidates.Count == 0)
            return null;
        var next = candidates.Find(c => c.Id > _lastRoundRobinId) ?? candidates[0];
        _lastRoundRobinId = next.Id;
        return next;
    }

    private void Deliver(EnvelopeState envelope, SocketConnection connection)
    {
        envelope.Deliveries.Add(connection.Id);
        envelope.LastDeliveredAt = _socketWatch.Elapsed;
        var frame = new JsonObject
        {
            ["envelope_id"] = envelope.Id,
            ["type"] = envelope.Type,
            ["payload"] = JsonNode.Parse(envelope.PayloadJson),
            ["accepts_response_payload"] = envelope.AcceptsResponsePayload,
        };
        if (envelope.Type == EventsApi)
        {
            frame["retry_attempt"] = envelope.RetryAttempt;
            frame["retry_reason"] = envelope.RetryAttempt == 0 ? "" : "timeout";
        }

        _ = Send(connection, frame.ToJsonString(ReplyJson));
    }

    private IEnumerable<SocketConnection> Targets(int? connectionId)
    {
        if (connectionId is not { } id)
            return _connections.ToList();
        var connection = _connections.Find(c => c.Id == id)
            ?? throw new ArgumentOutOfRangeException(nameof(connectionId), id, "No such socket connection.");
        return [connection];
    }

    /// <summary>Under <see cref="_gate"/>: queues a text frame; the task completes when it was written (or could not be).</summary>
    private static Task Send(SocketConnection connection, string text)
    {
        if (connection.Ending)
            return Task.CompletedTask;
        var item = new OutgoingFrame(text);
        return connection.Outbox.Writer.TryWrite(item) ? item.Written.Task : Task.CompletedTask;
    }

    /// <summary>Under <see cref="_gate"/>: queues the server's close frame and arms the abort for a client that never answers.</summary>
    private void RequestClose(SocketConnection connection)
    {
        if (connection.CloseQueued || connection.Finished)
            return;
        connection.CloseQueued = true;
        if (connection.Close == SocketCloseKind.Open)
            connection.Close = connection.ReceivedClose ? SocketCloseKind.ClosedByClient : SocketCloseKind.ClosedByServer;
        if (!connection.ReceivedClose)
            connection.AbortAt = _socketWatch.Elapsed + SocketCloseTimeout;
        connection.Outbox.Writer.TryWrite(new OutgoingFrame(null));
    }

    private string HelloFrame(int connections) => new JsonObject
    {
        ["type"] = "hello",
        ["num_connections"] = connections,
        ["debug_info"] = new JsonObject
        {
            ["host"] = SocketDebugHost,
            ["build_number"] = 1,
            ["approximate_connection_time"] = 18060,
        },
        ["connection_info"] = new JsonObject { ["app_id"] = AppId },
    }.ToJsonString(ReplyJson);

    private static string DisconnectFrame(string reason) => new JsonObject
    {
        ["type"] = "disconnect",
        ["reason"] = reason,
        ["debug_info"] = new JsonObject { ["host"] = SocketDebugHost },
    }.ToJsonString(ReplyJson);

    private void StartSocketLoop() => _socketLoop = Task.Run(() => RunSocketLoopAsync(_stopping.Token));

    private async Task StopSocketLoopAsync()
    {
        if (_socketLoop is { } loop)
            await loop;
    }

    private async Task RunSocketLoopAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SocketTick);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
                TickSockets();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ack timeouts, redeliveries, scheduled closes, and aborts of clients that never answered the close frame.</summary>
    private void TickSockets()
    {
        lock (_gate)
        {
            var now = _socketWatch.Elapsed;
            var timeout = AckTimeout;
            foreach (var envelope in _envelopes)
            {
                if (envelope.Acked || envelope.Missed || envelope.Queued || envelope.LastDeliveredAt is not { } deliveredAt || now - deliveredAt < timeout)
                    continue;
                if (envelope.Type == EventsApi && envelope.RetryAttempt < SocketMaxRetries)
                {
                    envelope.RetryAttempt++;
                    envelope.Queued = true;
                    _socketQueue.Add(envelope);
                }
                else
                {
                    envelope.Missed = true;
                }
            }

            PumpSocketQueue();
            foreach (var connection in _connections.Where(c => !c.Finished).ToList())
            {
                if (connection.CloseAt is { } closeAt && now >= closeAt)
                {
                    connection.CloseAt = null;
                    RequestClose(connection);
                }

                if (connection.AbortAt is { } abortAt && now >= abortAt)
                {
                    connection.AbortAt = null;
                    connection.Abort();
                }
            }
        }
    }

    private async Task RouteSocketAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path == SocketPath && context.WebSockets.IsWebSocketRequest)
            await HandleSocketAsync(context);
        else
            await next(context);
    }

    private async Task HandleSocketAsync(HttpContext context)
    {
        var ticketText = context.Request.Query["ticket"].ToString();
        int ticket;
        lock (_gate)
        {
            string? error = null;
            if (!int.TryParse(ticketText, NumberStyles.None, CultureInfo.InvariantCulture, out ticket) || ticket < 1 || ticket > _ticket)
                error = $"websocket connect with a ticket apps.connections.open never issued: '{ticketText}'";
            else if (!_usedTickets.Add(ticket))
                error = $"websocket connect reused ticket {ticket}";
            if (error is not null)
            {
                _socketErrors.Add(error);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        var stopping = _stopping.Token;
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync();
        }
        catch (Exception ex)
        {
            lock (_gate)
                _socketErrors.Add($"websocket upgrade for ticket {ticket} failed: {ex.Message}");
            return;
        }

        using (socket)
        {
            SocketConnection connection;
            lock (_gate)
            {
                var established = _connections.Count(c => !c.Finished && !c.Refused);
                connection = new SocketConnection(++_connectionCounter, ticket, context, socket, DateTimeOffset.UtcNow);
                _connections.Add(connection);
                _maxOpenSocketsSeen = Math.Max(_maxOpenSocketsSeen, _connections.Count(c => !c.Finished));
                if (established >= MaxSocketConnections)
                {
                    connection.Refused = true;
                    connection.DisconnectSent = true;
                    connection.DisconnectReasons.Add("too_many_websockets");
                    _ = Send(connection, DisconnectFrame("too_many_websockets"));
                    RequestClose(connection);
                }
                else
                {
                    connection.HelloSent = true;
                    _ = Send(connection, HelloFrame(established + 1));
                    PumpSocketQueue();
                }
            }

            var sender = RunSocketSenderAsync(connection, stopping);
            await RunSocketReceiverAsync(connection, stopping);
            lock (_gate)
            {
                if (connection.ReceivedClose)
                    RequestClose(connection);
                connection.Outbox.Writer.TryComplete();
            }

            await sender;
            lock (_gate)
            {
                connection.Finished = true;
                connection.ClosedAt = DateTimeOffset.UtcNow;
                if (connection.Close == SocketCloseKind.Open)
                    connection.Close = SocketCloseKind.Aborted;
                while (connection.Outbox.Reader.TryRead(out var left))
                    left.Written.TrySetResult();
            }

            connection.Done.TrySetResult();
        }
    }

    private async Task RunSocketReceiverAsync(SocketConnection connection, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        var tooBig = false;
        try
        {
            while (true)
            {
                var result = await connection.Socket.ReceiveAsync(buffer.AsMemory(), stopping);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    lock (_gate)
                    {
                        connection.ReceivedClose = true;
                        connection.ClientCloseStatus = (int?)connection.Socket.CloseStatus;
                    }

                    return;
                }

                if (!tooBig && message.Length + result.Count > MaxSocketFrameBytes)
                {
                    tooBig = true;
                    lock (_gate)
                        _socketErrors.Add($"connection {connection.Id}: a message over {MaxSocketFrameBytes} bytes");
                }

                if (!tooBig)
                    message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                if (!tooBig)
                    OnSocketMessage(connection, result.MessageType, message.GetBuffer().AsSpan(0, (int)message.Length));
                message.SetLength(0);
                tooBig = false;
            }
        }
        catch (Exception)
        {
            // Dropped, aborted, or the fake is stopping: the connection is over either way.
        }
    }

    private async Task RunSocketSenderAsync(SocketConnection connection, CancellationToken stopping)
    {
        try
        {
            await foreach (var item in connection.Outbox.Reader.ReadAllAsync(stopping))
            {
                try
                {
                    if (item.Text is not null)
                    {
                        await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(item.Text), WebSocketMessageType.Text, endOfMessage: true, stopping);
                        continue;
                    }

                    if (connection.Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                        await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", stopping);
                    return;
                }
                finally
                {
                    item.Written.TrySetResult();
                }
            }
        }
        catch (Exception)
        {
            // The transport is gone; make sure the receiver notices too.
            lock (_gate)
                connection.Abort();
        }
    }

    private void OnSocketMessage(SocketConnection connection, WebSocketMessageType type, ReadOnlySpan<byte> bytes)
    {
        if (type != WebSocketMessageType.Text)
        {
            AddSocketError($"connection {connection.Id}: a {type} frame; acks are text frames");
            return;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            AddSocketError($"connection {connection.Id}: a text frame that is not UTF-8");
            return;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            AddSocketError($"connection {connection.Id}: a frame that is not JSON: {Clip(text)}");
            return;
        }

        if (node is not JsonObject frame)
        {
            AddSocketError($"connection {connection.Id}: a frame that is not a JSON object: {Clip(text)}");
            return;
        }

        if (frame["envelope_id"] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String)
        {
            AddSocketError($"connection {connection.Id}: a frame without a string envelope_id: {Clip(text)}");
            return;
        }

        var envelopeId = idValue.GetValue<string>();
        var payload = frame["payload"];
        var payloadJson = payload?.ToJsonString(ReplyJson);
        lock (_gate)
        {
            var at = DateTimeOffset.UtcNow;
            if (!_envelopesById.TryGetValue(envelopeId, out var envelope))
            {
                _socketErrors.Add($"connection {connection.Id}: ack for unknown envelope_id {envelopeId}");
                _acks.Add(new SocketAck(connection.Id, envelopeId, payloadJson, TimeSpan.Zero, at));
                return;
            }

            if (envelope.LastDeliveredAt is not { } deliveredAt)
            {
                _socketErrors.Add($"connection {connection.Id}: ack for envelope {envelopeId}, which was never delivered");
                _acks.Add(new SocketAck(connection.Id, envelopeId, payloadJson, TimeSpan.Zero, at));
                return;
            }

            if (payload is not null && !envelope.AcceptsResponsePayload)
                _socketErrors.Add($"connection {connection.Id}: ack payload for {envelope.Type} envelope {envelopeId}, which does not accept one");
            else if (payload is not null and not JsonObject)
                _socketErrors.Add($"connection {connection.Id}: ack payload for envelope {envelopeId} is not a JSON object");

            envelope.Acked = true;
            if (envelope.Queued)
            {
                // A late ack while the redelivery waits for a live socket: nothing left to redeliver.
                envelope.Queued = false;
                _socketQueue.Remove(envelope);
            }

            envelope.AckPayloadJson ??= payloadJson;
            _acks.Add(new SocketAck(connection.Id, envelopeId, payloadJson, _socketWatch.Elapsed - deliveredAt, at));
            AckObserved?.Invoke(envelopeId);
        }
    }

    /// <summary>Called with the envelope id of every ack of a delivered envelope (under the server's lock: keep it short). For load drivers.</summary>
    public Action<string>? AckObserved { get; set; }

    private void AddSocketError(string error)
    {
        lock (_gate)
            _socketErrors.Add(error);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private sealed class EnvelopeState(string id, string type, string payloadJson, bool acceptsResponsePayload, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public string Type { get; } = type;

        public string PayloadJson { get; } = payloadJson;

        public bool AcceptsResponsePayload { get; } = acceptsResponsePayload;

        public List<int> Deliveries { get; } = [];

        public TimeSpan? LastDeliveredAt { get; set; }

        public int RetryAttempt { get; set; }

        public bool Acked { get; set; }

        public string? AckPayloadJson { get; set; }

        public bool Missed { get; set; }

        public bool Queued { get; set; }

        public SocketEnvelope Snapshot() => new(Id, Type, PayloadJson)
        {
            AcceptsResponsePayload = AcceptsResponsePayload,
            Deliveries = Deliveries.Count,
            DeliveredOn = Deliveries.ToArray(),
            RetryAttempt = RetryAttempt,
            Acked = Acked,
            AckPayloadJson = AckPayloadJson,
            Missed = Missed,
            Queued = Queued,
            CreatedAt = createdAt,
        };
    }

    private sealed class SocketConnection(int id, int ticket, HttpContext context, WebSocket socket, DateTimeOffset openedAt)
    {
        public int Id { get; } = id;

        public HttpContext Context { get; } = context;

        public WebSocket Socket { get; } = socket;

        public Channel<OutgoingFrame> Outbox { get; } = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Refused { get; set; }

        public bool HelloSent { get; set; }

        public bool DisconnectSent { get; set; }

        public List<string> DisconnectReasons { get; } = [];

        /// <summary>The client's close frame arrived.</summary>
        public bool ReceivedClose { get; set; }

        /// <summary>The fake's close frame is queued or sent.</summary>
        public bool CloseQueued { get; set; }

        /// <summary>The handler has returned: the socket is gone.</summary>
        public bool Finished { get; set; }

        public TimeSpan? CloseAt { get; set; }

        public TimeSpan? AbortAt { get; set; }

        public SocketCloseKind Close { get; set; }

        public int? ClientCloseStatus { get; set; }

        public DateTimeOffset? ClosedAt { get; set; }

        /// <summary>The fake aborted its transport.</summary>
        public bool Aborting { get; private set; }

        /// <summary>No more frames can go out on it (closing, aborting or closed).</summary>
        public bool Ending => CloseQueued || ReceivedClose || Aborting || Finished;

        public bool IsLive => HelloSent && !DisconnectSent && !Ending;

        /// <summary>Under the server's lock and before <see cref="Finished"/>: Kestrel may reuse the context afterwards.</summary>
        public void Abort()
        {
            if (Finished)
                return;
            Aborting = true;
            Context.Abort();
        }

        public SocketConnectionInfo Snapshot() => new(Id, ticket, openedAt)
        {
            Refused = Refused,
            Live = IsLive,
            DisconnectReasons = DisconnectReasons.ToArray(),
            Close = Close,
            ClientCloseStatus = ClientCloseStatus,
            ClosedAt = ClosedAt,
        };
    }

    /// <summary>A text frame, or the server's close frame when <paramref name="Text"/> is null.</summary>
    private sealed record OutgoingFrame(string? Text)
    {
        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
