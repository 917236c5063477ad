using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests.Socket;

/// <summary>
/// A raw Socket Mode client for tests: a background loop reads frames (reassembling fragments) into a queue, answers the
/// server's close frame, and remembers how the socket ended.
/// </summary>
internal sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    private static readonly HttpClient Http = new();

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _pump;

    private TestSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Completes when the socket is over: the server's close status, or null when it was dropped.</summary>
    public Task<WebSocketCloseStatus?> Ended => _ended.Task;

    public static async Task<Uri> OpenUrlAsync(FakeSlackServer slack)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(slack.ApiBaseUrl, "apps.connections.open"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", slack.AppToken);
        using var response = await Http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("ok").GetBoolean());
        return new Uri(body.RootElement.GetProperty("url").GetString()!);
    }

    public static async Task<TestSocket> ConnectAsync(FakeSlackServer slack) => await ConnectAsync(await OpenUrlAsync(slack));

    public static async Task<TestSocket> ConnectAsync(Uri url)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(DefaultWait);
            await socket.ConnectAsync(url, timeout.Token);
            return new TestSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects and reads the hello frame.</summary>
    public static async Task<(TestSocket Socket, JsonElement Hello)> ConnectReadyAsync(FakeSlackServer slack)
    {
        var socket = await ConnectAsync(slack);
        var hello = await socket.ReceiveAsync();
        Assert.Equal("hello", hello.GetProperty("type").GetString());
        return (socket, hello);
    }

    public async Task<JsonElement> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No frame arrived in time.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The socket ended before another frame arrived.");
        }
    }

    /// <summary>The next frame within <paramref name="wait"/>, or null when none came (or the socket ended).</summary>
    public async Task<JsonElement?> TryReceiveAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>One text message written as <paramref name="parts"/> websocket fragments.</summary>
    public async Task SendSplitAsync(string text, int parts)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = (bytes.Length + parts - 1) / parts;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var count = Math.Min(size, bytes.Length - offset);
            await _socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
        }
    }

    public Task SendBinaryAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public Task AckAsync(string envelopeId, string? payloadJson = null) => SendTextAsync(payloadJson is null
        ? $$"""{"envelope_id":"{{envelopeId}}"}"""
        : $$"""{"envelope_id":"{{envelopeId}}","payload":{{payloadJson}}}""");

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultWait);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        await Ended.WaitAsync(DefaultWait);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _pump;
        _socket.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    _ended.TrySetResult(_socket.CloseStatus);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                using (var document = JsonDocument.Parse(message.ToArray()))
                    _frames.Writer.TryWrite(document.RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception)
        {
            _ended.TrySetResult(null);
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
