using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Testing.Feeds;

/// <summary>
/// Feed publishers on loopback (Kestrel, 127.0.0.1, a free port). Register a path with a <see cref="FeedResponse"/>
/// (conditional GET, gzip/brotli handled for you) or any handler; helpers cover redirects, slow, endless and huge
/// bodies. Every request is recorded. Unregistered paths answer 404.
/// </summary>
public sealed class FeedServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FeedServerRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private FeedServer()
    {
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IPEndPoint EndPoint => new(IPAddress.Loopback, BaseUrl.Port);

    public IReadOnlyList<FeedServerRequest> Requests => [.. _requests];

    public static async Task<FeedServer> StartAsync()
    {
        var server = new FeedServer();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            // Big and endless bodies are the point of some routes.
            kestrel.Limits.MaxResponseBufferSize = null;
        });
        var app = builder.Build();
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no addresses.");
            server.BaseUrl = new Uri(addresses.Addresses.First().TrimEnd('/') + "/");
            server._app = app;
            return server;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The absolute URL of <paramref name="path"/> ("/news.xml" or "news.xml") on this server.</summary>
    public Uri Url(string path) => new(BaseUrl, path.TrimStart('/'));

    /// <summary>Answers <paramref name="path"/> with <paramref name="handler"/>; the newest registration of a path wins.</summary>
    public void Map(string path, Func<HttpContext, Task> handler) => _routes[Normalize(path)] = handler;

    /// <summary>Answers <paramref name="path"/> with a fixed response: 304 for a matching If-None-Match / If-Modified-Since, compressed when asked to and accepted.</summary>
    public void Map(string path, FeedResponse response) => Map(path, context => response.WriteAsync(context));

    /// <summary>Answers <paramref name="path"/> with whatever <paramref name="build"/> makes for each request (a feed that changes between polls).</summary>
    public void Map(string path, Func<FeedResponse> build) => Map(path, context => build().WriteAsync(context));

    public void MapRedirect(string path, string location, int status = StatusCodes.Status302Found) => Map(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    /// <summary>Sends <paramref name="body"/> a chunk at a time with a pause before each chunk.</summary>
    public void MapSlow(string path, string body, TimeSpan pause, int chunkSize = 64, string contentType = FeedResponse.RssType) => Map(path, async context =>
    {
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            await Task.Delay(pause, context.RequestAborted);
            await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    });

    /// <summary>A feed that never ends: an RSS opening, then items forever (with <paramref name="pause"/> between them, if any), until the client goes away.</summary>
    public void MapEndless(string path, TimeSpan? pause = null) => Map(path, async context =>
    {
        context.Response.ContentType = FeedResponse.RssType;
        var token = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token).Token;
        try
        {
            await context.Response.WriteAsync("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Endless</title>", token);
            for (var i = 0; ; i++)
            {
                if (pause is { } wait) await Task.Delay(wait, token);
                await context.Response.WriteAsync($"<item><title>Item {i}</title><guid>endless-{i}</guid></item>", token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    });

    /// <summary>A body of <paramref name="bytes"/> bytes (a valid RSS feed padded with a long comment), streamed without holding it in memory.</summary>
    public void MapLarge(string path, long bytes, bool sendLength = true) => Map(path, async context =>
    {
        context.Response.ContentType = FeedResponse.RssType;
        var head = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Large</title><!--");
        var tail = Encoding.UTF8.GetBytes("--></channel></rss>");
        if (sendLength) context.Response.ContentLength = bytes;
        var filler = new byte[64 * 1024];
        Array.Fill(filler, (byte)'x');
        try
        {
            await context.Response.Body.WriteAsync(head, context.RequestAborted);
            var left = bytes - head.Length - tail.Length;
            while (left > 0)
            {
                var n = (int)Math.Min(filler.Length, left);
                await context.Response.Body.WriteAsync(filler.AsMemory(0, n), context.RequestAborted);
                left -= n;
            }

            await context.Response.Body.WriteAsync(tail, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    });

    /// <summary>How many requests reached <paramref name="path"/>.</summary>
    public int Hits(string path)
    {
        var normalized = Normalize(path);
        return _requests.Count(r => r.Path == normalized);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await _stopping.CancelAsync();
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = Normalize(context.Request.Path.Value ?? "/");
        var headers = context.Request.Headers;
        _requests.Enqueue(new FeedServerRequest(
            path,
            context.Request.QueryString.Value ?? string.Empty,
            headers.IfNoneMatch.ToString() is { Length: > 0 } etag ? etag : null,
            headers.IfModifiedSince.ToString() is { Length: > 0 } since ? since : null,
            headers.AcceptEncoding.ToString(),
            headers.UserAgent.ToString()));
        if (_routes.TryGetValue(path, out var handler)) await handler(context);
        else context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private static string Normalize(string path) => "/" + path.TrimStart('/');
}

/// <summary>One request the feed server received: its path, query, validators and encodings.</summary>
public sealed record FeedServerRequest(string Path, string Query, string? IfNoneMatch, string? IfModifiedSince, string AcceptEncoding, string UserAgent);

public enum FeedCompression
{
    None,
    Gzip,
    Brotli,
}

/// <summary>A fixed answer for <see cref="FeedServer.Map(string, FeedResponse)"/>.</summary>
public sealed record FeedResponse(string Body, string ContentType = FeedResponse.RssType)
{
    public const string RssType = "application/rss+xml; charset=utf-8";
    public const string AtomType = "application/atom+xml; charset=utf-8";
    public const string JsonFeedType = "application/feed+json; charset=utf-8";
    public const string HtmlType = "text/html; charset=utf-8";

    public int Status { get; init; } = StatusCodes.Status200OK;

    /// <summary>Sent as ETag; a request with a matching If-None-Match gets 304.</summary>
    public string? ETag { get; init; }

    /// <summary>Sent as Last-Modified; a request whose If-Modified-Since is not older gets 304 (when it sent no If-None-Match).</summary>
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Compress the body this way when the request's Accept-Encoding allows it.</summary>
    public FeedCompression Compression { get; init; }

    /// <summary>The body as bytes, for documents that are not valid UTF-8 (or not text); wins over <see cref="Body"/>.</summary>
    public byte[]? RawBody { get; init; }

    public static FeedResponse Rss(string body) => new(body);

    public static FeedResponse Atom(string body) => new(body, AtomType);

    public static FeedResponse Json(string body) => new(body, JsonFeedType);

    public static FeedResponse Html(string body) => new(body, HtmlType);

    public async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        if (ETag is not null) response.Headers.ETag = ETag;
        if (LastModified is { } modified) response.Headers.LastModified = modified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

        if (Status == StatusCodes.Status200OK && IsNotModified(request))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = Status;
        response.ContentType = ContentType;
        var bytes = RawBody ?? Encoding.UTF8.GetBytes(Body);
        var accepted = request.Headers.AcceptEncoding.ToString();
        if (Compression == FeedCompression.Gzip && accepted.Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.ContentEncoding = "gzip";
            bytes = Compress(bytes, stream => new GZipStream(stream, CompressionLevel.Fastest));
        }
        else if (Compression == FeedCompression.Brotli && accepted.Contains("br", StringComparison.OrdinalIgnoreCase))
        {
            response.Headers.ContentEncoding = "br";
            bytes = Compress(bytes, stream => new BrotliStream(stream, CompressionLevel.Fastest));
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private bool IsNotModified(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0)
            return ETag is not null && ifNoneMatch.Split(',').Any(tag => tag.Trim() == ETag || tag.Trim() == "*");
        var ifModifiedSince = request.Headers.IfModifiedSince.ToString();
        return LastModified is { } modified && ifModifiedSince.Length > 0
            && DateTimeOffset.TryParse(ifModifiedSince, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var since)
            && modified.ToUnixTimeSeconds() <= since.ToUnixTimeSeconds();
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> wrap)
    {
        using var output = new MemoryStream();
        using (var compressor = wrap(output)) compressor.Write(bytes);
        return output.ToArray();
    }
}
