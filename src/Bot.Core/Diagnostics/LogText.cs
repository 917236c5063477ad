using System.Globalization;
using System.Text;

namespace Bot.Core.Diagnostics;

/// <summary>
/// Text from outside (Slack's error strings, ids, people's words, a response_url target's answer) as it may appear in a
/// log line: control characters (C0, DEL, C1, the Unicode line and paragraph separators) and lone surrogates escaped, so
/// no value can end a line and forge the next one, and clipped, so no value can flood the log.
/// </summary>
public static class LogText
{
    public const int DefaultMaxLength = 200;

    public static string Escape(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var clipped = text.Length > maxLength;
        var span = clipped ? text.AsSpan(0, maxLength) : text.AsSpan();
        if (!clipped && span.IndexOfAny(Unsafe) < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return text;

        var escaped = new StringBuilder(span.Length + 16);
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                escaped.Append(c).Append(span[++i]);
                continue;
            }

            switch (c)
            {
                case '\r': escaped.Append(@"\r"); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\t': escaped.Append(@"\t"); break;
                case < ' ' or '\u007F' or (>= '\u0080' and <= '\u009F') or '\u2028' or '\u2029' or (>= '\uD800' and <= '\uDFFF'):
                    escaped.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    break;
                default: escaped.Append(c); break;
            }
        }

        return clipped ? escaped.Append('…').ToString() : escaped.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000B\f\r\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u007F\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008A\u008B\u008C\u008D\u008E\u008F"
        + "\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009A\u009B\u009C\u009D\u009E\u009F\u2028\u2029");
}
