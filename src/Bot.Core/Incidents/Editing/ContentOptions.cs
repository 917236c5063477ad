namespace Bot.Core.Incidents.Editing;

/// <summary>Configuration section <c>Content</c>: who may change incidents from chat.</summary>
public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>Discord roles whose members may edit, besides members with Manage Server.</summary>
    public IList<string> EditorRoleIds { get; } = [];

    /// <summary>Slack users who may edit, besides workspace admins and owners.</summary>
    public IList<string> EditorUserIds { get; } = [];

    /// <summary>
    /// Guilds and workspaces whose editors are accepted. Content is shared by every one the bot
    /// serves, so a team that lets others in narrows this; empty means all (one team, the default).
    /// </summary>
    public IList<string> EditorWorkspaces { get; } = [];

    /// <summary>The platform's verdict on the person, narrowed by the workspace list; local and CLI users are editors.</summary>
    public bool MayEdit(Chat.ChatContext context) =>
        context.Platform is "cli" or "local"
        || (context.CanEditContent && (EditorWorkspaces.Count == 0 || (context.Workspace is { } workspace && EditorWorkspaces.Contains(workspace))));
}
