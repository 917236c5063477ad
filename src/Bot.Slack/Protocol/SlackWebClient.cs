using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Bot.Core.Diagnostics;
using Bot.Slack.Install;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Protocol;

/// <summary>
/// Slack's Web API for what the bot does. ok:false becomes <see cref="SlackApiException"/> naming
/// Slack's error; 429 waits for Retry-After before calling that method again; 5xx and timeouts retry
/// with backoff and jitter; posts to one channel are paced to about one per second. Each call names the workspace it
/// is for and goes out with that workspace's token (see <see cref="Install.ISlackTokenSource"/>).
/// </summary>
internal sealed class SlackWebClient(HttpClient http, TimeProvider time, IOptions<SlackOptions> options, Install.ISlackTokenSource tokens, ILogger<SlackWebClient> logger)
{
    public static readonly TimeSpan ChannelPace = TimeSpan.FromSeconds(1);
    private const int MaxTransientAttempts = 5;
    private const int MaxRateLimitWaits = 8;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, ChannelLane> _channels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _methodBlockedUntil = new(StringComparer.Ordinal);

    private sealed class ChannelLane
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public long LastPost { get; set; } = long.MinValue;
    }

    public Task<SlackResponse> PostMessageAsync(SlackTeam team, SlackMessage message, CancellationToken cancellationToken) =>
        PacedAsync(message.Channel!, () => CallAsync(team, "chat.postMessage", message, SlackJson.Default.SlackMessage, message.Channel, cancellationToken), cancellationToken);

    public Task<SlackResponse> PostEphemeralAsync(SlackTeam team, SlackMessage message, CancellationToken cancellationToken) =>
        CallAsync(team, "chat.postEphemeral", message, SlackJson.Default.SlackMessage, message.Channel, cancellationToken);

    public Task<SlackResponse> UpdateAsync(SlackTeam team, SlackMessage message, CancellationToken cancellationToken) =>
        CallAsync(team, "chat.update", message, SlackJson.Default.SlackMessage, message.Channel, cancellationToken);

    /// <summary>Opens a modal for the person whose interaction carried <paramref name="triggerId"/> (good for 3 seconds; no scope needed).</summary>
    public Task<SlackResponse> OpenViewAsync(SlackTeam team, string triggerId, SlackView view, CancellationToken cancellationToken) =>
        CallAsync(team, "views.open", new ViewsOpenRequest(triggerId, view), SlackJson.Default.ViewsOpenRequest, null, cancellationToken);

    // Read methods take form bodies: not every one of them accepts JSON.

    /// <summary>A link to one message (no scope needed); documented with form arguments only.</summary>
    public Task<SlackResponse> PermalinkAsync(SlackTeam team, string channel, string messageTs, CancellationToken cancellationToken) =>
        CallFormAsync(team, "chat.getPermalink", [new("channel", channel), new("message_ts", messageTs)], cancellationToken);

    public Task<SlackResponse> AuthTestAsync(SlackTeam team, CancellationToken cancellationToken) =>
        CallFormAsync(team, "auth.test", [], cancellationToken);

    /// <summary>
    /// For readiness: one auth.test with the bot token — no retries, no waiting out a 429 — so a probe
    /// answers at once; the status and Slack's answer (null when the body is not Slack's JSON).
    /// </summary>
    public async Task<(HttpStatusCode Status, SlackResponse? Response)> ProbeAuthAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.ApiBase, "auth.test"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.BotToken);
        request.Content = new FormUrlEncodedContent([]);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return (response.StatusCode, JsonSerializer.Deserialize(text, SlackJson.Default.SlackResponse));
        }
        catch (JsonException)
        {
            return (response.StatusCode, null);
        }
    }

    public Task<SlackResponse> UserInfoAsync(SlackTeam team, string userId, CancellationToken cancellationToken) =>
        CallFormAsync(team, "users.info", [new("user", userId)], cancellationToken);

    /// <summary>Recent messages of a channel with their metadata (scope channels:history / groups:history).</summary>
    public Task<SlackResponse> HistoryAsync(SlackTeam team, string channel, DateTimeOffset oldest, CancellationToken cancellationToken) =>
        CallFormAsync(team, "conversations.history", [new("channel", channel), new("oldest", oldest.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("limit", "100"), new("include_all_metadata", "true")], cancellationToken);

    /// <summary>A fresh Socket Mode address (app-level token with connections:write); each one is good for one connection.</summary>
    public Task<SlackResponse> OpenConnectionAsync(CancellationToken cancellationToken) =>
        CallWithTokenAsync("apps.connections.open", () => new FormUrlEncodedContent([]), null, options.Value.AppToken, fromInstallation: false, cancellationToken);

    /// <summary>
    /// Answers through a response_url: no token, same retry rules. The address comes inside the request, so only Slack's
    /// own may receive a post (see <see cref="IsSlackResponseUrl"/>); any other is refused, logged by host alone.
    /// </summary>
    public async Task PostToResponseUrlAsync(string responseUrl, SlackMessage message, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            throw new SlackApiException("response_url", "invalid_response_url", null);
        if (!IsSlackResponseUrl(url, options.Value.ApiBase))
        {
            logger.LogWarning("Refused to post to a response_url on {Host}: answers go only to https://hooks.slack.com/ or the host of Slack:ApiBaseUrl",
                LogText.Escape(url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}"));
            throw new SlackApiException("response_url", "response_url_not_allowed", null);
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(message, SlackJson.Default.SlackMessage);
        var (status, text) = await SendWithRetriesAsync("response_url", url, () => Json(body), bearer: null, cancellationToken);
        // The target's answer is outside text: SlackApiException escapes and clips it before any log sees it.
        if (status != HttpStatusCode.OK)
            throw new SlackApiException("response_url", string.IsNullOrWhiteSpace(text) ? $"http_{(int)status}" : text.Trim(), message.Channel);
    }

    /// <summary>
    /// True for https://hooks.slack.com/… (default port, no user info), and for the scheme, host and port of
    /// <paramref name="apiBase"/> (Slack:ApiBaseUrl), which is where a test's fake Slack serves its response_urls. The
    /// port is part of the check: another service on the same machine is another target. Host names are compared as
    /// written, so "localhost" is not "127.0.0.1".
    /// </summary>
    public static bool IsSlackResponseUrl(Uri url, Uri apiBase)
    {
        if (!url.IsAbsoluteUri || url.UserInfo.Length > 0) return false;
        if (url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && string.Equals(url.Host, "hooks.slack.com", StringComparison.OrdinalIgnoreCase)) return true;
        return Uri.Compare(url, apiBase, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
    }

    /// <summary>
    /// oauth.v2.access: trades an install's code for the workspace's bot token. The client id and secret go in the form
    /// body, with no bearer. Neither the code nor the answer is ever logged: the answer holds the token.
    /// </summary>
    public async Task<OAuthAccessResponse> OAuthAccessAsync(string code, string? redirectUri, CancellationToken cancellationToken)
    {
        const string method = "oauth.v2.access";
        var fields = new List<KeyValuePair<string, string>>
        {
            new("client_id", options.Value.ClientId ?? ""), new("client_secret", options.Value.ClientSecret ?? ""), new("code", code),
        };
        if (!string.IsNullOrEmpty(redirectUri)) fields.Add(new("redirect_uri", redirectUri));
        var (status, text) = await SendWithRetriesAsync(method, new Uri(options.Value.ApiBase, method), () => new FormUrlEncodedContent(fields), bearer: null, cancellationToken);
        OAuthAccessResponse? response = null;
        try
        {
            response = JsonSerializer.Deserialize(text, SlackInboundJson.Default.OAuthAccessResponse);
        }
        catch (JsonException)
        {
            // Handled below, as for any other method.
        }

        if (response is null) throw new SlackApiException(method, $"unexpected_response_http_{(int)status}", null);
        if (!response.Ok) throw new SlackApiException(method, response.Error ?? "unknown_error", null);
        return response;
    }

    private Task<SlackResponse> CallAsync<T>(SlackTeam team, string method, T body, JsonTypeInfo<T> type, string? channel, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, type);
        return CallWithAsync(team, method, () => Json(payload), channel, cancellationToken);
    }

    private Task<SlackResponse> CallFormAsync(SlackTeam team, string method, KeyValuePair<string, string>[] fields, CancellationToken cancellationToken) =>
        CallWithAsync(team, method, () => new FormUrlEncodedContent(fields), null, cancellationToken);

    private static ByteArrayContent Json(byte[] payload)
    {
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<SlackResponse> CallWithAsync(SlackTeam team, string method, Func<HttpContent> content, string? channel, CancellationToken cancellationToken)
    {
        // A workspace that never installed the bot, in a setup without Slack:BotToken: no call can succeed there.
        var credential = await tokens.ForAsync(team, cancellationToken)
            ?? throw new SlackApiException(method, SlackApiException.NotInstalled, channel) { FromInstallation = true };
        return await CallWithTokenAsync(method, content, channel, credential.Token, credential.FromInstallation, cancellationToken, credential.OrgWide);
    }

    private async Task<SlackResponse> CallWithTokenAsync(string method, Func<HttpContent> content, string? channel, string? bearer, bool fromInstallation, CancellationToken cancellationToken, string? orgWide = null)
    {
        var (status, text) = await SendWithRetriesAsync(method, new Uri(options.Value.ApiBase, method), content, bearer, cancellationToken);
        SlackResponse? response = null;
        try
        {
            response = JsonSerializer.Deserialize(text, SlackJson.Default.SlackResponse);
        }
        catch (JsonException)
        {
            // Handled below: a body that is not Slack's JSON is a failed call.
        }

        if (response is null) throw new SlackApiException(method, $"unexpected_response_http_{(int)status}", channel);
        if (!response.Ok) throw new SlackApiException(method, response.Error ?? "unknown_error", channel) { FromInstallation = fromInstallation, OrgWide = orgWide };
        return response;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendWithRetriesAsync(string method, Uri url, Func<HttpContent> content, string? bearer, CancellationToken cancellationToken)
    {
        var transientFailures = 0;
        var rateLimitWaits = 0;
        while (true)
        {
            if (_methodBlockedUntil.TryGetValue(method, out var until) && until > time.GetTimestamp())
                await Task.Delay(time.GetElapsedTime(time.GetTimestamp(), until), time, cancellationToken);

            HttpResponseMessage response;
            try
            {
                using var attempt = IoDeadline.After(AttemptTimeout, cancellationToken);
                using var request = new HttpRequestMessage(HttpMethod.Post, url);
                if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                request.Content = content();
                response = await http.SendAsync(request, attempt.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (++transientFailures >= MaxTransientAttempts)
                    throw new SlackUnavailableException($"Slack did not answer {method} after {transientFailures} attempts", ex);
                logger.LogWarning("Slack {Method} failed ({Error}); retry {Attempt}", method, Bot.Core.Diagnostics.NetworkFailure.Describe(ex), transientFailures);
                await Task.Delay(Backoff(transientFailures), time, cancellationToken);
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    if (++rateLimitWaits > MaxRateLimitWaits) throw new SlackUnavailableException($"Slack kept rate-limiting {method}");
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    logger.LogInformation("Slack rate limit on {Method}: waiting {Seconds}s", method, wait.TotalSeconds);
                    _methodBlockedUntil[method] = time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency);
                    continue;
                }

                if ((int)response.StatusCode >= 500)
                {
                    if (++transientFailures >= MaxTransientAttempts)
                        throw new SlackUnavailableException($"Slack kept failing {method} with HTTP {(int)response.StatusCode}");
                    logger.LogWarning("Slack {Method} answered {Status}; retry {Attempt}", method, (int)response.StatusCode, transientFailures);
                    await Task.Delay(Backoff(transientFailures), time, cancellationToken);
                    continue;
                }

                return (response.StatusCode, text);
            }
        }
    }

    /// <summary>Keeps posts to one channel about a second apart, as Slack asks; other channels are not held up.</summary>
    private async Task<T> PacedAsync<T>(string channel, Func<Task<T>> post, CancellationToken cancellationToken)
    {
        var lane = _channels.GetOrAdd(channel, _ => new ChannelLane());
        await lane.Gate.WaitAsync(cancellationToken);
        try
        {
            if (lane.LastPost != long.MinValue)
            {
                var since = time.GetElapsedTime(lane.LastPost);
                if (since < ChannelPace) await Task.Delay(ChannelPace - since, time, cancellationToken);
            }

            try
            {
                return await post();
            }
            finally
            {
                lane.LastPost = time.GetTimestamp();
            }
        }
        finally
        {
            lane.Gate.Release();
        }
    }

    private static TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(30_000, 250 * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(cap / 2 + Random.Shared.NextDouble() * cap / 2);
    }
}
