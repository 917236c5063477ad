using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace Bot.Benchmarks.Load;

/// <summary>
/// The machine's limit: the same Kestrel and minimal-API stack as the bot, with endpoints that only
/// read the body, verify its signature (Ed25519 for Discord, HMAC-SHA256 for Slack) and return a
/// fixed body. Runs as its own child process (<c>load bare --urls …</c>), keys from the environment.
/// </summary>
internal static class BareServer
{
    public const string PublicKeyVariable = "BOT_LOAD_DISCORD_PUBLIC_KEY";
    public const string SigningSecretVariable = "BOT_LOAD_SLACK_SIGNING_SECRET";
    public const int MaxBodyBytes = 64 * 1024;

    public static readonly byte[] DiscordReply = "{\"type\":1}"u8.ToArray();
    public static readonly byte[] SlackReply = "{\"response_type\":\"ephemeral\",\"text\":\"ok\"}"u8.ToArray();

    public static async Task<int> RunAsync(string[] args)
    {
        var publicKeyHex = Environment.GetEnvironmentVariable(PublicKeyVariable);
        var secret = Environment.GetEnvironmentVariable(SigningSecretVariable);
        if (string.IsNullOrEmpty(publicKeyHex) || string.IsNullOrEmpty(secret))
        {
            await Console.Error.WriteLineAsync($"load bare: set {PublicKeyVariable} and {SigningSecretVariable}");
            return 2;
        }

        var ed25519 = SignatureAlgorithm.Ed25519;
        var publicKey = PublicKey.Import(ed25519, Convert.FromHexString(publicKeyHex), KeyBlobFormat.RawPublicKey);
        var slackKey = Encoding.UTF8.GetBytes(secret);

        // The same builder as the bot (host filtering and all), minus every log provider.
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/readyz", () => Results.Text("ready"));

        app.MapPost("/discord/interactions", async (HttpContext context) =>
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            var timestamp = context.Request.Headers["X-Signature-Timestamp"].ToString();
            var signatureHex = context.Request.Headers["X-Signature-Ed25519"].ToString();
            if (body is null || timestamp.Length is 0 or > 32 || signatureHex.Length != 128)
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            var signed = new byte[timestamp.Length + body.Length];
            if (Encoding.UTF8.GetBytes(timestamp, signed) != timestamp.Length) return Results.StatusCode(StatusCodes.Status401Unauthorized);
            body.CopyTo(signed, timestamp.Length);
            return TryHex(signatureHex, out var signature) && ed25519.Verify(publicKey, signed, signature)
                ? Results.Bytes(DiscordReply, "application/json")
                : Results.StatusCode(StatusCodes.Status401Unauthorized);
        });

        app.MapPost("/slack/commands", async (HttpContext context) =>
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            var timestamp = context.Request.Headers["X-Slack-Request-Timestamp"].ToString();
            var signature = context.Request.Headers["X-Slack-Signature"].ToString();
            if (body is null || signature.Length != 67 || !signature.StartsWith("v0=", StringComparison.Ordinal)
                || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                || !TryHex(signature[3..], out var expected))
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            var prefix = Encoding.ASCII.GetBytes($"v0:{timestamp}:");
            var basis = new byte[prefix.Length + body.Length];
            prefix.CopyTo(basis, 0);
            body.CopyTo(basis, prefix.Length);
            return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(slackKey, basis), expected)
                ? Results.Bytes(SlackReply, "application/json; charset=utf-8")
                : Results.StatusCode(StatusCodes.Status401Unauthorized);
        });

        await app.RunAsync();
        return 0;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length and >= 0 and <= MaxBodyBytes)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        if (request.ContentLength > MaxBodyBytes) return null;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length > MaxBodyBytes ? null : buffer.ToArray();
    }

    private static bool TryHex(string hex, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
