using System.Collections.Concurrent;
using Bot.Core.Diagnostics;
using Bot.Core.Installations;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Install;

/// <summary>
/// Enterprise Grid orgs: an org-wide install gives one token for the enterprise, not for its workspaces. Each request
/// names its workspace and org, and the pairing is kept, so a scheduled post (which knows only its workspace) finds the
/// org's token, and losing or regaining the org's install pauses or resumes exactly the workspaces it covers.
/// </summary>
internal sealed class SlackOrgs(IInstallationMembers members, IInstallationStore installations, ILogger<SlackOrgs> logger)
{
    /// <summary>Pairings this process has written already: a busy workspace costs one write per process, not one per request.</summary>
    private readonly ConcurrentDictionary<string, string> _written = new(StringComparer.Ordinal);

    /// <summary>Records that the request's workspace belongs to its org; a failure to record is logged, never the request's failure.</summary>
    public async Task RememberAsync(SlackTeam team, CancellationToken cancellationToken)
    {
        if (team is not { TeamId: { Length: > 0 } teamId, EnterpriseId: { Length: > 0 } enterprise }) return;
        if (_written.TryGetValue(teamId, out var known) && known == enterprise) return;
        try
        {
            await members.RememberAsync(SlackTokens.Platform, teamId, enterprise, cancellationToken);
            _written[teamId] = enterprise;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not record that Slack workspace {Workspace} belongs to org {Enterprise}: {Error}",
                LogText.Escape(teamId), LogText.Escape(enterprise), ex.GetType().Name);
        }
    }

    public Task<string?> EnterpriseOfAsync(string teamId, CancellationToken cancellationToken) =>
        members.EnterpriseOfAsync(SlackTokens.Platform, teamId, cancellationToken);

    /// <summary>The workspaces an org-wide install speaks for: those seen in the org that did not install the bot on their own.</summary>
    public async Task<IReadOnlyList<string>> CoveredByAsync(string enterprise, CancellationToken cancellationToken)
    {
        var covered = new List<string>();
        foreach (var workspace in await members.WorkspacesOfAsync(SlackTokens.Platform, enterprise, cancellationToken))
        {
            if (await installations.FindAsync(SlackTokens.Platform, workspace, cancellationToken) is null) covered.Add(workspace);
        }

        return covered;
    }
}
