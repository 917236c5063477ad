using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Bot.Core.Diagnostics;

namespace Bot.Slack.Socket;

/// <summary>
/// One Socket Mode websocket: connects, waits for <c>hello</c>, hands every other frame to the
/// caller, and sends acknowledgements (one send at a time, from any thread).
/// </summary>
internal sealed class SocketModeConnection : IDisposable
{
    private const int MaxFrameBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);
    // Slack pings the bot, but .NET never shows those pings; its own pings with a pong deadline are what notice a dead socket.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    private SocketModeConnection(int id) => Id = id;

    public int Id { get; }

    public static async Task<SocketModeConnection> OpenAsync(int id, Uri url, CancellationToken cancellationToken)
    {
        var connection = new SocketModeConnection(id);
        try
        {
            connection._socket.Options.KeepAliveInterval = KeepAlive;
            connection._socket.Options.KeepAliveTimeout = KeepAlive;
            using var timeout = IoDeadline.After(HelloTimeout, cancellationToken);
            await connection._socket.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
            var hello = await connection.ReceiveFrameAsync(timeout.Token).ConfigureAwait(false);
            if (hello?.Type != "hello")
                throw new WebSocketException($"Slack opened the socket with '{hello?.Type ?? "a close"}' instead of hello");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The next frame, or null once Slack has closed the socket.</summary>
    public async Task<SocketFrame?> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > MaxFrameBytes) throw new WebSocketException("Socket Mode frame too large");
            if (!result.EndOfMessage) continue;
            if (result.MessageType != WebSocketMessageType.Text) return new SocketFrame();
            return Parse(_buffer.WrittenSpan);
        }
    }

    /// <summary>
    /// A frame that cannot be read comes back marked <see cref="SocketFrame.Unreadable"/>, never as an exception: one bad
    /// frame must not cost the socket and every envelope queued behind it.
    /// </summary>
    internal static SocketFrame Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, SocketModeJson.Default.SocketFrame) ?? new SocketFrame { Unreadable = "a JSON null" };
        }
        catch (JsonException ex)
        {
            return new SocketFrame { EnvelopeId = FindEnvelopeId(bytes), Unreadable = ex.Message };
        }
    }

    /// <summary>The top-level envelope_id of a frame that did not deserialize, if a reader can still reach it (Slack writes it first).</summary>
    private static string? FindEnvelopeId(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 1024 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("envelope_id"u8);
                if (!reader.Read()) return null;
                if (isId) return reader.TokenType == JsonTokenType.String ? Protocol.InboundText.ReadString(ref reader) : null;
                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Broken before the id: nothing to acknowledge.
        }

        return null;
    }

    /// <summary><c>{"envelope_id":…}</c>, with the reply as <c>payload</c> when there is one (a slash command's answer).</summary>
    public async Task AckAsync(string envelopeId, byte[]? payloadJson, CancellationToken cancellationToken)
    {
        var frame = new ArrayBufferWriter<byte>(64 + (payloadJson?.Length ?? 0));
        using (var writer = new Utf8JsonWriter(frame))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_id", envelopeId);
            if (payloadJson is not null)
            {
                writer.WritePropertyName("payload");
                writer.WriteRawValue(payloadJson, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>
    /// Cancelling a pending receive would abort the socket without a close frame. Instead, when
    /// <paramref name="stop"/> fires the socket is closed normally, the pending receive ends on Slack's
    /// echo, and a Slack that never echoes is cut off after a moment.
    /// </summary>
    public CancellationTokenRegistration CloseOn(CancellationToken stop) => stop.Register(() => _ = CloseThenAbortAsync());

    private async Task CloseThenAbortAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        // A network wait like any other I/O deadline: on the wall clock, so a test's fake clock cannot stall shutdown.
        await Task.Delay(CloseTimeout, TimeProvider.System).ConfigureAwait(false);
        try
        {
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>A normal close, without waiting long for a server that may already be gone.</summary>
    public async Task CloseAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = IoDeadline.After(CloseTimeout);
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _sendGate.Dispose();
    }
}
