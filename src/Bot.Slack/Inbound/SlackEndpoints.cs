using System.Text;
using System.Text.Json;
using Bot.Slack.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Slack.Inbound;

/// <summary>
/// Slack's three HTTP endpoints. Each verifies the signature over the raw bytes first (401), then
/// parses (400 for anything malformed), then acknowledges within Slack's 3 seconds.
/// </summary>
internal static class SlackEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task<IResult> CommandsAsync(HttpContext context, SlackSignatureVerifier verifier, SlackRequestHandler handler)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, verifier);
        if (refusal is not null) return refusal;
        if (!TryParseForm(body!, out var form)) return Results.BadRequest("malformed form body");
        // Slack's SSL check carries no command; it only wants a 200.
        if (form.ContainsKey("ssl_check")) return Results.Ok();
        if (!form.TryGetValue("command", out var command) || string.IsNullOrWhiteSpace(command))
            return Results.BadRequest("missing command");

        var reply = await handler.HandleSlashCommandAsync(new SlashCommand(
            command.ToString(), form.TryGetValue("text", out var text) ? text.ToString() : string.Empty,
            Value(form, "team_id"), Value(form, "channel_id"), Value(form, "user_id"), Value(form, "response_url")), context.RequestAborted);
        return reply is null ? Results.Ok() : Results.Bytes(reply, "application/json; charset=utf-8");
    }

    public static async Task<IResult> EventsAsync(HttpContext context, SlackSignatureVerifier verifier, SlackRequestHandler handler)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, verifier);
        if (refusal is not null) return refusal;
        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(body!, SlackJson.Default.EventEnvelope);
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
                handler.AcceptEvent(envelope);
                return Results.Ok();
            case null:
                return Results.BadRequest("not a Slack event");
            default:
                return Results.Ok();
        }
    }

    public static async Task<IResult> InteractivityAsync(HttpContext context, SlackSignatureVerifier verifier, SlackRequestHandler handler)
    {
        var (body, refusal) = await ReadVerifiedAsync(context, verifier);
        if (refusal is not null) return refusal;
        if (!TryParseForm(body!, out var form) || !form.TryGetValue("payload", out var json)) return Results.BadRequest("missing payload");
        InteractionPayload? payload;
        try
        {
            payload = JsonSerializer.Deserialize(json.ToString(), SlackJson.Default.InteractionPayload);
        }
        catch (JsonException)
        {
            return Results.BadRequest("malformed payload JSON");
        }

        if (payload?.Type is null) return Results.BadRequest("not an interaction payload");
        handler.AcceptInteraction(payload);
        return Results.Ok();
    }

    private static async Task<(byte[]? Body, IResult? Refusal)> ReadVerifiedAsync(HttpContext context, SlackSignatureVerifier verifier)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return (null, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return (null, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        if (!verifier.Verify(request.Headers["X-Slack-Request-Timestamp"].ToString(), request.Headers["X-Slack-Signature"].ToString(), body))
            return (null, Results.StatusCode(StatusCodes.Status401Unauthorized));
        return System.Text.Unicode.Utf8.IsValid(body) ? (body, null) : (null, Results.BadRequest("body is not valid UTF-8"));
    }

    private static bool TryParseForm(byte[] body, out Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
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

    private static string? Value(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form, string key) =>
        form.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value) ? value.ToString() : null;
}
