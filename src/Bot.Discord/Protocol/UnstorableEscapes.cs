using System.Globalization;

namespace Bot.Discord.Protocol;

/// <summary>
/// JSON may spell half of a UTF-16 surrogate pair on its own ("\ud800"): the document is valid, but
/// the string is not text, and System.Text.Json throws when asked for it. It may also spell NUL
/// ("\u0000"), which PostgreSQL refuses in every text column, so a guild or channel id holding one
/// would fail the request there. Each is rewritten as "\uFFFD" (the same six bytes) before anything
/// reads the payload, so the adapter and the core see a replacement character where the junk was.
/// Raw UTF-8 needs nothing: valid UTF-8 cannot encode a surrogate, a raw NUL is not valid JSON, and
/// bodies that are not valid UTF-8 are refused before this.
/// </summary>
internal static class UnstorableEscapes
{
    private static ReadOnlySpan<byte> Replacement => "\\uFFFD"u8;

    /// <returns>A repaired copy, or null when <paramref name="json"/> has no lone surrogate or NUL (the usual case, at the cost of one scan).</returns>
    public static byte[]? Repaired(ReadOnlySpan<byte> json)
    {
        byte[]? copy = null;
        var i = NextBackslash(json, 0);
        while (i >= 0)
        {
            if (!TryEscapedUnit(json, i, out var unit))
            {
                // "\\", "\n" and the like: the character after the backslash is never the start of another escape.
                i = NextBackslash(json, i + 2);
                continue;
            }

            if (!char.IsSurrogate(unit) && unit != '\0')
            {
                i = NextBackslash(json, i + 6);
                continue;
            }

            if (char.IsHighSurrogate(unit) && TryEscapedUnit(json, i + 6, out var next) && char.IsLowSurrogate(next))
            {
                i = NextBackslash(json, i + 12);
                continue;
            }

            copy ??= json.ToArray();
            Replacement.CopyTo(copy.AsSpan(i));
            i = NextBackslash(json, i + 6);
        }

        return copy;
    }

    private static int NextBackslash(ReadOnlySpan<byte> json, int from)
    {
        if (from >= json.Length) return -1;
        var found = json[from..].IndexOf((byte)'\\');
        return found < 0 ? -1 : from + found;
    }

    /// <summary>The UTF-16 unit of a "\uXXXX" escape starting at <paramref name="at"/>.</summary>
    private static bool TryEscapedUnit(ReadOnlySpan<byte> json, int at, out char unit)
    {
        unit = default;
        if (at + 6 > json.Length || json[at] != '\\' || json[at + 1] != 'u') return false;
        if (!ushort.TryParse(json.Slice(at + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return false;
        unit = (char)value;
        return true;
    }
}
