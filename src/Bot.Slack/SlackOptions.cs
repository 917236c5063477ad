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
    public const string DefaultAuthorizeUrl = "https://slack.com/oauth/v2/authorize";

    public string? SigningSecret { get; set; }
    public string? BotToken { get; set; }
    public string? AppToken { get; set; }
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;
    public SlackMode Mode { get; set; } = SlackMode.Http;

    /// <summary>OAuth distribution (install in many workspaces): the app's client id and secret from its Basic Information page.</summary>
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>Where /slack/install sends the browser; tests point it at a fake.</summary>
    public string AuthorizeUrl { get; set; } = DefaultAuthorizeUrl;

    /// <summary>This bot's public /slack/oauth/callback address, as listed in the app's Redirect URLs.</summary>
    public string? InstallRedirectUrl { get; set; }

    /// <summary>OAuth installs are on: /slack/install and /slack/oauth/callback serve, and tokens come from the store.</summary>
    public bool Distributed => !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>Users allowed to run admin commands besides workspace admins and owners.</summary>
    public List<string> AdminUserIds { get; set; } = [];

    /// <summary>How long a slash command may take before it is acknowledged and answered through response_url (Slack allows 3 s).</summary>
    public int DeferAfterMilliseconds { get; set; } = 2000;

    /// <summary>Socket Mode: sockets kept open at once. Slack spreads envelopes over them, so one can drop without a gap; Slack allows 10.</summary>
    public int SocketConnections { get; set; } = 2;

    public TimeSpan DeferAfter => TimeSpan.FromMilliseconds(Math.Clamp(DeferAfterMilliseconds, 0, 2500));

    public bool Enabled => !string.IsNullOrWhiteSpace(SigningSecret) || !string.IsNullOrWhiteSpace(BotToken) || !string.IsNullOrWhiteSpace(AppToken) || Distributed;

    public Uri ApiBase => new(ApiBaseUrl.TrimEnd('/') + "/");

    public string? FirstProblem()
    {
        if (!Enabled) return null;
        // With OAuth installs each workspace brings its own token; Slack:BotToken is then only a fallback.
        if (string.IsNullOrWhiteSpace(BotToken) && !Distributed) return "Slack:BotToken is missing (or set Slack:ClientId and Slack:ClientSecret for OAuth installs)";
        if (!string.IsNullOrWhiteSpace(BotToken) && !BotToken.StartsWith("xoxb-", StringComparison.Ordinal)) return "Slack:BotToken must be a bot token (xoxb-…)";
        if (Distributed && string.IsNullOrWhiteSpace(ClientSecret)) return "Slack:ClientSecret is missing (Slack:ClientId is set)";
        if (!Uri.TryCreate(AuthorizeUrl, UriKind.Absolute, out var authorize) || authorize.Scheme is not ("http" or "https"))
            return "Slack:AuthorizeUrl must be an absolute http(s) address";
        if (!string.IsNullOrWhiteSpace(InstallRedirectUrl) && (!Uri.TryCreate(InstallRedirectUrl, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("http" or "https")))
            return "Slack:InstallRedirectUrl must be an absolute http(s) address";
        if (Mode == SlackMode.Http && string.IsNullOrWhiteSpace(SigningSecret)) return "Slack:SigningSecret is missing";
        if (Mode == SlackMode.Socket && string.IsNullOrWhiteSpace(AppToken)) return "Slack:AppToken is missing";
        if (Mode == SlackMode.Socket && !AppToken!.StartsWith("xapp-", StringComparison.Ordinal)) return "Slack:AppToken must be an app-level token (xapp-…)";
        if (Mode == SlackMode.Socket && SocketConnections is < 1 or > 5) return "Slack:SocketConnections must be between 1 and 5";
        if (!Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "Slack:ApiBaseUrl must be an absolute http(s) address";
        return null;
    }
}
