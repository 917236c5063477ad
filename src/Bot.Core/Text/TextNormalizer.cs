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
        var source = text.Length > maxLength * 4 ? text[..(maxLength * 4)] : text;
        var decomposed = WellFormed(source).Normalize(NormalizationForm.FormD);
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

    /// <summary>
    /// string.Normalize throws on a lone surrogate (pasted junk, or a pair cut in two above); each
    /// becomes U+FFFD, which is no letter and so only separates words.
    /// </summary>
    private static string WellFormed(string text) =>
        text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)) : text;

    public static string[] Words(string? text, int maxLength = MaxQueryLength) =>
        Normalize(text, maxLength).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
