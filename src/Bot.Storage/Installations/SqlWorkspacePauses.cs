using Bot.Core.Installations;
using Dapper;

namespace Bot.Storage.Installations;

/// <summary>
/// Pauses live on the subscription rows. Written with <see cref="Durability.Full"/>: a pause that a power cut undid
/// would let posts go out to a workspace that uninstalled the bot.
/// </summary>
public sealed class SqlWorkspacePauses(IStoreConnections database, TimeProvider time) : IWorkspacePauses
{
    public async Task<int> PauseWorkspaceAsync(string platform, string workspace, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET paused_since = @now, pause_reason = @reason, pause_scope = 'workspace'
            WHERE platform = @platform AND workspace = @workspace AND paused_since IS NULL
            """, new { platform, workspace, reason, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task<int> PauseChannelAsync(string platform, string channel, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET paused_since = @now, pause_reason = @reason, pause_scope = 'channel'
            WHERE platform = @platform AND channel = @channel AND paused_since IS NULL
            """, new { platform, channel, reason, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task<int> ResumeWorkspaceAsync(string platform, string workspace, CancellationToken cancellationToken)
    {
        // The failure that went with the pause (the refused token, the missing access) no longer applies either. A pause
        // from before scopes were kept (no scope) counts as the workspace's.
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET paused_since = NULL, pause_reason = NULL, pause_scope = NULL, failing_since = NULL, failure_reason = NULL
            WHERE platform = @platform AND workspace = @workspace AND paused_since IS NOT NULL
              AND (pause_scope IS NULL OR pause_scope <> 'channel')
            """, new { platform, workspace }, cancellationToken: cancellationToken));
    }
}
