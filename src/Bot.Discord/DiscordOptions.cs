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
    /// Gateway mode: the shards this instance opens, as comma-separated ids below <see cref="ShardCount"/>
    /// (for example "0,1" of 4, with another instance running "2,3"); unset opens them all.
    /// </summary>
    public string? ShardIds { get; set; }

    /// <summary>
    /// Take Discord's global rate (and the identify turns of the gateway) from a budget in the store that
    /// every instance shares. Unset: on with Storage:Provider=Postgres, off on SQLite (one process).
    /// </summary>
    public bool? SharedRateBudget { get; set; }

    /// <summary>
    /// This instance's share of Discord's global 50 requests per second when no shared budget is used:
    /// 1 for one instance, 1/N for N instances posting with one bot token.
    /// </summary>
    public double GlobalRateShare { get; set; } = 1;

    /// <summary>
    /// Gateway mode: ask for the privileged Message Content intent, so messages that do not mention
    /// the bot arrive with their text too. Mentions, DMs and slash commands work without it.
    /// </summary>
    public bool MessageContentIntent { get; set; }

    /// <summary>The shards to open, parsed from <see cref="ShardIds"/>; null means all of them. Call after validation.</summary>
    public IReadOnlyList<int>? ChosenShards => ParseShardIds(ShardIds, out _);

    /// <summary>Requests per second this instance allows itself under Discord's global limit.</summary>
    public int LocalGlobalPerSecond => Math.Max(1, (int)Math.Floor(Protocol.RateLimiter.GlobalPerSecond * Math.Clamp(GlobalRateShare, 0, 1) + 1e-9));

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
        if (ShardIdsProblem() is { } shards) return shards;
        if (!(GlobalRateShare > 0 && GlobalRateShare <= 1))
            return "Discord:GlobalRateShare must be above 0 and at most 1 (1/N for N instances, for example 0.5 for two)";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "Discord:ApiBaseUrl must be an absolute http(s) address";
        return null;
    }

    private string? ShardIdsProblem()
    {
        if (string.IsNullOrWhiteSpace(ShardIds)) return null;
        // Every instance must split the same count: with Discord's recommendation they could each see another one.
        if (ShardCount is null) return "Discord:ShardIds needs Discord:ShardCount, the same on every instance";
        var ids = ParseShardIds(ShardIds, out var problem);
        if (ids is null) return problem;
        if (ids.Where(id => id >= ShardCount).Select(id => (int?)id).FirstOrDefault() is { } tooHigh)
            return $"Discord:ShardIds has shard {tooHigh}, but Discord:ShardCount is {ShardCount} (ids run from 0 to {ShardCount - 1})";
        if (ids.GroupBy(id => id).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return $"Discord:ShardIds lists shard {twice.Key} twice";
        return null;
    }

    private static List<int>? ParseShardIds(string? text, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(text)) return null;
        var ids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                problem = $"Discord:ShardIds must be shard numbers separated by commas, like 0,1 (\"{part}\" is not one)";
                return null;
            }

            ids.Add(id);
        }

        return ids;
    }
}
