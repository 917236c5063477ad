using System.Globalization;
using System.Text;

namespace Bot.Core.Text;

/// <summary>
/// Turns what people type into a comparable key: lower case, accents dropped, punctuation and
/// emoji gone, whitespace collapsed. Only letters and digits survive, so the result is also safe
/// to quote inside a full-text query.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Longer input is cut before any work: nobody names an incident in 10,000 characters.</summary>
    public const int MaxQueryLength = 200;

    public static string Normalize(string? text, int maxLength = MaxQueryLength)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var source = text.Length > maxLength * 4 ? text[..CutBefore(text, maxLength * 4)] : text;
        // Normalisation throws on text that is not valid UTF-16, and on ICU also on U+FFFE: neither can name anything.
        var decomposed = ValidText(source).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(Math.Min(decomposed.Length, maxLength));
        var pendingSpace = false;
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
                continue;
            // Apostrophes join a word ("Xi's" -> "xis" would be wrong, "xi s" finds "xi").
            if (Rune.IsLetterOrDigit(rune))
            {
                if (pendingSpace && builder.Length > 0) builder.Append(' ');
                pendingSpace = false;
                var lower = Rune.ToLowerInvariant(rune);
                if (builder.Length + lower.Utf16SequenceLength > maxLength) break;
                builder.Append(lower.ToString());
            }
            else
            {
                pendingSpace = true;
            }
        }

        return builder.ToString();
    }

    public static string[] Words(string? text, int maxLength = MaxQueryLength) =>
        Normalize(text, maxLength).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary><paramref name="length"/>, or one less when that would cut a surrogate pair in half.</summary>
    private static int CutBefore(string text, int length) => char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;

    private static string ValidText(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !text.Contains('\uFFFE', StringComparison.Ordinal)) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
            else if (char.IsSurrogate(chars[i]) || chars[i] == '\uFFFE') chars[i] = ' ';
        }

        return new string(chars);
    }
}
