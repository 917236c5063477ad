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

/// <summary>A bot token and where it came from: only a token an install gave can be lost to an uninstall.</summary>
internal readonly record struct SlackCredential(string Token, bool FromInstallation);

/// <summary>The token to call Slack with for one workspace.</summary>
internal interface ISlackTokenSource
{
    /// <summary>The installed team's token, else the org-wide install's, else Slack:BotToken; null when there is none.</summary>
    Task<SlackCredential?> ForAsync(SlackTeam team, CancellationToken cancellationToken);
}

/// <summary>
/// Installed tokens from the store, decrypted on use (never cached in the clear, never logged); Slack:BotToken for
/// any workspace that did not install the bot through OAuth, so a self-hosted single-workspace setup works as before.
/// </summary>
internal sealed class SlackTokens(IInstallationStore installations, SlackTokenProtector protector, IOptions<SlackOptions> options) : ISlackTokenSource
{
    public const string Platform = "slack";

    public async Task<SlackCredential?> ForAsync(SlackTeam team, CancellationToken cancellationToken)
    {
        foreach (var key in new[] { team.TeamId, team.EnterpriseId })
        {
            if (string.IsNullOrEmpty(key)) continue;
            if (await installations.FindAsync(Platform, key, cancellationToken) is { } installation
                && protector.TryUnprotect(installation.ProtectedToken) is { } token)
                return new SlackCredential(token, FromInstallation: true);
        }

        return string.IsNullOrWhiteSpace(options.Value.BotToken) ? null : new SlackCredential(options.Value.BotToken, FromInstallation: false);
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
