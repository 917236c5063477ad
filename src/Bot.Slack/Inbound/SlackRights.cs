using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Inbound;

/// <summary>
/// What Slack says about the asker, looked up only for the commands that need it, so an ordinary
/// card costs no users.info call: briefing changes need a workspace admin (or Slack:AdminUserIds),
/// editing verbs a workspace admin or owner or someone in Content:EditorUserIds. The core adds its
/// own rules (Content:EditorWorkspaces) on top.
/// </summary>
internal sealed class SlackRights(SlackAdmins admins, IOptions<ContentOptions> content)
{
    private static readonly HashSet<string> EditingVerbs = new(StringComparer.Ordinal)
    {
        "new", "edit", "event", "source", "undo", "remove", "restore", "save", "add-message",
    };

    public async Task<ChatContext> ForAsync(Install.SlackTeam team, ChatContext context, string commandLine, CancellationToken cancellationToken)
    {
        var request = new ChatRequest(commandLine, context);
        if (request.Command == "briefing")
            return context with { CanManageBriefings = await admins.IsAdminAsync(team, context.User, cancellationToken) };
        if (IsEditing(request) || request.Command == "feeds")
            return context with { CanEditContent = await MayEditAsync(team, context.User, cancellationToken) };
        return context;
    }

    /// <summary>"incident edit balloon", "incident save new": a command that changes the content.</summary>
    public static bool IsEditing(ChatRequest request)
    {
        if (request.Command != "incident") return false;
        var arguments = request.Arguments.AsSpan();
        var space = arguments.IndexOfAny(' ', '\t', '\n');
        var verb = (space < 0 ? arguments : arguments[..space]).ToString().ToLowerInvariant();
        return EditingVerbs.Contains(verb);
    }

    private async Task<bool> MayEditAsync(Install.SlackTeam team, string? userId, CancellationToken cancellationToken) =>
        !string.IsNullOrEmpty(userId)
        && (content.Value.EditorUserIds.Contains(userId, StringComparer.Ordinal) || await admins.IsWorkspaceAdminAsync(team, userId, cancellationToken));
}
