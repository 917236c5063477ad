using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Bot.Feeds;

/// <summary>
/// Feed titles and summaries as plain text: HTML parsed by a real parser (AngleSharp) so entities, broken markup and
/// comments come out as a browser would show them, scripts and styles dropped, whitespace collapsed, control
/// characters and lone surrogates replaced, then clipped with an ellipsis.
/// </summary>
public static class PlainText
{
    public const int TitleLength = 300;
    public const int SummaryLength = 2000;

    // Elements whose content is never shown as text.
    private static readonly HashSet<string> Hidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg", "math",
    };

    // Elements that end a line in a browser: their text must not run into the next word.
    private static readonly HashSet<string> Breaking = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "section", "article", "header", "footer", "figure", "figcaption", "dt", "dd", "hr",
    };

    // One parser per thread: polls run in parallel, and a parser is cheap to keep but not documented as thread-safe.
    private static readonly ThreadLocal<HtmlParser> Parser = new(() => new HtmlParser(new HtmlParserOptions { IsScripting = false }));

    /// <summary>The text a reader would see in <paramref name="html"/>, at most <paramref name="maxLength"/> characters; null when nothing is left.</summary>
    public static string? FromHtml(string? html, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(html)) return null;
        string text;
        if (html.AsSpan().IndexOfAny('<', '&') < 0)
        {
            text = html;
        }
        else
        {
            // A feed can hand over megabytes in one summary; the parser need not see far past what will be kept. Deep
            // nesting costs the HTML5 tree builder time that grows faster than the depth (seconds for a few thousand
            // unclosed <div>s), so the parser sees the markup only up to a depth no real summary reaches.
            var input = html.Length > maxLength * 10 ? html[..(maxLength * 10)] : html;
            input = input[..NestingCut(input, MaxDepth)];
            // Parsed as body content: text and <noscript> at the start must not be taken for the document's head.
            using var document = Parser.Value!.ParseDocument("<body>" + input);
            var builder = new StringBuilder(Math.Min(input.Length, maxLength * 2));
            if (document.Body is { } body)
                foreach (var node in body.ChildNodes) AppendText(node, builder, maxLength * 2);
            text = builder.ToString();
        }

        return Collapse(text, maxLength);
    }

    /// <summary>Whitespace collapsed, control characters and lone surrogates replaced, clipped; for text that is already plain.</summary>
    public static string? Clean(string? text, int maxLength) => string.IsNullOrWhiteSpace(text) ? null : Collapse(text, maxLength);

    private const int MaxDepth = 100;

    /// <summary>Where an open-tag count (minus closing tags) first passes <paramref name="maxDepth"/>; the whole length if never.</summary>
    internal static int NestingCut(string html, int maxDepth)
    {
        var depth = 0;
        for (var i = 0; i < html.Length - 1; i++)
        {
            if (html[i] != '<') continue;
            var next = html[i + 1];
            if (next == '/') depth = Math.Max(0, depth - 1);
            else if (char.IsAsciiLetter(next) && ++depth > maxDepth) return i;
        }

        return html.Length;
    }

    // Iterative on purpose: a summary of thousands of nested tags must not run the thread out of stack.
    private static void AppendText(INode root, StringBuilder builder, int enough)
    {
        // A null entry closes a breaking element: the space after it.
        var pending = new Stack<INode?>();
        pending.Push(root);
        while (pending.Count > 0 && builder.Length < enough)
        {
            switch (pending.Pop())
            {
                case null:
                    builder.Append(' ');
                    break;
                case IText text:
                    builder.Append(text.Data);
                    break;
                case IElement element when Hidden.Contains(element.LocalName):
                    break;
                case IElement element:
                    if (Breaking.Contains(element.LocalName))
                    {
                        builder.Append(' ');
                        pending.Push(null);
                    }

                    for (var child = element.LastChild; child is not null; child = child.PreviousSibling) pending.Push(child);
                    break;
                default:
                    // Comments, processing instructions, doctypes: nothing a reader sees.
                    break;
            }
        }
    }

    private static string? Collapse(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var pendingSpace = false;
        for (var i = 0; i < text.Length && builder.Length <= maxLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (pendingSpace && builder.Length > 0) builder.Append(' ');
                pendingSpace = false;
                builder.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200B' or '\u2028' or '\u2029' or '\uFEFF')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && builder.Length > 0) builder.Append(' ');
            pendingSpace = false;
            builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
        }

        if (builder.Length == 0) return null;
        if (builder.Length <= maxLength) return builder.ToString();

        // Clip on a character boundary and say so.
        var cut = maxLength - 1;
        if (char.IsHighSurrogate(builder[cut - 1])) cut--;
        return builder.ToString(0, cut).TrimEnd() + "…";
    }
}
