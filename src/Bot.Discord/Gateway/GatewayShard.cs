using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Bot.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>Everything a shard needs to know that is the same for all shards.</summary>
internal sealed record GatewayPlan(Uri Url, int ShardCount, string Token, GatewayIntents Intents, IdentifyLimiter Identify)
{
    /// <summary>The shards this instance runs (<c>Discord:ShardIds</c>); all of them unless told.</summary>
    public IReadOnlyList<int> Opened { get; init; } = [.. Enumerable.Range(0, ShardCount)];
}

/// <summary>Receives each dispatch in order, on the shard's receive loop: must hand real work off and return.</summary>
internal interface IGatewayEvents
{
    void OnDispatch(int shardId, string eventName, JsonElement data);
}

/// <summary>Thrown when Discord closes with a code after which reconnecting cannot help (bad token, disallowed intents…).</summary>
internal sealed class GatewayFatalException(int code, string cause) : Exception($"Discord closed the gateway with {code}: {cause}")
{
    public int Code { get; } = code;
    public string Cause { get; } = cause;
}

/// <summary>
/// One gateway shard: keeps a session alive across connections. A dropped socket, a missed
/// heartbeat ACK, RECONNECT or a resumable close reconnects to <c>resume_gateway_url</c> and
/// RESUMEs, so Discord replays what was missed; INVALID SESSION identifies anew after a short
/// random wait; a fatal close code ends the shard with <see cref="GatewayFatalException"/>.
/// </summary>
internal sealed class GatewayShard(
    int shardId,
    GatewayPlan plan,
    IGatewayEvents events,
    TimeProvider time,
    Func<double> random,
    ILogger logger,
    Bot.Core.Chat.BotMetrics? metrics = null)
{
    private const int MaxFrameBytes = 32 * 1024 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);
    private string? _sessionId;
    private Uri? _resumeUrl;
    /// <summary>The last sequence number received; 0 before the first (Discord counts from 1). Read by the heartbeat loop.</summary>
    private long _seq;

    private long? LastSeq => Volatile.Read(ref _seq) is var seq and > 0 ? seq : null;

    /// <summary>True while a connection is identified or resumed and open.</summary>
    public bool IsReady { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var outcome = await RunConnectionAsync(failures, cancellationToken);
            IsReady = false;
            if (cancellationToken.IsCancellationRequested) return;
            metrics?.WebSocket("discord", "lost");

            if (outcome.FatalCode is { } code)
                throw new GatewayFatalException(code, GatewayCloseCodes.FatalCause(code)!);
            if (outcome.NewSession) ForgetSession();

            failures = outcome.WasReady ? 0 : failures + 1;
            var wait = outcome.NewSession && outcome.WaitBeforeIdentify
                ? TimeSpan.FromSeconds(1 + random() * 4)
                : Backoff(failures);
            logger.LogInformation("Discord gateway shard {Shard}: {Reason}; {Next} in {Seconds:F1}s",
                shardId, outcome.Reason, _sessionId is null ? "identifying" : "resuming", wait.TotalSeconds);
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>No wait after a connection that worked (the first retry is immediate); then full jitter up to a minute.</summary>
    private TimeSpan Backoff(int failures) =>
        failures == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(random() * Math.Min(60_000, 500 * Math.Pow(2, failures)));

    private void ForgetSession()
    {
        _sessionId = null;
        _resumeUrl = null;
        Volatile.Write(ref _seq, 0);
    }

    private sealed record Outcome(string Reason, bool WasReady, bool NewSession = false, bool WaitBeforeIdentify = false, int? FatalCode = null);

    private async Task<Outcome> RunConnectionAsync(int failures, CancellationToken cancellationToken)
    {
        var resuming = _sessionId is not null && _resumeUrl is not null;
        // Discord accepts a resume at its main address too: the fallback when the resume address stops answering.
        var url = resuming && failures < 2 ? _resumeUrl! : plan.Url;
        using var socket = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var state = new ConnectionState(socket);
        Task? heartbeat = null;
        try
        {
            using (var connect = IoDeadline.After(ConnectTimeout, cancellationToken))
            {
                await socket.ConnectAsync(WithQuery(url), connect.Token).ConfigureAwait(false);
            }

            // Cancelling a pending receive would abort the socket without a close frame: shutdown closes it instead, and the receive loop ends on the echo.
            using var closeOnStop = cancellationToken.Register(() => _ = CloseThenAbortAsync(socket));
            var hello = await ReceiveHelloAsync(state, cancellationToken).ConfigureAwait(false);
            if (hello is null) return new Outcome("no HELLO", WasReady: false);
            heartbeat = HeartbeatAsync(state, TimeSpan.FromMilliseconds(hello.HeartbeatInterval), connection.Token);

            if (resuming)
            {
                await SendAsync(state, JsonSerializer.SerializeToUtf8Bytes(
                    new GatewayCommand<ResumeData>(GatewayOp.Resume, new ResumeData(plan.Token, _sessionId!, LastSeq)), GatewayJson.Default.GatewayCommandResumeData), connection.Token).ConfigureAwait(false);
            }
            else
            {
                await plan.Identify.WaitTurnAsync(shardId, connection.Token).ConfigureAwait(false);
                await SendAsync(state, JsonSerializer.SerializeToUtf8Bytes(new GatewayCommand<IdentifyData>(GatewayOp.Identify, new IdentifyData(
                    plan.Token, (int)plan.Intents, new IdentifyProperties(OperatingSystemName, "briefing-bot", "briefing-bot"),
                    [shardId, plan.ShardCount])), GatewayJson.Default.GatewayCommandIdentifyData), connection.Token).ConfigureAwait(false);
            }

            return await ReceiveLoopAsync(state, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or WebSocketException or IOException)
        {
            await CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "shutting down").ConfigureAwait(false);
            return new Outcome("stopped", state.WasReady);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or JsonException)
        {
            return new Outcome(state.Zombie ? "no heartbeat ACK (zombie connection)" : $"connection lost ({ex.GetType().Name})", state.WasReady);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            if (heartbeat is not null)
            {
                try
                {
                    await heartbeat.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
                {
                    // The connection is over either way.
                }
            }
        }
    }

    private async Task<HelloData?> ReceiveHelloAsync(ConnectionState state, CancellationToken cancellationToken)
    {
        using var timeout = IoDeadline.After(HelloTimeout, cancellationToken);
        var frame = await ReceiveFrameAsync(state, timeout.Token).ConfigureAwait(false);
        if (frame is not { Op: GatewayOp.Hello, D.ValueKind: JsonValueKind.Object }) return null;
        try
        {
            // An interval of zero or less would beat without pause, or not at all.
            return frame.D.Deserialize(GatewayJson.Default.HelloData) is { HeartbeatInterval: > 0 } hello ? hello : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<Outcome> ReceiveLoopAsync(ConnectionState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReceiveFrameAsync(state, cancellationToken).ConfigureAwait(false);
            if (frame is null)
            {
                var code = (int?)state.Socket.CloseStatus;
                await CloseQuietlyAsync(state.Socket, (WebSocketCloseStatus)4000, "reconnecting").ConfigureAwait(false);
                if (GatewayCloseCodes.FatalCause(code) is not null) return new Outcome($"closed with {code}", state.WasReady, FatalCode: code);
                return new Outcome($"closed with {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no code"}",
                    state.WasReady, NewSession: GatewayCloseCodes.EndsSession(code));
            }

            switch (frame.Op)
            {
                case GatewayOp.Dispatch:
                    OnDispatch(state, frame);
                    break;
                case GatewayOp.Heartbeat:
                    await SendHeartbeatAsync(state, cancellationToken).ConfigureAwait(false);
                    break;
                case GatewayOp.HeartbeatAck:
                    state.Acked = true;
                    break;
                case GatewayOp.Reconnect:
                    // Any code but 1000/1001 keeps the session resumable.
                    await CloseQuietlyAsync(state.Socket, (WebSocketCloseStatus)4000, "reconnect requested").ConfigureAwait(false);
                    return new Outcome("Discord asked to reconnect", state.WasReady);
                case GatewayOp.InvalidSession:
                    var resumable = frame.D.ValueKind == JsonValueKind.True;
                    await CloseQuietlyAsync(state.Socket, (WebSocketCloseStatus)4000, "invalid session").ConfigureAwait(false);
                    return new Outcome(resumable ? "invalid session (resumable)" : "invalid session", state.WasReady,
                        NewSession: !resumable, WaitBeforeIdentify: !resumable);
            }
        }
    }

    private void OnDispatch(ConnectionState state, GatewayFrame frame)
    {
        if (frame.S is { } seq) Volatile.Write(ref _seq, seq);
        switch (frame.T)
        {
            case "READY":
                var ready = ReadReady(frame.D);
                _sessionId = ready?.SessionId;
                _resumeUrl = Uri.TryCreate(ready?.ResumeGatewayUrl, UriKind.Absolute, out var resumeUrl) ? resumeUrl : plan.Url;
                state.WasReady = IsReady = true;
                metrics?.WebSocket("discord", "identified");
                logger.LogInformation("Discord gateway shard {Shard} of {Count} ready", shardId, plan.ShardCount);
                break;
            case "RESUMED":
                state.WasReady = IsReady = true;
                metrics?.WebSocket("discord", "resumed");
                logger.LogDebug("Discord gateway shard {Shard} resumed", shardId);
                break;
        }

        if (frame.T is not { } name) return;
        try
        {
            events.OnDispatch(shardId, name, frame.D);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever one event does to its handler, the shard keeps its session and reads the next one.
            logger.LogError("Discord gateway shard {Shard}: handling {Event} failed ({Error}: {Message})", shardId, name, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>READY's session, or null when it cannot be read: the shard then runs without one and identifies anew next time.</summary>
    private ReadyData? ReadReady(JsonElement data)
    {
        try
        {
            return data.ValueKind == JsonValueKind.Object ? data.Deserialize(GatewayJson.Default.ReadyData) : null;
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Discord gateway shard {Shard}: unreadable READY ({Error})", shardId, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// The first beat after interval × jitter (so shards restarted together do not beat together),
    /// then one per interval. No ACK since the last beat means the connection is dead though open:
    /// it is aborted, and the receive loop sees it as a drop and resumes.
    /// </summary>
    private async Task HeartbeatAsync(ConnectionState state, TimeSpan interval, CancellationToken cancellationToken)
    {
        await Task.Delay(interval * random(), time, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!state.Acked)
            {
                state.Zombie = true;
                await CloseQuietlyAsync(state.Socket, (WebSocketCloseStatus)4000, "no heartbeat ACK").ConfigureAwait(false);
                state.Socket.Abort();
                return;
            }

            state.Acked = false;
            await SendHeartbeatAsync(state, cancellationToken).ConfigureAwait(false);
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task SendHeartbeatAsync(ConnectionState state, CancellationToken cancellationToken) =>
        SendAsync(state, JsonSerializer.SerializeToUtf8Bytes(new GatewayCommand<long?>(GatewayOp.Heartbeat, LastSeq), GatewayJson.Default.GatewayCommandNullableInt64), cancellationToken);

    private static async Task SendAsync(ConnectionState state, byte[] payload, CancellationToken cancellationToken)
    {
        // A websocket takes one send at a time; heartbeats and commands come from different loops.
        await state.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await state.Socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.SendGate.Release();
        }
    }

    /// <summary>A frame that is not {op, d, s, t} as the gateway writes it: skipped, the connection carries on.</summary>
    private static readonly GatewayFrame Unreadable = new() { Op = -1 };

    /// <summary>The next frame (<see cref="Unreadable"/> for one that is not JSON of the right shape), or null when the server closed the socket.</summary>
    private async Task<GatewayFrame?> ReceiveFrameAsync(ConnectionState state, CancellationToken cancellationToken)
    {
        var buffer = state.Buffer;
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await state.Socket.ReceiveAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > MaxFrameBytes) throw new WebSocketException("gateway frame too large");
            if (!result.EndOfMessage) continue;
            // Binary frames only come with compression, which the bot never asks for.
            if (result.MessageType != WebSocketMessageType.Text) throw new JsonException("unexpected binary gateway frame");
            try
            {
                return JsonSerializer.Deserialize(buffer.WrittenSpan, GatewayJson.Default.GatewayFrame) ?? Unreadable;
            }
            catch (JsonException ex)
            {
                logger.LogWarning("Discord gateway shard {Shard}: skipped an unreadable frame ({Error})", shardId, ex.Message);
                return Unreadable;
            }
        }
    }

    /// <summary>Shutdown: 1000 ends the session, so Discord shows the bot offline at once instead of after a timeout.</summary>
    private static async Task CloseThenAbortAsync(ClientWebSocket socket)
    {
        await CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, "shutting down").ConfigureAwait(false);
        // A network wait like any other I/O deadline: on the wall clock, so a test's fake clock cannot stall shutdown.
        await Task.Delay(CloseTimeout, TimeProvider.System).ConfigureAwait(false);
        try
        {
            // A server that never echoes the close must not hold shutdown up.
            socket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = IoDeadline.After(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing a socket that is already gone: nothing to tell the other side.
        }
    }

    private static readonly string OperatingSystemName =
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "unknown";

    private static Uri WithQuery(Uri url) => new UriBuilder(url) { Query = "v=10&encoding=json" }.Uri;

    private sealed class ConnectionState(ClientWebSocket socket) : IDisposable
    {
        public ClientWebSocket Socket { get; } = socket;
        public SemaphoreSlim SendGate { get; } = new(1, 1);
        public ArrayBufferWriter<byte> Buffer { get; } = new(16 * 1024);
        public volatile bool Acked = true;
        public volatile bool Zombie;
        public bool WasReady;

        public void Dispose() => SendGate.Dispose();
    }
}
