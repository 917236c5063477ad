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
        else if (span.Length >= 2 && ((span[0] == 0xFF && span[1] == 0xFE) || (span[0] == 0xFE && span[1] == 0xFF))) return span.Length > 2 ? 0 : -1;
        for (; i < span.Length; i++)
        {
            if (span[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return i;
        }

        return -1;
    }

    private static bool IsHtmlType(string? contentType) =>
        contentType is not null && (contentType.Contains("text/html", StringComparison.OrdinalIgnoreCase) || contentType.Contains("xhtml", StringComparison.OrdinalIgnoreCase));

    // An HTML page begins with a doctype or <html> (maybe after comments); an XHTML page has the XHTML namespace root,
    // which XmlFeedReader reports as well.
    private static bool LooksLikeHtml(ReadOnlySpan<byte> span)
    {
        var head = Encoding.UTF8.GetString(span[..Math.Min(span.Length, 1024)]);
        var index = 0;
        while (head.AsSpan(index).TrimStart().StartsWith("<!--", StringComparison.Ordinal))
        {
            var end = head.IndexOf("-->", index, StringComparison.Ordinal);
            if (end < 0) return false;
            index = end + 3;
        }

        var rest = head.AsSpan(index).TrimStart();
        return rest.StartsWith("<!doctype html", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }
}
