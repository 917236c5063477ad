using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bot.Core.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Protocol;

/// <summary>
/// Discord's REST API, typed for what the bot does. Honours per-route buckets, the global limit and
/// 429 retry_after; retries 5xx and timeouts with exponential backoff and jitter; turns refusals into
/// <see cref="DiscordApiException"/>. The bot token goes only to bot routes, never into logs.
/// </summary>
internal sealed class DiscordRestClient(HttpClient http, RateLimiter limiter, TimeProvider time, IOptions<DiscordOptions> options, ILogger<DiscordRestClient> logger)
{
    public const string UserAgent = "DiscordBot (https://github.com/briefing-bot/briefing-bot, 1.0)";
    private const int MaxTransientAttempts = 5;
    private const int MaxRateLimitWaits = 8;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    private DiscordOptions Options => options.Value;

    /// <summary>Posts to a channel. The nonce (at most 25 characters) makes a retried send return the first message instead of posting twice.</summary>
    public Task<SentMessage> CreateMessageAsync(string channelId, MessagePayload payload, string nonce, CancellationToken cancellationToken)
    {
        var channel = Snowflake.Checked(channelId, "channel id");
        return SendAsync(HttpMethod.Post, $"channels/{channel}/messages", "POST /channels/{id}/messages", channel,
            payload with { Nonce = nonce, EnforceNonce = true }, DiscordJson.Default.MessagePayload, DiscordJson.Default.SentMessage,
            botAuth: true, global: true, channel, cancellationToken)!;
    }

    public Task EditOriginalAsync(string interactionToken, MessagePayload payload, CancellationToken cancellationToken)
    {
        var webhook = Webhook(interactionToken);
        return SendAsync(HttpMethod.Patch, $"webhooks/{webhook}/messages/@original", "PATCH /webhooks/{id}/{token}/messages/@original",
            webhook, payload, DiscordJson.Default.MessagePayload, DiscordJson.Default.SentMessage,
            botAuth: false, global: false, null, cancellationToken);
    }

    public Task<SentMessage?> CreateFollowupAsync(string interactionToken, MessagePayload payload, CancellationToken cancellationToken)
    {
        var webhook = Webhook(interactionToken);
        return SendAsync(HttpMethod.Post, $"webhooks/{webhook}", "POST /webhooks/{id}/{token}",
            webhook, payload, DiscordJson.Default.MessagePayload, DiscordJson.Default.SentMessage,
            botAuth: false, global: false, null, cancellationToken);
    }

    /// <summary>
    /// Answers an interaction received over the gateway with the handler's response bytes (HTTP
    /// interactions answer in the response body instead).
    /// </summary>
    public Task InteractionCallbackAsync(string interactionId, string interactionToken, byte[] responseJson, CancellationToken cancellationToken)
    {
        var id = Snowflake.Checked(interactionId, "interaction id");
        return SendBytesAsync(HttpMethod.Post, $"interactions/{id}/{Token(interactionToken)}/callback", "POST /interactions/{id}/{token}/callback",
            id, responseJson, DiscordJson.Default.JsonElement, botAuth: false, global: false, null, cancellationToken);
    }

    /// <summary>Replaces the whole command set, globally or in one guild. Discord applies no change when the set is the same.</summary>
    public async Task<int> OverwriteCommandsAsync(string? guildId, List<ApplicationCommand> commands, CancellationToken cancellationToken)
    {
        var application = ApplicationId;
        var guild = guildId is null ? null : Snowflake.Checked(guildId, "guild id");
        var path = guild is null
            ? $"applications/{application}/commands"
            : $"applications/{application}/guilds/{guild}/commands";
        var result = await SendAsync(HttpMethod.Put, path, guild is null ? "PUT /applications/{id}/commands" : "PUT /applications/{id}/guilds/{id}/commands",
            guild ?? application, commands, DiscordJson.Default.ListApplicationCommand, DiscordJson.Default.JsonElement,
            botAuth: true, global: true, null, cancellationToken);
        return result.ValueKind == JsonValueKind.Array ? result.GetArrayLength() : 0;
    }

    private string ApplicationId => Snowflake.Checked(Options.ApplicationId, "application id (Discord:ApplicationId)");

    /// <summary>"{application id}/{token}": the webhook an interaction token stands for.</summary>
    private string Webhook(string interactionToken) => $"{ApplicationId}/{Token(interactionToken)}";

    /// <summary>
    /// Interaction tokens are opaque text from the payload: escaped as one path segment, so a "/" or
    /// "?" in one cannot reach another route. Dots are left as they are by escaping, and a segment
    /// that is only "." or ".." would still climb a level, so those are refused.
    /// </summary>
    private static string Token(string? interactionToken) =>
        string.IsNullOrEmpty(interactionToken) || interactionToken is "." or ".."
            ? throw new ArgumentException("Refused to call Discord: the interaction token is missing or a dot segment", nameof(interactionToken))
            : Uri.EscapeDataString(interactionToken);

    public Task<GatewayBotInfo?> GetGatewayBotAsync(CancellationToken cancellationToken) =>
        SendAsync<object?, GatewayBotInfo>(HttpMethod.Get, "gateway/bot", "GET /gateway/bot", "gateway", null, null, DiscordJson.Default.GatewayBotInfo,
            botAuth: true, global: true, null, cancellationToken);

