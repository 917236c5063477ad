namespace Bot.Discord;

public enum DiscordMode
{
    Http,
    Gateway,
}

/// <summary>Configuration section <c>Discord</c>. The adapter is on when any of its keys is set.</summary>
public sealed class DiscordOptions
{
    public const string Section = "Discord";
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10/";

    public string? ApplicationId { get; set; }
    public string? PublicKey { get; set; }
    public string? BotToken { get; set; }
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;
    public DiscordMode Mode { get; set; } = DiscordMode.Http;

    /// <summary>How long an answer may take before the interaction is acknowledged and answered later (Discord allows 3 s).</summary>
    public int DeferAfterMilliseconds { get; set; } = 2000;

    /// <summary>Gateway mode: how many shards to run; unset uses Discord's recommendation from GET /gateway/bot.</summary>
    public int? ShardCount { get; set; }

    /// <summary>
    /// Gateway mode: ask for the privileged Message Content intent, so messages that do not mention
    /// the bot arrive with their text too. Mentions, DMs and slash commands work without it.
    /// </summary>
    public bool MessageContentIntent { get; set; }

    public TimeSpan DeferAfter => TimeSpan.FromMilliseconds(Math.Clamp(DeferAfterMilliseconds, 0, 2500));

    public bool Enabled => !string.IsNullOrWhiteSpace(ApplicationId) || !string.IsNullOrWhiteSpace(PublicKey) || !string.IsNullOrWhiteSpace(BotToken);

    /// <summary>The base address with exactly one trailing slash: HttpClient drops the last segment of one without.</summary>
    public Uri ApiBase => new(ApiBaseUrl.TrimEnd('/') + "/");

    /// <summary>The first missing key of an enabled adapter, named as it is configured, or null.</summary>
    public string? FirstProblem()
    {
        if (!Enabled) return null;
        if (string.IsNullOrWhiteSpace(ApplicationId)) return "Discord:ApplicationId is missing";
        // It goes into REST paths: " 123" or "+123" would pass a number parser and still be a wrong path.
        if (!Protocol.Snowflake.IsValid(ApplicationId)) return "Discord:ApplicationId must be the numeric application id";
        if (Mode == DiscordMode.Http && string.IsNullOrWhiteSpace(PublicKey)) return "Discord:PublicKey is missing";
        if (!string.IsNullOrWhiteSpace(PublicKey) && !new Protocol.SignatureVerifier(PublicKey).HasKey)
            return "Discord:PublicKey must be the 64-character hex public key from the Developer Portal";
        if (string.IsNullOrWhiteSpace(BotToken)) return "Discord:BotToken is missing";
        if (ShardCount is <= 0) return "Discord:ShardCount must be a positive number (or unset, to use Discord's recommendation)";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "Discord:ApiBaseUrl must be an absolute http(s) address";
        return null;
    }
}
