using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Time.Testing;
using NSec.Cryptography;

namespace Bot.Testing.Discord;

/// <summary>
/// Discord's REST API on loopback, for tests: records every request, enforces the wire rules of
/// /work/shared/reference/discord.md (auth, limits, nonces, interaction token lifetimes, rate
/// limits) and lets a test script failures. All state sits behind one lock.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    private const string DefaultInteractionTokenPrefix = "fake-interaction-";

    private readonly Lock _gate = new();
    private readonly Key _signingKey;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<FakeMessage> _createdMessages = [];
    private readonly List<FakeInteractionResponse> _interactionResponses = [];
    private readonly List<(string Method, RoutePattern Pattern, ScriptedResponse Response)> _scripts = [];
    private int _invalidRequests;
    private int _rateLimited;
    private int _disposed;
    private WebApplication? _app;
    private Uri? _apiBaseUrl;
    private int _port;

    private FakeDiscordServer(FakeDiscordOptions options)
    {
        BotToken = options.BotToken;
        ApplicationId = options.ApplicationId;
        // Real time by default: a bot that checks signature timestamps against its own clock would reject a fixed past date.
        Clock = new FakeTimeProvider(options.Start ?? DateTimeOffset.UtcNow);
        _signingKey = Key.Create(SignatureAlgorithm.Ed25519);
        PublicKeyHex = Convert.ToHexStringLower(_signingKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        _global = new RateWindow(DefaultGlobalLimit, 1);
    }

    public Uri ApiBaseUrl => _apiBaseUrl ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The URL <c>GET /gateway/bot</c> hands out: the fake gateway (see FakeDiscordServer.Gateway.cs).</summary>
    public Uri GatewayUrl => new($"ws://127.0.0.1:{_port}/gateway");

    public string PublicKeyHex { get; }

    public string BotToken { get; }

    public string ApplicationId { get; }

    public FakeTimeProvider Clock { get; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    public IReadOnlyList<FakeMessage> Messages
    {
        get { lock (_gate) return [.. _createdMessages]; }
    }

    public IReadOnlyList<FakeInteractionResponse> InteractionResponses
    {
        get { lock (_gate) return [.. _interactionResponses]; }
    }

    public int InvalidRequestCount => Volatile.Read(ref _invalidRequests);

    /// <summary>429 answers sent so far (any scope, scripted ones included).</summary>
    public int RateLimitedCount => Volatile.Read(ref _rateLimited);

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions? options = null)
    {
        var server = new FakeDiscordServer(options ?? new FakeDiscordOptions());
        try
        {
            await server.StartServerAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartServerAsync()
    {
        // The empty builder reads no appsettings or environment, so nothing in the test's output folder can move the port.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddWebSockets(_ => { });
        var app = builder.Build();
        app.UseWebSockets();
        app.Use(next => context => IsGatewayRequest(context) ? GatewayAsync(context) : next(context));
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync();

        _port = new Uri(app.Urls.First()).Port;
        _apiBaseUrl = new Uri($"http://127.0.0.1:{_port}{ApiPrefix}/");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        _signingKey.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Signs <c>timestamp + body</c> the way Discord signs requests to an interactions endpoint.</summary>
    public (string Timestamp, string Signature) Sign(ReadOnlySpan<byte> body, string? timestamp = null)
    {
        timestamp ??= Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var timestampLength = Encoding.UTF8.GetByteCount(timestamp);
        var signed = new byte[timestampLength + body.Length];
        Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(timestampLength));
        return (timestamp, Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_signingKey, signed)));
    }

    /// <summary>
    /// A signed POST of <paramref name="json"/> to the bot. An interaction <c>token</c> in the JSON
    /// that is not registered yet is registered as issued now, so the bot can answer it here.
    /// </summary>
    public HttpRequestMessage CreateSignedInteraction(Uri endpoint, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        TrackInteraction(body);
        var (timestamp, signature) = Sign(body);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Signature-Ed25519", signature);
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        return request;
    }

    /// <summary>
    /// What Discord would refuse in <paramref name="json"/> as an interaction response (the rules the
    /// callback route applies), or null when it is a valid one.
    /// </summary>
    /// <param name="interactionType">The type of the interaction it answers, when known (a modal answers neither a ping nor a modal submission).</param>
    public static string? InteractionResponseProblem(string json, int? interactionType = null)
    {
        if (!JsonBits.TryParse(Encoding.UTF8.GetBytes(json), out var root)) return "not JSON";
        var errors = new ErrorTree();
        var type = CallbackRules.Validate(root, errors, interactionType);
        if (!errors.IsEmpty) return errors.ToBody().ToJsonString();
        JsonBits.TryGet(root, "data", out var data);
        return type == CallbackRules.ChannelMessage && MessageRules.IsEmpty(data) ? "Cannot send an empty message" : null;
    }

    /// <summary>Registers an interaction token as issued now on <see cref="Clock"/> (again, if it was known).</summary>
    public string RegisterInteraction(string? token = null)
    {
        token ??= DefaultInteractionTokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        lock (_gate) _interactions[token] = new InteractionState(Clock.GetUtcNow());
        return token;
    }

    /// <summary>A fresh snowflake from <see cref="Clock"/>, for interaction ids and other fixtures.</summary>
    public string NextSnowflake()
    {
        lock (_gate) return NewSnowflake();
    }

    /// <summary>Queues <paramref name="response"/> for the next request whose method (or "*") and path match.</summary>
    public void Script(string method, string routePattern, ScriptedResponse response)
    {
        lock (_gate) _scripts.Add((method, new RoutePattern(routePattern), response));
    }

    private void TrackInteraction(byte[] body)
    {
        if (!JsonBits.TryParse(body, out var interaction) || JsonBits.String(interaction, "token") is not { } token) return;
        lock (_gate)
        {
            if (!_interactions.TryGetValue(token, out var state))
            {
                state = new InteractionState(Clock.GetUtcNow());
                _interactions[token] = state;
            }
            state.Id = JsonBits.String(interaction, "id") ?? state.Id;
            state.Type = (int)(JsonBits.Integer(interaction, "type") ?? state.Type);
            state.ChannelId = JsonBits.String(interaction, "channel_id")
                ?? (JsonBits.TryObject(interaction, "channel", out var channel) ? JsonBits.String(channel, "id") : null)
                ?? state.ChannelId;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        var method = request.Method;
        var path = request.Path.Value ?? "/";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
            headers[name] = values.ToString();
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? path;
        var recorded = new RecordedRequest(method, path, query, headers, Encoding.UTF8.GetString(body), Clock.GetUtcNow()) { RawTarget = rawTarget };

        // Routed on the path as sent, each segment unescaped once, as Discord does: an escaped "/" stays inside its segment.
        var segments = RoutePattern.Split(rawTarget.Split('?')[0]).Select(Uri.UnescapeDataString).ToArray() is ["api", "v10", .. var rest] ? rest : null;
        ScriptedResponse? script = null;
        lock (_gate)
        {
            _requests.Add(recorded);
            if (segments is not null) script = TakeScript(method, segments);
        }

        if (script is not null)
        {
            if (script.Delay > TimeSpan.Zero)
            {
                using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
                try
                {
                    await Task.Delay(script.Delay, abort.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            if (script.Status != 0)
            {
                Reply scripted;
                lock (_gate) scripted = ScriptedReply(method, segments!, script);
                await WriteAsync(context, scripted);
                return;
            }
        }

        await WaitForCallbackAsync(segments, context.RequestAborted);
        Reply reply;
        lock (_gate) reply = Dispatch(request, method, segments, body);
        await WriteAsync(context, reply);
    }

    /// <summary>
    /// On Discord a webhook request for an interaction never overtakes its first callback: in HTTP mode
    /// that callback is the answer to Discord's own request, read before anything else. Here a test hands
    /// that answer back (<see cref="AcceptHttpResponse"/>) after it arrives, so an edit racing it waits a
    /// little (real time) instead of seeing a message that does not exist yet.
    /// </summary>
    private async Task WaitForCallbackAsync(string[]? segments, CancellationToken requestAborted)
    {
        if (segments is not ["webhooks", _, var token, ..]) return;
        Task callback;
        lock (_gate)
        {
            if (!_interactions.TryGetValue(token, out var state) || state.CallbackType is not null) return;
            callback = state.CallbackSeen.Task;
        }

        using var abort = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, _stopping.Token);
        try
        {
            await callback.WaitAsync(CallbackWait, abort.Token);
        }
        catch (TimeoutException)
        {
            // Never answered: the request gets what Discord would say to it.
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>How long a webhook request waits for its interaction's first callback.</summary>
    public TimeSpan CallbackWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Posts a signed interaction as Discord does in HTTP mode and takes the answer as the interaction's
    /// first callback, as Discord would. The response is returned with its body read.
    /// </summary>
    public async Task<HttpResponseMessage> SendInteractionAsync(HttpClient http, Uri endpoint, string json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = await http.SendAsync(CreateSignedInteraction(endpoint, json), cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode && JsonBits.TryParse(Encoding.UTF8.GetBytes(text), out var answer)
            && JsonBits.Integer(answer, "type") is { } type && type != 1
            && JsonBits.TryParse(Encoding.UTF8.GetBytes(json), out var interaction) && JsonBits.String(interaction, "token") is { } token)
            AcceptHttpResponse(token, text);
        return response;
    }

    private ScriptedResponse? TakeScript(string method, string[] segments)
    {
        var index = _scripts.FindIndex(s =>
            (s.Method == "*" || string.Equals(s.Method, method, StringComparison.OrdinalIgnoreCase)) && s.Pattern.Matches(segments));
        if (index < 0) return null;
        var script = _scripts[index].Response;
        _scripts.RemoveAt(index);
        return script;
    }

    private Reply ScriptedReply(string method, string[] segments, ScriptedResponse script)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (script.Headers is not null)
            foreach (var (name, value) in script.Headers)
                headers[name] = value;

        if (script.NonJsonCloudflare)
        {
            headers.TryAdd("Server", "cloudflare");
            headers.TryAdd("CF-RAY", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + "-AMS");
            return new Reply(script.Status, CloudflareBanPage, "text/html; charset=UTF-8", headers, Cloudflare: true);
        }

        if (headers.TryGetValue("X-RateLimit-Reset-After", out var resetAfterText)
            && !headers.ContainsKey("X-RateLimit-Reset")
            && double.TryParse(resetAfterText, NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
            headers["X-RateLimit-Reset"] = ResetEpoch(resetAfter);

        return new Reply(script.Status, script.JsonBody, Headers: headers) { Rate = PeekRate(Resolve(method, segments, out _)) };
    }

    private async Task WriteAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.Status;
        if (!reply.Cloudflare) response.Headers["Via"] = "1.1 google";
        if (reply.Rate is { } rate)
        {
            response.Headers["X-RateLimit-Limit"] = rate.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Remaining"] = rate.Remaining.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Reset"] = rate.ResetEpoch;
            response.Headers["X-RateLimit-Reset-After"] = rate.ResetAfter.ToString("0.000", CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Bucket"] = rate.Bucket;
        }
        if (reply.Headers is not null)
            foreach (var (name, value) in reply.Headers)
                response.Headers[name] = value;

        var sharedScope = reply.Headers is not null
            && reply.Headers.TryGetValue("X-RateLimit-Scope", out var scope)
            && string.Equals(scope, "shared", StringComparison.OrdinalIgnoreCase);
        if (reply.Status is 401 or 403 or 429 && !sharedScope)
            Interlocked.Increment(ref _invalidRequests);
        if (reply.Status == 429) Interlocked.Increment(ref _rateLimited);

        if (reply.Body is not null)
        {
            response.ContentType = reply.ContentType;
            await response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    private string NewSnowflake()
    {
        const long DiscordEpochMs = 1420070400000;
        var sinceEpoch = Math.Max(0, Clock.GetUtcNow().ToUnixTimeMilliseconds() - DiscordEpochMs);
        // Monotonic even when the fake clock stands still, which it does for most of a test.
        _lastSnowflake = Math.Max((ulong)sinceEpoch << 22, _lastSnowflake + 1);
        return _lastSnowflake.ToString(CultureInfo.InvariantCulture);
    }

    private string Timestamp() =>
        Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private const string CloudflareBanPage =
        "<!DOCTYPE html><html><head><title>Access denied | discord.com used Cloudflare to restrict access</title></head>"
        + "<body><h1>Error 1015</h1><p>You are being rate limited.</p></body></html>";

    private sealed record Reply(
        int Status,
        string? Body = null,
        string ContentType = "application/json",
        IReadOnlyDictionary<string, string>? Headers = null,
        bool Cloudflare = false)
    {
        public static readonly Reply NoContent = new(204);

        public RateInfo? Rate { get; init; }

        // Discord writes '+' and non-ASCII letters as is; the default encoder escapes them (astral characters such as emoji stay \u-escaped either way).
        private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static Reply Json(int status, JsonNode body) => new(status, body.ToJsonString(Output));

        public static Reply Error(int status, int code, string message) =>
            Json(status, new JsonObject { ["code"] = code, ["message"] = message });
    }

    private sealed record RateInfo(int Limit, int Remaining, double ResetAfter, string ResetEpoch, string Bucket);
}
