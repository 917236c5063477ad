using Bot.Core.Diagnostics;

namespace Bot.Slack.Protocol;

/// <summary>
/// A Web API call that came back ok:false, naming Slack's error code. The error and the channel come from outside (a
/// response_url target may answer anything), so both are kept escaped and clipped: wherever this exception is logged,
/// in the adapter or beyond it, neither can break a log line.
/// </summary>
public sealed class SlackApiException(string method, string error, string? channel)
    : Exception(channel is null ? $"Slack {method} failed: {Escape(error)}" : $"Slack {method} failed for channel {Escape(channel)}: {Escape(error)}")
{
    public string Method { get; } = method;
    public string Error { get; } = Escape(error);
    public string? Channel { get; } = channel is null ? null : Escape(channel);

    /// <summary>Our own code for a workspace with no installed token and no Slack:BotToken to fall back on.</summary>
    public const string NotInstalled = "not_installed";

    /// <summary>The call went out with (or looked for) a token a workspace's install gave, not Slack:BotToken.</summary>
    public bool FromInstallation { get; init; }

    /// <summary>The enterprise whose org-wide install gave the token: a refusal then stands for every workspace of the org.</summary>
    public string? OrgWide { get; init; }

    /// <summary>Slack no longer takes the token: the workspace uninstalled the bot, revoked it, or was deactivated.</summary>
    public bool IsTokenRefused => Error is "invalid_auth" or "account_inactive" or "token_revoked" or NotInstalled;

    /// <summary>
    /// An installed workspace's token refused: that workspace's subscriptions pause until it installs the bot again. A
    /// refused Slack:BotToken does not pause anything: the operator fixes the setting and posts resume by themselves.
    /// </summary>
    public bool IsInstallationLost => FromInstallation && IsTokenRefused;

    /// <summary>Errors that will not go away by retrying: the channel is gone, the bot was removed, the token is bad.</summary>
    public bool IsPermanent => Error is "channel_not_found" or "not_in_channel" or "is_archived" or "invalid_auth" or "not_authed"
        or "account_inactive" or "token_revoked" or "token_expired" or "missing_scope" or "not_allowed_token_type"
        or "invalid_blocks" or "invalid_blocks_format" or "msg_too_long" or "no_text" or "restricted_action" or "expired_url" or NotInstalled;

    private static string Escape(string text) => LogText.Escape(text, 100);
}

/// <summary>Slack could not be reached or kept failing; the caller may try again later.</summary>
public sealed class SlackUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
