using Bot.Core.Installations;
using Dapper;

namespace Bot.Storage.Installations;

/// <summary>Installations with their protected tokens; the SQL never sees a token in the clear.</summary>
public sealed class SqlInstallationStore(IStoreConnections database) : IInstallationStore
{
    public async Task SaveAsync(Installation installation, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO installations (platform, workspace, team_id, enterprise_id, is_enterprise, bot_user_id, token, installed_at)
            VALUES (@Platform, @Workspace, @TeamId, @EnterpriseId, @IsEnterprise, @BotUserId, @ProtectedToken, @InstalledAt)
            ON CONFLICT (platform, workspace) DO UPDATE SET
                team_id = excluded.team_id, enterprise_id = excluded.enterprise_id, is_enterprise = excluded.is_enterprise,
                bot_user_id = excluded.bot_user_id, token = excluded.token, installed_at = excluded.installed_at
            """, new
            {
                installation.Platform,
                installation.Workspace,
                installation.TeamId,
                installation.EnterpriseId,
                IsEnterprise = installation.IsEnterpriseInstall ? 1 : 0,
                installation.BotUserId,
                installation.ProtectedToken,
                installation.InstalledAt,
            }, cancellationToken: cancellationToken));
    }

    private const string SelectInstallations = """
        SELECT platform AS Platform, workspace AS Workspace, team_id AS TeamId, enterprise_id AS EnterpriseId, is_enterprise AS IsEnterprise,
               bot_user_id AS BotUserId, token AS Token, installed_at AS InstalledAt
        FROM installations
        """;

    public async Task<Installation?> FindAsync(string platform, string workspace, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectInstallations + " WHERE platform = @platform AND workspace = @workspace", new { platform, workspace }, cancellationToken: cancellationToken));
        return row?.ToInstallation();
    }

    public async Task<IReadOnlyList<Installation>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            SelectInstallations + " ORDER BY platform, workspace", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToInstallation()).ToList();
    }

    public async Task<bool> RemoveAsync(string platform, string workspace, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM installations WHERE platform = @platform AND workspace = @workspace",
            new { platform, workspace }, cancellationToken: cancellationToken)) > 0;
    }

    private sealed class Row
    {
        public string Platform { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string? TeamId { get; set; }
        public string? EnterpriseId { get; set; }
        public long IsEnterprise { get; set; }
        public string? BotUserId { get; set; }
        public string Token { get; set; } = "";
        public DateTimeOffset InstalledAt { get; set; }

        public Installation ToInstallation() => new()
        {
            Platform = Platform,
            Workspace = Workspace,
            TeamId = TeamId,
            EnterpriseId = EnterpriseId,
            IsEnterpriseInstall = IsEnterprise != 0,
            BotUserId = BotUserId,
            ProtectedToken = Token,
            InstalledAt = InstalledAt,
        };
    }
}
