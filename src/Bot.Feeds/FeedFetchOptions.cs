using System.ComponentModel.DataAnnotations;

namespace Bot.Feeds;

/// <summary>Configuration section <c>Feeds</c>: how far the bot goes when it fetches a feed someone in chat asked for.</summary>
public sealed class FeedFetchOptions
{
    public const string Section = "Feeds";
    public const long DefaultMaxBytes = 5L * 1024 * 1024;

    /// <summary>One fetch, redirects and body included, must finish within this many seconds.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>The body (after decompression) is read up to this size and no further.</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Off by default: a chat user chooses the URL, so loopback, private, link-local (cloud metadata) and similar
    /// addresses are refused. Self-hosters reading feeds on their own network, and tests, turn it on.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    [Required(AllowEmptyStrings = false)]
    [MaxLength(200)]
    public string UserAgent { get; set; } = "NewsBriefingBot/1.0 (feed reader)";

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);
}
