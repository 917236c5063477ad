namespace Bot.Core.Installations;

/// <summary>
/// A workspace that installed the bot through the platform's OAuth flow, with the bot token issued for it. The token is
/// kept protected (encrypted by the adapter): the store and the core never see it in the clear.
/// </summary>
public sealed record Installation
{
    public required string Platform { get; init; }

    /// <summary>The key tokens are looked up by: the team id, or the enterprise id of an org-wide install.</summary>
    public required string Workspace { get; init; }

    public string? TeamId { get; init; }
    public string? EnterpriseId { get; init; }
    public bool IsEnterpriseInstall { get; init; }
    public string? BotUserId { get; init; }
    public required string ProtectedToken { get; init; }
    public DateTimeOffset InstalledAt { get; init; }
}

public interface IInstallationStore
{
    /// <summary>Creates or replaces the workspace's installation (a reinstall brings a new token).</summary>
    Task SaveAsync(Installation installation, CancellationToken cancellationToken);

    Task<Installation?> FindAsync(string platform, string workspace, CancellationToken cancellationToken);

    /// <summary>Every installation, by platform and workspace: what an operator checks after people installed the app.</summary>
    Task<IReadOnlyList<Installation>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Forgets the workspace's installation and its token; false when there was none.</summary>
    Task<bool> RemoveAsync(string platform, string workspace, CancellationToken cancellationToken);
}

/// <summary>
/// Which org each workspace belongs to, as its requests showed (a Slack workspace in an Enterprise Grid org). An org-wide
/// install's token is kept under the enterprise; a scheduled post knows only its workspace, and finds the org through this.
/// </summary>
public interface IInstallationMembers
{
    /// <summary>Records (or moves) the workspace into the org.</summary>
    Task RememberAsync(string platform, string workspace, string enterprise, CancellationToken cancellationToken);

    Task<string?> EnterpriseOfAsync(string platform, string workspace, CancellationToken cancellationToken);

    /// <summary>Every workspace seen in the org.</summary>
    Task<IReadOnlyList<string>> WorkspacesOfAsync(string platform, string enterprise, CancellationToken cancellationToken);
}

/// <summary>
/// Subscriptions stop (and start again) with the bot's access: an uninstalled app, a revoked token or a channel the bot
/// was removed from pauses them instead of failing a post every day; a reinstall or a returning guild resumes them.
/// </summary>
public interface IWorkspacePauses
{
    /// <summary>Pauses every subscription of the workspace not paused yet; the number paused.</summary>
    Task<int> PauseWorkspaceAsync(string platform, string workspace, string reason, CancellationToken cancellationToken);

    /// <summary>Pauses the subscriptions of one channel; the number paused.</summary>
    Task<int> PauseChannelAsync(string platform, string channel, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Resumes the workspace's subscriptions its own loss paused (uninstall, refused token, removed guild); a channel
    /// the bot lost on its own stays paused until it is subscribed again. The number resumed.
    /// </summary>
    Task<int> ResumeWorkspaceAsync(string platform, string workspace, CancellationToken cancellationToken);
}

/// <summary>
/// The Data Protection key ring, kept in the store so every instance reads the same keys and a token protected by one
/// can be read by another. Synchronous, as the key manager that calls it is.
/// </summary>
public interface IKeyRingStore
{
    IReadOnlyList<string> ReadAll();

    void Add(string name, string xml);
}
