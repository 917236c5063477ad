using System.Globalization;
using System.Text;

namespace Bot.Core.Incidents.Editing;

/// <summary>
/// Limits that fit both platforms' forms (Discord modal inputs take 4,000 characters, Slack's
/// plain-text inputs 3,000) and the cards they end up in.
/// </summary>
public static class EditLimits
{
    public const int Title = 200;
    public const int Summary = 2_000;
    public const int EventText = 500;
    public const int Status = 300;
    public const int Alias = 100;
    public const int Aliases = 30;
    public const int Url = 2_000;
    public const int SourceTitle = 300;

    /// <summary>
    /// Team text is stored as text: control characters (but line breaks where allowed) are dropped
    /// and broken UTF-16 is replaced, so nothing stored can break a renderer or a log line.
    /// </summary>
    public static string Clean(string? text, bool multiline = false)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }

            if (char.IsSurrogate(c)) builder.Append('\uFFFD');
            else if (c == '\n' && multiline) builder.Append('\n');
            else if (c is '\r' or '\t' or '\n') builder.Append(' ');
            else if (char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format && c != '\u200D') continue;
            else builder.Append(c);
        }

        var cleaned = builder.ToString().Trim();
        return multiline ? cleaned : string.Join(' ', cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>An absolute http(s) address, or null with the reason.</summary>
    public static bool TryUrl(string? text, out Uri? url, out string? problem)
    {
        url = null;
        problem = null;
        var cleaned = Clean(text);
        if (cleaned.Length == 0)
        {
            problem = "is empty";
            return false;
        }

        if (cleaned.Length > Url)
        {
            problem = $"is longer than {Url} characters";
            return false;
        }

        if (!Uri.TryCreate(cleaned, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || string.IsNullOrEmpty(parsed.Host))
        {
            problem = "must be a web address starting with https:// or http://";
            return false;
        }

        url = parsed;
        return true;
    }
}
