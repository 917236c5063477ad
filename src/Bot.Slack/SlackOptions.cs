namespace Bot.Slack;

public enum SlackMode
{
    Http,
    Socket,
}

/// <summary>Configuration section <c>Slack</c>. The adapter is on when a signing secret or a token is set.</summary>
public sealed class SlackOptions
{
    public const string Section = "Slack";
    public const string DefaultApiBaseUrl = "https://slack.com/api/";

    public string? SigningSecret { get; set; }
    public string? BotToken { get; set; }
    public string? AppToken { get; set; }
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;
    public SlackMode Mode { get; set; } = SlackMode.Http;

    /// <summary>Users allowed to run admin commands besides workspace admins and owners.</summary>
    public List<string> AdminUserIds { get; set; } = [];

    /// <summary>How long a slash command may take before it is acknowledged and answered through response_url (Slack allows 3 s).</summary>
    public int DeferAfterMilliseconds { get; set; } = 2000;

    /// <summary>Socket Mode: sockets kept open at once. Slack spreads envelopes over them, so one can drop without a gap; Slack allows 10.</summary>
    public int SocketConnections { get; set; } = 2;

    public TimeSpan DeferAfter => TimeSpan.FromMilliseconds(Math.Clamp(DeferAfterMilliseconds, 0, 2500));

    public bool Enabled => !string.IsNullOrWhiteSpace(SigningSecret) || !string.IsNullOrWhiteSpace(BotToken) || !string.IsNullOrWhiteSpace(AppToken);

    public Uri ApiBase => new(ApiBaseUrl.TrimEnd('/') + "/");

    public string? FirstProblem()
    {
        if (!Enabled) return null;
        if (string.IsNullOrWhiteSpace(BotToken)) return "Slack:BotToken is missing";
        if (!BotToken.StartsWith("xoxb-", StringComparison.Ordinal)) return "Slack:BotToken must be a bot token (xoxb-…)";
        if (Mode == SlackMode.Http && string.IsNullOrWhiteSpace(SigningSecret)) return "Slack:SigningSecret is missing";
        if (Mode == SlackMode.Socket && string.IsNullOrWhiteSpace(AppToken)) return "Slack:AppToken is missing";
        if (Mode == SlackMode.Socket && !AppToken!.StartsWith("xapp-", StringComparison.Ordinal)) return "Slack:AppToken must be an app-level token (xapp-…)";
        if (Mode == SlackMode.Socket && SocketConnections is < 1 or > 5) return "Slack:SocketConnections must be between 1 and 5";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "Slack:ApiBaseUrl must be an absolute http(s) address";
        return null;
    }
}
