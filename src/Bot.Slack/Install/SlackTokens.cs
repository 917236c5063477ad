using Bot.Core.Installations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Install;

/// <summary>Which workspace a Web API call is for: the team, and the enterprise when the team belongs to an Enterprise Grid org.</summary>
internal readonly record struct SlackTeam(string? TeamId, string? EnterpriseId = null)
{
    /// <summary>No workspace in particular: the single Slack:BotToken (readiness, self-hosted setups).</summary>
    public static SlackTeam Unknown => default;
}

/// <summary>
/// A bot token and where it came from: only a token an install gave can be lost to an uninstall; <see cref="OrgWide"/>
/// names the enterprise when that install was org-wide, so losing it stops every workspace of the org.
/// </summary>
internal readonly record struct SlackCredential(string Token, bool FromInstallation, string? OrgWide = null);

/// <summary>The token to call Slack with for one workspace.</summary>
internal interface ISlackTokenSource
{
    /// <summary>
    /// The installed team's token, else the org-wide install's (the request's enterprise, else the org the workspace was
    /// last seen in), else Slack:BotToken; null when there is none.
    /// </summary>
    Task<SlackCredential?> ForAsync(SlackTeam team, CancellationToken cancellationToken);
}

/// <summary>
/// Installed tokens from the store, decrypted on use (never cached in the clear, never logged); Slack:BotToken for
/// any workspace that did not install the bot through OAuth, so a self-hosted single-workspace setup works as before.
/// </summary>
internal sealed class SlackTokens(IInstallationStore installations, SlackOrgs orgs, SlackTokenProtector protector, IOptions<SlackOptions> options) : ISlackTokenSource
{
    public const string Platform = "slack";

    public async Task<SlackCredential?> ForAsync(SlackTeam team, CancellationToken cancellationToken)
    {
        if (await InstalledAsync(team.TeamId, cancellationToken) is { } own) return own;
        if (await InstalledAsync(team.EnterpriseId, cancellationToken) is { } org) return org;
        // A scheduled post knows only its workspace: the org it belongs to was recorded from its requests.
        if (!string.IsNullOrEmpty(team.TeamId)
            && await orgs.EnterpriseOfAsync(team.TeamId, cancellationToken) is { } remembered && remembered != team.EnterpriseId
            && await InstalledAsync(remembered, cancellationToken) is { } rememberedOrg)
            return rememberedOrg;

        return string.IsNullOrWhiteSpace(options.Value.BotToken) ? null : new SlackCredential(options.Value.BotToken, FromInstallation: false);
    }

    private async Task<SlackCredential?> InstalledAsync(string? key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key)) return null;
        if (await installations.FindAsync(Platform, key, cancellationToken) is not { } installation
            || protector.TryUnprotect(installation.ProtectedToken) is not { } token)
            return null;
        return new SlackCredential(token, FromInstallation: true, installation.IsEnterpriseInstall ? installation.Workspace : null);
    }
}

/// <summary>Encrypts bot tokens for the store with Data Protection (whose key ring is in the store too).</summary>
internal sealed class SlackTokenProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Bot.Slack.BotToken.v1");

    public string Protect(string token) => _protector.Protect(token);

    /// <summary>Null when the text was not protected by a key of this ring (a copied row, a lost key ring).</summary>
    public string? TryUnprotect(string protectedToken)
    {
        try
        {
            return _protector.Unprotect(protectedToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>Slack:BotToken for every workspace, for tools that have no store (and tests of the Web API client).</summary>
internal sealed class ConfiguredSlackToken(IOptions<SlackOptions> options) : ISlackTokenSource
{
    public Task<SlackCredential?> ForAsync(SlackTeam team, CancellationToken cancellationToken) =>
        Task.FromResult(string.IsNullOrWhiteSpace(options.Value.BotToken) ? null : (SlackCredential?)new SlackCredential(options.Value.BotToken, FromInstallation: false));
}
