using NSec.Cryptography;

namespace Bot.Discord.Protocol;

/// <summary>
/// Checks Discord's Ed25519 signature over timestamp + raw body. Built once from the configured
/// public key; a missing or malformed key refuses everything rather than accepting anything.
/// </summary>
internal sealed class SignatureVerifier
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;
    private readonly PublicKey? _key;

    public SignatureVerifier(string? publicKeyHex)
    {
        if (TryFromHex(publicKeyHex, 32, out var raw) && PublicKey.TryImport(Ed25519, raw, KeyBlobFormat.RawPublicKey, out var key))
            _key = key;
    }

    public bool HasKey => _key is not null;

    public bool Verify(string? timestamp, string? signatureHex, ReadOnlySpan<byte> body)
    {
        if (_key is null || string.IsNullOrEmpty(timestamp) || timestamp.Length > 32) return false;
        if (!TryFromHex(signatureHex, 64, out var signature)) return false;

        var timestampLength = System.Text.Encoding.UTF8.GetByteCount(timestamp);
        var signed = new byte[timestampLength + body.Length];
        System.Text.Encoding.UTF8.GetBytes(timestamp, signed);
        body.CopyTo(signed.AsSpan(timestampLength));
        return Ed25519.Verify(_key, signed, signature);
    }

    private static bool TryFromHex(string? hex, int expectedBytes, out byte[] bytes)
    {
        bytes = [];
        if (hex is null || hex.Length != expectedBytes * 2) return false;
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
