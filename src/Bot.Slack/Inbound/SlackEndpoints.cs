using System.Text;
using System.Text.Json;
using Bot.Slack.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Bot.Slack.Inbound;

/// <summary>
/// Slack's three HTTP endpoints. Each verifies the signature over the raw bytes first (401), refuses a slash command or
/// button press it has already accepted (see <see cref="SlackReplayGuard"/>), then parses (400 for anything malformed),
/// then acknowledges within Slack's 3 seconds. Whatever escapes that is answered by <see cref="GuardedAsync"/>, never
/// with a 500.
/// </summary>
internal sealed class SlackEndpoints(
    SlackSignatureVerifier verifier,
    SlackReplayGuard replays,
    SlackRequestHandler handler,
    LastResort lastResort,
    ILogger<SlackEndpoints> logger)
{
    public const int MaxBodyBytes = 64 * 1024;
    private const string JsonContentType = "application/json; charset=utf-8";

    private readonly record struct VerifiedRequest(byte[] Body, string Timestamp, string Signature);

    /// <summary>How far a request got: once understood, a failure is answered as acknowledged rather than as a bad request.</summary>
    private sealed class Progress
    {
        public bool Understood { get; set; }
    }

    public Task<IResult> CommandsAsync(HttpContext context) =>
        GuardedAsync(context, "slash command", () => Results.Bytes(LastResort.ApologyJson, JsonContentType), async progress =>
        {
            var (request, refusal) = await ReadVerifiedAsync(context, "slash command", rememberSignature: true);
            if (refusal is not null) return refusal;
            if (!TryParseForm(request.Body, out var form)) return Results.BadRequest("malformed form body");
            // Slack's SSL check carries no command; it only wants a 200.
            if (form.ContainsKey("ssl_check")) return Results.Ok();
            if (Value(form, "command") is not { } command || string.IsNullOrWhiteSpace(command)) return Results.BadRequest("missing command");

            progress.Understood = true;
            var reply = await handler.HandleSlashCommandAsync(new SlashCommand(
                command, Value(form, "text") ?? string.Empty,
                Value(form, "team_id"), Value(form, "channel_id"), Value(form, "user_id"), Value(form, "response_url"))
            {
                TriggerId = Value(form, "trigger_id"),
                UserName = Value(form, "user_name"),
                EnterpriseId = Value(form, "enterprise_id"),
            }, context.RequestAborted);
            return reply is null ? Results.Ok() : Results.Bytes(reply, JsonContentType);
        });

    public Task<IResult> EventsAsync(HttpContext context) =>
        GuardedAsync(context, "event", () => Results.Ok(), async progress =>
        {
            // No replay check here: Slack retries an event with the same body, and event_id tells repeats apart (SlackRequestHandler).
            var (request, refusal) = await ReadVerifiedAsync(context, "event", rememberSignature: false);
            if (refusal is not null) return refusal;
            EventEnvelope? envelope;
            try
            {
                envelope = JsonSerializer.Deserialize(request.Body, SlackInboundJson.Default.EventEnvelope);
            }
            catch (JsonException)
            {
                return Results.BadRequest("malformed event JSON");
            }

            switch (envelope?.Type)
            {
                case "url_verification" when !string.IsNullOrEmpty(envelope.Challenge):
                    return Results.Text(envelope.Challenge, "text/plain");
                case "event_callback":
                    // Acknowledge at once; the answer is posted after, so a slow answer never makes Slack retry.
                    progress.Understood = true;
                    handler.AcceptEvent(envelope);
                    return Results.Ok();
                case null:
                    return Results.BadRequest("not a Slack event");
                default:
                    return Results.Ok();
            }
        });

    /// <summary>
    /// Buttons, shortcuts, modal submissions, and (as the app's options load URL) external menus asking for options. A
    /// submission's or a menu's answer is the response body; everything else gets an empty 200.
    /// </summary>
    public Task<IResult> InteractivityAsync(HttpContext context) =>
        GuardedAsync(context, "interaction", () => Results.Ok(), async progress =>
        {
            var (request, refusal) = await ReadVerifiedAsync(context, "interaction", rememberSignature: true);
            if (refusal is not null) return refusal;
            if (!TryParseForm(request.Body, out var form) || Value(form, "payload") is not { } json) return Results.BadRequest("missing payload");
            InteractionPayload? payload;
            try
            {
                payload = JsonSerializer.Deserialize(json, SlackInboundJson.Default.InteractionPayload);
            }
            catch (JsonException)
            {
                return Results.BadRequest("malformed payload JSON");
            }

            if (payload?.Type is null) return Results.BadRequest("not an interaction payload");
            progress.Understood = true;
            var answer = await handler.HandleInteractionAsync(payload, answerInAck: true, context.RequestAborted);
            if (answer.Outcome == InteractionOutcome.Malformed) return Results.BadRequest("malformed interaction payload");
            return answer.Body is { } body ? Results.Bytes(body, JsonContentType) : Results.Ok();
        });

    /// <summary>
    /// The last resort: an exception nobody foresaw is logged (see <see cref="LastResort"/>) and answered with
    /// <paramref name="whenUnderstood"/> once the request was understood (Slack must not retry it, and a slash command
    /// gets an apology), else with 400. A request whose caller went away needs no answer.
    /// </summary>
    private async Task<IResult> GuardedAsync(HttpContext context, string what, Func<IResult> whenUnderstood, Func<Progress, Task<IResult>> handle)
    {
        var progress = new Progress();
        try
        {
            return await handle(progress);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            lastResort.Log(what, ex);
            return progress.Understood ? whenUnderstood() : Results.BadRequest("the request could not be understood");
        }
    }

    private async Task<(VerifiedRequest Request, IResult? Refusal)> ReadVerifiedAsync(HttpContext context, string what, bool rememberSignature)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return (default, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return (default, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
            buffer.Write(chunk, 0, read);
        }

        var verified = new VerifiedRequest(buffer.ToArray(), request.Headers["X-Slack-Request-Timestamp"].ToString(), request.Headers["X-Slack-Signature"].ToString());
        if (!verifier.Verify(verified.Timestamp, verified.Signature, verified.Body))
            return (default, Results.StatusCode(StatusCodes.Status401Unauthorized));
        if (rememberSignature)
        {
            switch (replays.Accept(verified.Timestamp, verified.Signature))
            {
                case ReplayCheck.Replay:
                    // An empty 200 is Slack's "acknowledged, nothing to say": nothing runs again, and should the repeat ever come
                    // from Slack's side (a proxy resending a request whose answer it lost), nobody sees an error for it.
                    logger.LogWarning("Slack {What}: a request already accepted came again with the same signature; ignored as a replay", what);
                    return (default, Results.Ok());
                case ReplayCheck.Full:
                    logger.LogWarning("Slack {What}: refused, {Count} signed requests are already remembered for replay checks", what, SlackReplayGuard.MaxRemembered);
                    return (default, Results.StatusCode(StatusCodes.Status429TooManyRequests));
            }
        }

        return System.Text.Unicode.Utf8.IsValid(verified.Body) ? (verified, null) : (default, Results.BadRequest("body is not valid UTF-8"));
    }

    private static bool TryParseForm(byte[] body, out Dictionary<string, StringValues> form)
    {
        try
        {
            form = QueryHelpers.ParseQuery(new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body));
            return true;
        }
        catch (DecoderFallbackException)
        {
            form = [];
            return false;
        }
    }

    private static string? Value(Dictionary<string, StringValues> form, string key) =>
        form.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? InboundText.Clean(value.ToString()) : null;
}
