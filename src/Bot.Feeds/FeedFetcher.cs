using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Bot.Core.Diagnostics;
using Bot.Core.Feeds;
using Microsoft.Extensions.Options;

namespace Bot.Feeds;

/// <summary>
/// The real <see cref="IFeedFetcher"/>: a conditional GET within one deadline, redirects followed here (each hop
/// connects through <see cref="FeedConnectionGuard"/>), the body read up to the size cap and no further, then
/// <see cref="FeedParser"/>. Everything the server or the document does ends as a result with a readable problem.
/// </summary>
public sealed class FeedFetcher(IHttpClientFactory clients, IOptions<FeedFetchOptions> options) : IFeedFetcher
{
    public const string HttpClientName = "feeds";

    private readonly FeedFetchOptions _options = options.Value;

    public async Task<FeedFetchResult> FetchAsync(FeedFetchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SchemeProblem(request.Url) is { } problem) return FeedFetchResult.Refused(problem);

        using var deadline = IoDeadline.After(_options.Timeout, cancellationToken);
        try
        {
            return await FetchWithinAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Not our deadline: the handler's own connect timeout gave up on an address that never answered.
            return deadline.IsCancellationRequested
                ? FeedFetchResult.Failed($"timed out after {_options.TimeoutSeconds} s")
                : FeedFetchResult.Failed("network: connection timed out");
        }
        catch (HttpRequestException exception) when (FindRefusal(exception) is { } refusal)
        {
            return FeedFetchResult.Refused(refusal.Message);
        }
        catch (HttpRequestException exception)
        {
            return FeedFetchResult.Failed(NetworkProblem(exception));
        }
        catch (IOException exception)
        {
            return FeedFetchResult.Failed($"network: {FeedParser.OneLine(exception.Message)}");
        }
    }

    private async Task<FeedFetchResult> FetchWithinAsync(FeedFetchRequest request, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        var url = request.Url;
        var visited = new HashSet<string>(StringComparer.Ordinal) { url.AbsoluteUri };
        for (var hop = 0; ; hop++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, url);
            AddValidators(message, request);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

            if (IsRedirect(response.StatusCode))
            {
                if (response.Headers.Location is not { } location) return FeedFetchResult.Failed($"HTTP {(int)response.StatusCode} without a Location");
                if (!Uri.TryCreate(url, location, out var next)) return FeedFetchResult.Failed("redirect to an unreadable address");
                if (SchemeProblem(next) is { } schemeProblem) return FeedFetchResult.Refused($"{schemeProblem} (redirected)");
                if (!visited.Add(next.AbsoluteUri)) return FeedFetchResult.Failed("redirect loop");
                if (hop >= _options.MaxRedirects) return FeedFetchResult.Failed($"too many redirects (more than {_options.MaxRedirects})");
                url = next;
                continue;
            }

            if (response.StatusCode == HttpStatusCode.NotModified) return FeedFetchResult.NotModified(url);
            if (!response.IsSuccessStatusCode) return FeedFetchResult.Failed($"HTTP {(int)response.StatusCode}");

            if (response.Content.Headers.ContentLength > _options.MaxBytes) return TooLarge();
            var body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            if (body is null) return TooLarge();

            var contentType = response.Content.Headers.ContentType?.MediaType;
            var parsed = FeedParser.Parse(body.Value, contentType, url);
            if (parsed.Problem is not null) return new FeedFetchResult(FeedFetchOutcome.Failed, [], FinalUrl: url, Problem: parsed.Problem);

            return new FeedFetchResult(
                FeedFetchOutcome.Fetched,
                parsed.Items,
                parsed.Title,
                ETagOf(response),
                response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture),
                url);
        }
    }

    // A server's ETag that does not parse as one (unquoted, say) is still worth sending back as it came.
    private static string? ETagOf(HttpResponseMessage response) =>
        response.Headers.ETag?.ToString()
        ?? (response.Headers.TryGetValues("ETag", out var raw) ? raw.FirstOrDefault() is { Length: > 0 and <= 512 } tag ? tag : null : null);

    private static void AddValidators(HttpRequestMessage message, FeedFetchRequest request)
    {
        message.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
        if (!string.IsNullOrWhiteSpace(request.ETag)) message.Headers.TryAddWithoutValidation("If-None-Match", request.ETag);
        if (!string.IsNullOrWhiteSpace(request.LastModified)) message.Headers.TryAddWithoutValidation("If-Modified-Since", request.LastModified);
    }

    /// <summary>The body, or null when it is longer than the cap; never more than the cap plus one buffer is held.</summary>
    private async Task<ReadOnlyMemory<byte>?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var limit = _options.MaxBytes;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private FeedFetchResult TooLarge() => FeedFetchResult.Failed($"too large: over {Size(_options.MaxBytes)}");

    internal static string Size(long bytes) => bytes switch
    {
        _ when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        _ when bytes % 1024 == 0 => $"{bytes / 1024} KB",
        _ => $"{bytes} bytes",
    };

    private static string? SchemeProblem(Uri url)
    {
        if (!url.IsAbsoluteUri) return "refused: not an absolute address";
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) return $"refused: only http and https feeds, not {PlainText.Clean(url.Scheme, 20)}";
        return null;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static AddressRefusedException? FindRefusal(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is AddressRefusedException refusal) return refusal;
        }

        return null;
    }

    private static string NetworkProblem(HttpRequestException exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.HostNotFound or SocketError.NoData => "network: host not found",
                    SocketError.ConnectionRefused => "network: connection refused",
                    SocketError.TimedOut => "network: connection timed out",
                    _ => $"network: {socket.SocketErrorCode}",
                };
            }
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.SecureConnectionError => "network: TLS handshake failed",
            HttpRequestError.ResponseEnded => "network: the server closed the connection early",
            HttpRequestError.InvalidResponse => "network: not a valid HTTP response",
            _ => $"network: {FeedParser.OneLine(exception.Message)}",
        };
    }
}
