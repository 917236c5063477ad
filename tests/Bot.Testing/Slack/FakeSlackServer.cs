using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing.Slack;

/// <summary>
/// A Slack stand-in on loopback: Web API under <see cref="ApiBaseUrl"/>, response_url endpoints, a Socket Mode websocket
/// (FakeSlackServer.Socket.cs), and builders for signed requests to the bot. Everything it receives is recorded; answers can be scripted per method.
/// </summary>
public sealed partial class FakeSlackServer : IAsyncDisposable
{
    public const string DefaultChannelId = "C0GENERAL";
    public const string DefaultUserId = "U0ALICE";
    public const string ResponseUrlMethod = "response_url";

    private const string JsonContentType = "application/json; charset=utf-8";
    private const string TextContentType = "text/plain; charset=utf-8";
    private static readonly DateTimeOffset DefaultStart = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly Lock _gate = new();
    private readonly byte[] _signingKey;
    private readonly List<RecordedSlackCall> _calls = [];
    private readonly List<SlackPostedMessage> _messages = [];
    private readonly Dictionary<string, Queue<ScriptedSlackResponse>> _scripts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _admins = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private Uri? _baseUrl;

    private FakeSlackServer(FakeSlackOptions options)
    {
        SigningSecret = options.SigningSecret;
        _signingKey = Encoding.UTF8.GetBytes(options.SigningSecret);
        Clock = new FakeTimeProvider(options.Start ?? DefaultStart);
        AddChannel(DefaultChannelId);
    }

    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The Web API base, <c>http://127.0.0.1:PORT/api/</c>, with the trailing slash.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    public string SigningSecret { get; }

    public string BotToken { get; } = "xoxb-fake";

    public string AppToken { get; } = "xapp-fake";

    public string TeamId { get; } = "T0FAKE";

    public string TeamDomain { get; } = "fake-team";

    public string AppId { get; } = "A0FAKE";

    public string BotUserId { get; } = "U0BOT";

    public string BotId { get; } = "B0BOT";

    /// <summary>Drives signing timestamps, message ts values, response_url expiry and channel pacing.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Web API calls and response_url posts in the order they were answered.</summary>
    public IReadOnlyList<RecordedSlackCall> Calls
    {
        get
        {
            lock (_gate)
                return _calls.ToArray();
        }
    }

    public IReadOnlyList<SlackPostedMessage> Messages
    {
        get
        {
            lock (_gate)
                return _messages.ToArray();
        }
    }

    public IReadOnlySet<string> AdminUserIds
    {
        get
        {
            lock (_gate)
                return new HashSet<string>(_admins, StringComparer.Ordinal);
        }
    }

    public static async Task<FakeSlackServer> StartAsync(FakeSlackOptions? options = null)
    {
        var server = new FakeSlackServer(options ?? new FakeSlackOptions());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        app.Use(server.RouteSocketAsync);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no addresses.");
            var address = addresses.Addresses.First();
            server._baseUrl = new Uri(address.TrimEnd('/') + "/");
            server._app = app;
            server.StartSocketLoop();
            return server;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Queues an answer for the next call of <paramref name="method"/> (e.g. "chat.postMessage" or "response_url").</summary>
    public void Script(string method, ScriptedSlackResponse response)
    {
        lock (_gate)
        {
            if (!_scripts.TryGetValue(method, out var queue))
                _scripts[method] = queue = new Queue<ScriptedSlackResponse>();
            queue.Enqueue(response);
        }
    }

    public void AddAdmin(string userId)
    {
        lock (_gate)
            _admins.Add(userId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            // Scripted delays would otherwise hold up Kestrel's graceful shutdown.
            await _stopping.CancelAsync();
            await StopSocketLoopAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        string method;
        Func<IncomingRequest, Reply> handler;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            method = path["/api/".Length..];
            handler = HandleWebApi;
        }
        else if (path.StartsWith("/response/", StringComparison.Ordinal))
        {
            method = ResponseUrlMethod;
            var id = path["/response/".Length..];
            handler = request => HandleResponseUrl(id, request);
        }
        else if (path == "/oauth/v2/authorize")
        {
            method = "oauth.authorize";
            handler = Authorize;
        }
        else
        {
            await WriteAsync(context, new Reply(404, "not_found", TextContentType));
            return;
        }

        var request = await ReadRequestAsync(context, method, path);
        var script = TakeScript(method);
        Reply reply;
        if (script is null)
        {
            reply = Handle(handler, request);
        }
        else
        {
            if (script.Delay > TimeSpan.Zero)
            {
                using var delayEnd = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
                try
                {
                    await Task.Delay(script.Delay, delayEnd.Token);
                }
                catch (OperationCanceledException)
                {
                    Record(request, 0, "");
                    context.Abort();
                    return;
                }
            }

            if (script.DropConnection)
            {
                Record(request, 0, "");
                context.Abort();
                return;
            }

            if (script is { Status: 200, JsonBody: null })
            {
                reply = Handle(handler, request);
            }
            else
            {
                reply = new Reply(script.Status, script.JsonBody ?? "", script.JsonBody is null ? null : JsonContentType);
                lock (_gate) Record(request, reply.Status, reply.Body);
            }

            if (script.Headers is not null)
                reply = reply with { Headers = Merge(reply.Headers, script.Headers) };
        }

        await WriteAsync(context, reply);
    }

    private Reply Handle(Func<IncomingRequest, Reply> handler, IncomingRequest request)
    {
        lock (_gate)
        {
            var reply = handler(request);
            Record(request, reply.Status, reply.Body);
            return reply;
        }
    }

    private ScriptedSlackResponse? TakeScript(string method)
    {
        lock (_gate)
            return _scripts.TryGetValue(method, out var queue) && queue.TryDequeue(out var script) ? script : null;
    }

    private void Record(IncomingRequest request, int status, string responseBody)
    {
        lock (_gate)
        {
            _calls.Add(new RecordedSlackCall(
                request.Method, request.Path, request.Headers, request.ContentType, request.Body, request.At, status, responseBody));
        }
    }

    private async Task<IncomingRequest> ReadRequestAsync(HttpContext context, string method, string path)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
            headers[name] = values.ToString();
        return new IncomingRequest(
            method,
            path,
            headers,
            context.Request.ContentType ?? "",
            Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length),
            context.Request.QueryString.Value ?? "",
            Clock.GetUtcNow());
    }

    private static async Task WriteAsync(HttpContext context, Reply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.ContentType is not null)
            context.Response.ContentType = reply.ContentType;
        if (reply.Headers is not null)
        {
            foreach (var (name, value) in reply.Headers)
                context.Response.Headers[name] = value;
        }

        if (reply.Body.Length > 0)
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
    }

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string>? first, IReadOnlyDictionary<string, string> second)
    {
        var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in first ?? new Dictionary<string, string>())
            merged[name] = value;
        foreach (var (name, value) in second)
            merged[name] = value;
        return merged;
    }

    private string NowUnixSeconds() => Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private sealed record IncomingRequest(
        string Method,
        string Path,
        IReadOnlyDictionary<string, string> Headers,
        string ContentType,
        string Body,
        string Query,
        DateTimeOffset At);

    private sealed record Reply(int Status, string Body, string? ContentType, IReadOnlyDictionary<string, string>? Headers = null);
}
