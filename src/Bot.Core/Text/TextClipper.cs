using System.Globalization;
using System.Text;

namespace Bot.Core.Text;

/// <summary>
/// Cuts text to a platform's limit cleanly: at a word boundary, with an ellipsis, never inside a
/// surrogate pair or a combined character. Limits are counted in Unicode code points (what
/// Discord counts), which is also safe for limits counted in UTF-16 units or characters.
/// </summary>
public static class TextClipper
{
    public const string Ellipsis = "…";

    public static int Length(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    public static string Clip(string? text, int maxLength)
    {
        if (string.IsNullOrEmpty(text) || maxLength <= 0) return string.Empty;
        text = text.Trim();
        // UTF-16 length bounds the code point count from above: short texts need no counting.
        if (text.Length <= maxLength || Length(text) <= maxLength) return text;
        if (maxLength == 1) return Ellipsis;

        // Keep whole text elements (emoji with modifiers, letters with accents) up to the budget.
        var budget = maxLength - 1;
        var builder = new StringBuilder(Math.Min(text.Length, maxLength * 2));
        var used = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            var size = Length(element);
            if (used + size > budget) break;
            builder.Append(element);
            used += size;
        }

        var kept = builder.ToString();
        // Back up to the last word boundary if it is not too far: "the balloon was sh…" reads worse than "the balloon was…".
        var lastSpace = kept.LastIndexOfAny([' ', '\n', '\t']);
        if (lastSpace > kept.Length * 2 / 3) kept = kept[..lastSpace];
        return kept.TrimEnd(' ', '\n', '\t', ',', ';', ':', '.', '—', '-') + Ellipsis;
    }
}
