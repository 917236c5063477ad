using Bot.Storage.Migrations;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// Applies the PostgreSQL scripts (Migrations/Postgres/0001_name.sql, …) the database has not had, each in
/// its own transaction, while holding a session advisory lock: instances starting together wait for the
/// first one, then find nothing left to do.
/// </summary>
public sealed class PostgresMigrator(PostgresDatabase database, ILogger<PostgresMigrator> logger) : ISchemaMigrator
{
    /// <summary>Any fixed number works, as long as nothing else in the database takes the same lock.</summary>
    internal const long LockKey = 0x626F_745F_6D69_67; // "bot_mig"

    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = MigrationScripts.Load("Postgres");

    public static int LatestVersion => Scripts[^1].Version;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockKey)", new { LockKey }, cancellationToken: cancellationToken));
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                    cancellationToken: cancellationToken));
                var applied = (await connection.QueryAsync<int>(new CommandDefinition(
                    "SELECT version FROM schema_migrations", cancellationToken: cancellationToken))).ToHashSet();
                var unknown = applied.Where(v => Scripts.All(s => s.Version != v)).Order().ToList();
                if (unknown.Count > 0)
                    throw new StoreUnavailableException(
                        $"The {database.Description} has migration {string.Join(", ", unknown)} that this build does not know. Use a newer build.");

                foreach (var (version, name, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, transaction, cancellationToken: cancellationToken));
                    await transaction.CommitAsync(cancellationToken);
                    applied.Add(version);
                    logger.LogInformation("Applied migration {Version} {Name} to the {Database}", version, name, database.Description);
                }

                return applied.Max();
            }
            finally
            {
                // Closing the connection would release it too, but a pooled connection is not closed.
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@LockKey)", new { LockKey }, cancellationToken: CancellationToken.None));
            }
        }
        catch (NpgsqlException ex)
        {
            throw new StoreUnavailableException($"The {database.Description} cannot be used: {ex.Message}", ex);
        }
    }
}
