using System.Text.RegularExpressions;

namespace Bot.Slack.Inbound;

/// <summary>
/// A Slack message's text as plain text, for content the team keeps: links become "label (address)", user and channel
/// references "@U123" and "#name", and Slack's three escapes (&amp;amp; &amp;lt; &amp;gt;) are undone. Other tokens
/// (&lt;!here&gt;, dates) stay as written: stored as text, they are escaped again whenever they are shown.
/// </summary>
internal static partial class SlackMarkup
{
    public static string ToPlain(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var plain = Token().Replace(text, match =>
        {
            var inner = match.Groups["inner"].Value;
            var bar = inner.IndexOf('|', StringComparison.Ordinal);
            var target = bar < 0 ? inner : inner[..bar];
            var label = bar < 0 ? null : inner[(bar + 1)..];
            return target switch
            {
                ['@', ..] => "@" + (string.IsNullOrEmpty(label) ? target[1..] : label),
                ['#', ..] => "#" + (string.IsNullOrEmpty(label) ? target[1..] : label),
                _ when target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) => string.IsNullOrEmpty(label) ? target["mailto:".Length..] : label,
                _ when target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) =>
                    string.IsNullOrEmpty(label) || label == target ? target : $"{label} ({target})",
                _ => match.Value,
            };
        });
        return plain.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
    }

    // Slack writes a literal < or > in people's text as &lt; / &gt;, so every raw pair is one of its own tokens.
    [GeneratedRegex(@"<(?<inner>[^<>]+)>")]
    private static partial Regex Token();
}
