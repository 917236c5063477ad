using Bot.Core.Installations;
using Bot.Slack.Protocol;

namespace Bot.Slack.Install;

/// <summary>
/// app_uninstalled and tokens_revoked: the workspace's token is gone, so it is deleted and the workspace's subscriptions
/// pause until it installs the bot again (for an org-wide install: every workspace of the org it spoke for). A
/// tokens_revoked that names only user tokens changes nothing for the bot.
/// </summary>
internal sealed class SlackUninstalls(InstallationService installations, SlackOrgs orgs, Inbound.SlackIdentity identity)
{
    public static bool Handles(SlackEvent e) => e.Type is "app_uninstalled" or "tokens_revoked";

    public async Task HandleAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var e = envelope.Event!;
        if (e.Type == "tokens_revoked" && e.Tokens?.Bot is not { Count: > 0 }) return;
        var authorization = envelope.Authorizations?.FirstOrDefault(a => a is not null);
        var enterpriseWide = authorization?.IsEnterpriseInstall == true;
        var teamId = envelope.TeamId ?? authorization?.TeamId;
        var enterpriseId = envelope.EnterpriseId ?? authorization?.EnterpriseId;
        var installKey = enterpriseWide ? enterpriseId : teamId;
        if (string.IsNullOrEmpty(installKey)) return;

        // An org's uninstall stops the workspaces its token spoke for, and no other (a workspace with its own install keeps it).
        await orgs.RememberAsync(new SlackTeam(teamId, enterpriseId), cancellationToken);
        IReadOnlyCollection<string> workspaces = enterpriseWide ? await orgs.CoveredByAsync(installKey, cancellationToken)
            : string.IsNullOrEmpty(teamId) ? [] : [teamId];
        var reason = e.Type == "app_uninstalled" ? "the app was uninstalled from the workspace" : "the workspace revoked the bot's token";
        await installations.RemovedAsync(SlackTokens.Platform, installKey, workspaces, reason, cancellationToken);
        identity.Forget(new SlackTeam(teamId, enterpriseId));
    }
}

/// <summary>Data Protection's key ring read from and written to the store (see <see cref="IKeyRingStore"/>).</summary>
internal sealed class StoreXmlRepository(IKeyRingStore store) : Microsoft.AspNetCore.DataProtection.Repositories.IXmlRepository
{
    public IReadOnlyCollection<System.Xml.Linq.XElement> GetAllElements() =>
        store.ReadAll().Select(xml => System.Xml.Linq.XElement.Parse(xml)).ToList();

    public void StoreElement(System.Xml.Linq.XElement element, string friendlyName) =>
        store.Add(friendlyName, element.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
}
