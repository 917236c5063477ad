using Microsoft.Extensions.Logging;

namespace Bot.Core.Installations;

/// <summary>
/// What installing and uninstalling mean for the bot: an install keeps the token and resumes the workspace's
/// subscriptions, an uninstall (or a revoked token) forgets the token and pauses them, so nothing is posted until the
/// workspace installs the bot again.
/// </summary>
public sealed class InstallationService(IInstallationStore installations, IWorkspacePauses pauses, ILogger<InstallationService> logger)
{
    /// <param name="workspaces">The workspaces whose subscriptions come back: the team, or the teams an org-wide install was seen in.</param>
    public async Task InstalledAsync(Installation installation, IReadOnlyCollection<string> workspaces, CancellationToken cancellationToken)
    {
        await installations.SaveAsync(installation, cancellationToken);
        var resumed = 0;
        foreach (var workspace in workspaces.Distinct(StringComparer.Ordinal))
            resumed += await pauses.ResumeWorkspaceAsync(installation.Platform, workspace, cancellationToken);
        logger.LogInformation("Installed in {Platform} workspace {Workspace}{Enterprise}; {Resumed} subscription(s) resumed",
            installation.Platform, installation.Workspace, installation.IsEnterpriseInstall ? " (org-wide)" : "", resumed);
    }

    /// <param name="installKey">The installation's key: the team id, or the enterprise id of an org-wide install.</param>
    /// <param name="workspaces">The workspaces whose subscriptions stop.</param>
    public async Task RemovedAsync(string platform, string installKey, IReadOnlyCollection<string> workspaces, string reason, CancellationToken cancellationToken)
    {
        var removed = await installations.RemoveAsync(platform, installKey, cancellationToken);
        var paused = 0;
        foreach (var workspace in workspaces.Distinct(StringComparer.Ordinal))
            paused += await pauses.PauseWorkspaceAsync(platform, workspace, reason, cancellationToken);
        logger.LogInformation("{Platform} workspace {Workspace}: {Reason}; token {Removed}, {Paused} subscription(s) paused",
            platform, installKey, reason, removed ? "deleted" : "was not stored", paused);
    }
}
