using System.Globalization;
using System.Text.Json;
using Bot.Discord.Protocol;
using Microsoft.AspNetCore.Http;

namespace Bot.Discord.Inbound;

/// <summary>
/// POST /discord/interactions: verify the Ed25519 signature over the raw bytes before anything is
/// parsed (401 otherwise), then parse (400 for anything malformed) and answer in the response body.
/// </summary>
internal static class DiscordInteractionEndpoint
{
    /// <summary>Real interactions are a few kilobytes; anything this large is refused unread.</summary>
    public const int MaxBodyBytes = 64 * 1024;
    /// <summary>Signed requests older or newer than this are replays or broken clocks.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    public static async Task<IResult> HandleAsync(HttpContext context, SignatureVerifier verifier, InteractionHandler handler, TimeProvider time)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var timestamp = request.Headers["X-Signature-Timestamp"].ToString();
        if (!verifier.Verify(timestamp, request.Headers["X-Signature-Ed25519"].ToString(), body) || IsStale(timestamp, time))
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);

        // JSON strings are decoded lazily; invalid UTF-8 must be refused here, not discovered mid-command.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return Results.BadRequest("body is not valid UTF-8");

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(body, DiscordJson.Default.Interaction);
        }
        catch (JsonException)
        {
            return Results.BadRequest("malformed interaction JSON");
        }

        if (interaction is null || !Enum.IsDefined(interaction.Type))
            return Results.BadRequest("not an interaction");

        return Results.Bytes(await handler.HandleAsync(interaction, context.RequestAborted), "application/json");
    }

    /// <summary>Discord sends Unix seconds; a timestamp in another shape is still verified as opaque text.</summary>
    private static bool IsStale(string timestamp, TimeProvider time) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > MaxSkew.TotalSeconds;

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
