using System.Globalization;
using System.Text.Json;
using Bot.Discord.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Inbound;

/// <summary>
/// POST /discord/interactions: verify the Ed25519 signature over the raw bytes before anything is
/// parsed (401 otherwise), then parse (400 for anything malformed) and answer in the response body.
/// Never a 5xx: Discord takes those as a broken endpoint and stops sending to it.
/// </summary>
internal static class DiscordInteractionEndpoint
{
    /// <summary>Real interactions are a few kilobytes; anything this large is refused unread.</summary>
    public const int MaxBodyBytes = 64 * 1024;
    /// <summary>Signed requests older or newer than this are replays or broken clocks.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);
    private const string LogCategory = "Bot.Discord.Inbound.DiscordInteractionEndpoint";

    public static async Task<IResult> HandleAsync(
        HttpContext context, SignatureVerifier verifier, InteractionHandler handler, TimeProvider time, ILoggerFactory loggers, string? botToken)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var timestamp = request.Headers["X-Signature-Timestamp"].ToString();
        if (!IsFresh(timestamp, time) || !verifier.Verify(timestamp, request.Headers["X-Signature-Ed25519"].ToString(), body))
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);

        Interaction? interaction = null;
        try
        {
            // JSON strings are decoded lazily; invalid UTF-8 must be refused here, not discovered mid-command.
            if (!System.Text.Unicode.Utf8.IsValid(body)) return Results.BadRequest("body is not valid UTF-8");
            interaction = Parse(UnstorableEscapes.Repaired(body) ?? body);
            if (interaction is null) return Results.BadRequest("malformed interaction");
            // A deferred answer edits this response, so it must wait until Discord has it: an answer that
            // finishes just after the deferral could otherwise reach Discord before the deferral itself.
            var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            context.Response.OnCompleted(() =>
            {
                delivered.TrySetResult();
                return Task.CompletedTask;
            });
            return Results.Bytes(await handler.RespondAsync(interaction, context.RequestAborted, delivered.Task), "application/json");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // Discord hung up; nobody reads this answer.
            return Results.Empty;
        }
        catch (Exception ex)
        {
            loggers.CreateLogger(LogCategory).LogError("Discord interaction endpoint failed: {Error}",
                LogSafe.Redact(ex.ToString(), interaction?.Token, botToken));
            return interaction is null
                ? Results.BadRequest("malformed interaction")
                : Results.Bytes(InteractionHandler.Serialize(InteractionHandler.Apology(interaction.Type)), "application/json");
        }
    }

    /// <summary>The interaction, or null when the JSON is not one (wrong shapes, unknown type).</summary>
    private static Interaction? Parse(byte[] json)
    {
        try
        {
            var interaction = JsonSerializer.Deserialize(json, DiscordJson.Default.Interaction);
            return interaction is not null && Enum.IsDefined(interaction.Type) ? interaction : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Discord sends Unix seconds as plain digits. Anything else ("1e9", "+123", " 123", "12.0") is
    /// refused rather than verified as opaque text: a timestamp that cannot be checked for age would
    /// let a captured request be replayed for ever.
    /// </summary>
    private static bool IsFresh(string timestamp, TimeProvider time) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) <= MaxSkew.TotalSeconds;

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and <= MaxBodyBytes ? (int)request.ContentLength : 4096);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
