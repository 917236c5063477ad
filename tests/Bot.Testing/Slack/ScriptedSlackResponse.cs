using System.Globalization;
using System.Text.Json;

namespace Bot.Testing.Slack;

/// <summary>
/// A canned answer for the next call of one method. With status 200 and no <paramref name="JsonBody"/> the call is
/// handled normally after <paramref name="Delay"/> (real time) with <paramref name="Headers"/> added; any other status
/// without a body answers with an empty body.
/// </summary>
public sealed record ScriptedSlackResponse(
    int Status = 200,
    string? JsonBody = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    TimeSpan Delay = default,
    bool DropConnection = false)
{
    /// <summary>HTTP 200 with <c>{"ok":false,"error":…}</c>, as the Web API reports every API error.</summary>
    public static ScriptedSlackResponse Error(string error) =>
        new(JsonBody: $$"""{"ok":false,"error":{{JsonSerializer.Serialize(error)}}}""");

    /// <summary>HTTP 429 with <c>Retry-After</c> and the <c>ratelimited</c> body Slack sends.</summary>
    public static ScriptedSlackResponse RateLimited(int retryAfterSeconds = 1) =>
        new(
            Status: 429,
            JsonBody: """{"ok":false,"error":"ratelimited"}""",
            Headers: new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            });

    /// <summary>A transport-level failure: the status with an empty body.</summary>
    public static ScriptedSlackResponse ServerError(int status = 500) => new(Status: status);
}