    /// <summary>
    /// For readiness: one GET /gateway/bot beside the rate limiter — never queued behind posts, no
    /// global slot taken from them, no retries. Null, without asking, while Discord holds the whole bot.
    /// </summary>
    public async Task<(HttpStatusCode Status, GatewayBotInfo? Gateway)?> ProbeGatewayBotAsync(CancellationToken cancellationToken)
    {
        if (limiter.GloballyBlocked) return null;
        using var request = BuildRequest(HttpMethod.Get, "gateway/bot", null, botAuth: true);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.StatusCode, response.IsSuccessStatusCode ? TryParse(text, DiscordJson.Default.GatewayBotInfo) : null);
    }

    private Task<TResponse?> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, string route, string majorParameter,
        TRequest? body, JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TResponse> responseType,
        bool botAuth, bool global, string? channelId, CancellationToken cancellationToken) =>
        SendBytesAsync(method, path, route, majorParameter,
            body is null || requestType is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, requestType),
            responseType, botAuth, global, channelId, cancellationToken);

    private async Task<TResponse?> SendBytesAsync<TResponse>(
        HttpMethod method, string path, string route, string majorParameter,
        byte[]? payload, JsonTypeInfo<TResponse> responseType,
        bool botAuth, bool global, string? channelId, CancellationToken cancellationToken)
    {
        var bucket = limiter.For(route, majorParameter);
        var transientFailures = 0;
        var rateLimitWaits = 0;

        await bucket.Gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                await limiter.WaitForBucketAsync(bucket, cancellationToken);

                HttpResponseMessage response;
                try
                {
                    await using var slot = global ? await limiter.AcquireGlobalAsync(AttemptTimeout, cancellationToken) : null;
                    using var attempt = IoDeadline.After(AttemptTimeout, cancellationToken);
                    using var request = BuildRequest(method, path, payload, botAuth);
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    if (++transientFailures >= MaxTransientAttempts)
                        throw new DiscordUnavailableException($"Discord did not answer {route} after {transientFailures} attempts", ex);
                    logger.LogWarning("Discord {Route} failed ({Error}); retry {Attempt}", route, Bot.Core.Diagnostics.NetworkFailure.Describe(ex), transientFailures);
                    await Task.Delay(Backoff(transientFailures), time, cancellationToken);
                    continue;
                }

                using (response)
                {
                    limiter.Update(route, majorParameter, bucket, response.Headers);
                    var text = await response.Content.ReadAsStringAsync(cancellationToken);

                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        var retryAfter = RetryAfter(response, text, out var isGlobal, out var looksBanned);
                        if (looksBanned)
                            throw new DiscordUnavailableException($"Discord answered {route} with a 429 that is not Discord's own (a Cloudflare block?); not retrying");
                        if (++rateLimitWaits > MaxRateLimitWaits)
                            throw new DiscordUnavailableException($"Discord kept rate-limiting {route}");
                        logger.LogInformation("Discord rate limit on {Route}: waiting {Seconds:F2}s{Global}", route, retryAfter.TotalSeconds, isGlobal ? " (global)" : "");
                        if (isGlobal) await limiter.BlockGlobalAsync(retryAfter, cancellationToken);
                        else limiter.BlockBucket(bucket, retryAfter);
                        continue;
                    }

                    if ((int)response.StatusCode >= 500)
                    {
                        if (++transientFailures >= MaxTransientAttempts)
                            throw new DiscordUnavailableException($"Discord kept failing {route} with HTTP {(int)response.StatusCode}");
                        logger.LogWarning("Discord {Route} answered {Status}; retry {Attempt}", route, (int)response.StatusCode, transientFailures);
                        await Task.Delay(Backoff(transientFailures), time, cancellationToken);
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        var error = TryParse(text, DiscordJson.Default.DiscordError);
                        throw new DiscordApiException((int)response.StatusCode, error?.Code ?? 0, error?.Message ?? response.ReasonPhrase ?? "error", channelId);
                    }

                    return text.Length == 0 ? default : TryParse(text, responseType);
                }
            }
        }
        finally
        {
            bucket.Gate.Release();
        }
    }

    private HttpRequestMessage BuildRequest(HttpMethod method, string path, byte[]? payload, bool botAuth)
    {
        var request = new HttpRequestMessage(method, new Uri(Options.ApiBase, path));
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (botAuth) request.Headers.Authorization = new AuthenticationHeaderValue("Bot", Options.BotToken);
        if (payload is not null)
        {
            request.Content = new ByteArrayContent(payload);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    /// <summary>Full jitter: a random wait up to an exponentially growing cap, so retries from many senders spread out.</summary>
    private static TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(30_000, 250 * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(cap / 2 + Random.Shared.NextDouble() * cap / 2);
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response, string body, out bool global, out bool looksBanned)
    {
        global = response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.FirstOrDefault() == "true";
        var error = TryParse(body, DiscordJson.Default.DiscordError);
        // Discord's own 429s are JSON and pass through its proxy (Via); anything else is an edge ban, and retrying makes it worse.
        looksBanned = error is null || !response.Headers.Contains("Via");
        global |= error?.Global == true;
        var seconds = error?.RetryAfter
            ?? (double.TryParse(response.Headers.RetryAfter?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var header) ? header : 1);
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0.05, 300));
    }

    private static T? TryParse<T>(string text, JsonTypeInfo<T> type)
    {
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
