using Bot.Core.Installations;
using Dapper;

namespace Bot.Storage.Installations;

/// <summary>Workspace-to-org pairings in installation_members; a workspace belongs to one org at a time.</summary>
public sealed class SqlInstallationMembers(IStoreConnections database, TimeProvider time) : IInstallationMembers
{
    public async Task RememberAsync(string platform, string workspace, string enterprise, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO installation_members (platform, workspace, enterprise_id, seen_at) VALUES (@platform, @workspace, @enterprise, @now)
            ON CONFLICT (platform, workspace) DO UPDATE SET enterprise_id = excluded.enterprise_id, seen_at = excluded.seen_at
            """, new { platform, workspace, enterprise, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    public async Task<string?> EnterpriseOfAsync(string platform, string workspace, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT enterprise_id FROM installation_members WHERE platform = @platform AND workspace = @workspace",
            new { platform, workspace }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<string>> WorkspacesOfAsync(string platform, string enterprise, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT workspace FROM installation_members WHERE platform = @platform AND enterprise_id = @enterprise ORDER BY workspace",
            new { platform, enterprise }, cancellationToken: cancellationToken))).ToList();
    }
}
