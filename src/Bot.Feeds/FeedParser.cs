using System.Text;

namespace Bot.Feeds;

/// <summary>
/// Turns a fetched body into items: sniffs what it is (RSS 2.0 or Atom 1.0 XML, JSON Feed, or an HTML page someone
/// took for a feed), and hands it to the right reader. Never throws for anything in the document.
/// </summary>
public static class FeedParser
{
    /// <summary>Parses <paramref name="body"/>; <paramref name="baseUrl"/> (where the fetch ended) makes relative links absolute.</summary>
    public static ParsedFeed Parse(ReadOnlyMemory<byte> body, string? contentType, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        try
        {
            var start = FirstSignificant(body.Span);
            if (start < 0) return ParsedFeed.NotAFeed("not a feed: the document is empty");
            // UTF-16 (with its byte-order mark) is only ever XML here; the XML reader works out the encoding.
            if (IsUtf16(body.Span)) return XmlFeedReader.Read(body, baseUrl);
            var first = body.Span[start];
            if (first == (byte)'{') return JsonFeedReader.Read(body, baseUrl);
            if (first != (byte)'<')
            {
                return IsHtmlType(contentType)
                    ? ParsedFeed.NotAFeed("not a feed: an HTML page")
                    : ParsedFeed.NotAFeed("not a feed: neither XML nor JSON");
            }

            if (LooksLikeHtml(body.Span[start..])) return ParsedFeed.NotAFeed("not a feed: an HTML page");
            return XmlFeedReader.Read(body, baseUrl);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A hostile document can make the syndication reader throw more than XmlException; all of it means "malformed".
            return ParsedFeed.NotAFeed($"malformed feed: {OneLine(exception.Message)}");
        }
    }

    internal static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length > 200 ? line[..200] + "…" : line;
    }

    private static int FirstSignificant(ReadOnlySpan<byte> span)
    {
        var i = 0;
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) i = 3;
        // UTF-16 documents begin with a byte-order mark; let the XML reader work out the encoding.
        else if (IsUtf16(span)) return span.Length > 2 ? 0 : -1;
        for (; i < span.Length; i++)
        {
            if (span[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return i;
        }

        return -1;
    }

    private static bool IsUtf16(ReadOnlySpan<byte> span) => span.Length >= 2 && ((span[0] == 0xFF && span[1] == 0xFE) || (span[0] == 0xFE && span[1] == 0xFF));

    private static bool IsHtmlType(string? contentType) =>
        contentType is not null && (contentType.Contains("text/html", StringComparison.OrdinalIgnoreCase) || contentType.Contains("xhtml", StringComparison.OrdinalIgnoreCase));

    // An HTML page begins with a doctype or <html> (maybe after an XML declaration and comments); an XHTML page with no
    // doctype has the XHTML root, which XmlFeedReader reports as well.
    private static bool LooksLikeHtml(ReadOnlySpan<byte> span)
    {
        var head = Encoding.UTF8.GetString(span[..Math.Min(span.Length, 1024)]);
        var index = 0;
        while (true)
        {
            var next = head.AsSpan(index).TrimStart();
            var skipped = head.Length - next.Length;
            var close = next.StartsWith("<!--", StringComparison.Ordinal) ? "-->" : next.StartsWith("<?", StringComparison.Ordinal) ? "?>" : null;
            if (close is null) break;
            var end = head.IndexOf(close, skipped, StringComparison.Ordinal);
            if (end < 0) return false;
            index = end + close.Length;
        }

        var rest = head.AsSpan(index).TrimStart();
        return rest.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
