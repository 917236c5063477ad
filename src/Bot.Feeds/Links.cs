namespace Bot.Feeds;

/// <summary>Links from a feed made absolute against where the feed was fetched from, and kept only when they are http(s).</summary>
internal static class Links
{
    /// <summary><paramref name="relative"/> resolved against <paramref name="baseUrl"/>; null unless the result is http or https.</summary>
    public static string? Absolute(Uri baseUrl, string? relative)
    {
        if (string.IsNullOrWhiteSpace(relative) || relative.Length > 4096) return null;
        if (!Uri.TryCreate(baseUrl, relative.Trim(), out var absolute)) return null;
        if (absolute.Scheme != Uri.UriSchemeHttp && absolute.Scheme != Uri.UriSchemeHttps) return null;
        return absolute.AbsoluteUri;
    }

    /// <summary>An xml:base (perhaps relative) resolved against the fetch URL; the fetch URL when it is missing or not http(s).</summary>
    public static Uri Combine(Uri baseUrl, Uri? xmlBase)
    {
        if (xmlBase is null || xmlBase.OriginalString.Length == 0) return baseUrl;
        return Uri.TryCreate(baseUrl, xmlBase, out var combined) && (combined.Scheme == Uri.UriSchemeHttp || combined.Scheme == Uri.UriSchemeHttps)
            ? combined
            : baseUrl;
    }
}
