using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bot.Slack.Protocol;

/// <summary>
/// Slack's request signature: "v0=" + hex HMAC-SHA256 of "v0:{timestamp}:{raw body}" with the
/// signing secret, compared in constant time, within five minutes either way. No secret refuses all.
/// </summary>
internal sealed class SlackSignatureVerifier(string? signingSecret, TimeProvider time)
{
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);
    private readonly byte[]? _key = string.IsNullOrEmpty(signingSecret) ? null : Encoding.UTF8.GetBytes(signingSecret);

    public bool Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        if (_key is null || string.IsNullOrEmpty(timestamp) || signature is null || signature.Length != 67 || !signature.StartsWith("v0=", StringComparison.Ordinal))
            return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - seconds) > MaxSkew.TotalSeconds)
            return false;

        byte[] expected;
        try
        {
            expected = Convert.FromHexString(signature.AsSpan(3));
        }
        catch (FormatException)
        {
            return false;
        }

        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        var actual = HMACSHA256.HashData(_key, message);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
