using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Testing.Discord;

/// <param name="Start">Initial time of <see cref="FakeDiscordServer.Clock"/>; the real current time when null.</param>
public sealed record FakeDiscordOptions(
    string BotToken = "fake-bot-token",
    string ApplicationId = "1100000000000000001",
    DateTimeOffset? Start = null);

/// <summary>
/// A canned answer for the next request matching a scripted route. <see cref="Status"/> 0 means
/// "wait <see cref="Delay"/>, then handle the request normally" (see <see cref="Slow"/>).
/// </summary>
public sealed record ScriptedResponse(
    int Status,
    string? JsonBody = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan Delay = default,
    bool NonJsonCloudflare = false)
{
    public static ScriptedResponse TooManyRequests(double retryAfterSeconds, bool global = false)
    {
        var retryAfter = FormatSeconds(retryAfterSeconds);
        var body = $$"""{"message":"You are being rate limited.","retry_after":{{retryAfter}},"global":{{(global ? "true" : "false")}}}""";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfterSeconds)).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = global ? "global" : "user",
            ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Reset-After"] = retryAfter,
        };
        if (global) headers["X-RateLimit-Global"] = "true";
        return new ScriptedResponse(429, body, headers);
    }

    public static ScriptedResponse ServerError(int status = 500) =>
        new(status, $$"""{"message":"{{status}}: {{ReasonPhrases.GetReasonPhrase(status)}}","code":0}""");

    public static ScriptedResponse Slow(TimeSpan delay) => new(0, Delay: delay);

    /// <summary>The 429 HTML page Cloudflare sends when it bans the IP (no JSON body, no Via header).</summary>
    public static ScriptedResponse CloudflareBan() => new(429, NonJsonCloudflare: true);

    internal static string FormatSeconds(double seconds) => seconds.ToString("0.0##", CultureInfo.InvariantCulture);
}

/// <param name="Path">The full request path as received, e.g. <c>/api/v10/channels/1/messages</c>.</param>
/// <param name="Query">The query string without the leading <c>?</c>.</param>
/// <param name="At">Arrival time on <see cref="FakeDiscordServer.Clock"/>.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset At)
{
    /// <summary>The request target exactly as sent, percent-escapes and query included.</summary>
    public string RawTarget { get; init; } = "";
}

/// <param name="Body">The JSON body the bot posted (not the message object the server answered with).</param>
public sealed record FakeMessage(string Id, string ChannelId, JsonElement Body, string? Nonce);

/// <param name="Kind">"callback", "edit-original", "followup" or "edit-followup".</param>
/// <param name="Body">The JSON body the bot sent.</param>
public sealed record FakeInteractionResponse(string InteractionToken, string Kind, JsonElement Body);
