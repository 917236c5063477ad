using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Bot.Storage.Migrations;

/// <summary>
/// Applies the numbered SQL scripts embedded in this assembly (0001_name.sql, …) that the database
/// has not seen yet, each in its own transaction. <c>schema_migrations</c> lists the scripts applied, so
/// a script merged after a higher-numbered one still runs; <c>PRAGMA user_version</c> keeps the highest.
/// </summary>
public sealed class Migrator(SqliteDatabase database, ILogger<Migrator> logger) : ISchemaMigrator
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts { get; } = MigrationScripts.Load("Sqlite");

    public static int LatestVersion => Scripts[^1].Version;

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(database.Path)!;
        try
        {
            OwnerOnlyFiles.CreateFolder(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException($"Cannot create the database folder {directory}: {ex.Message}", ex);
        }

        if (!database.ReadOnly)
        {
            try
            {
                OwnerOnlyFiles.PrepareDatabaseFile(database.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A file someone else owns (a shared volume) still works; SQLite reports one it cannot open.
                logger.LogWarning("Could not make {Path} readable by its owner only: {Reason}", database.Path, ex.Message);
            }
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            // WAL lets readers go on while the importer or a job writes; the setting is stored in the file.
            var mode = await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new StoreUnavailableException(
                    $"The database at {database.Path} could not switch to WAL mode (got '{mode}'): it is read-only, or on a file system without WAL support.");
            var current = await connection.ExecuteScalarAsync<int>("PRAGMA user_version;");
            if (current > LatestVersion)
                throw new StoreUnavailableException(
                    $"The database at {database.Path} is at schema version {current}, newer than this build knows ({LatestVersion}). Use a newer build.");

            // Off while migrating, as SQLite's procedure for rebuilding a table requires: dropping the old
            // table must not delete or cascade into the rows that refer to it. Each script is checked instead.
            await connection.ExecuteAsync("PRAGMA foreign_keys = OFF;");
            try
            {
                var applied = await AppliedAsync(connection, current, cancellationToken);
                foreach (var (version, name, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    await connection.ExecuteAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken));
                    var dangling = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT count(*) FROM pragma_foreign_key_check", transaction: transaction, cancellationToken: cancellationToken));
                    if (dangling > 0)
                        throw new StoreUnavailableException(
                            $"Migration {version} {name} would leave {dangling} rows in {database.Path} pointing at rows that do not exist; nothing was changed.");
                    await connection.ExecuteAsync(new CommandDefinition(
                        "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, transaction, cancellationToken: cancellationToken));
                    current = Math.Max(current, version);
                    // PRAGMA takes no parameters; the version is an integer from our own resource names.
                    await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {current};", transaction: transaction, cancellationToken: cancellationToken));
                    await transaction.CommitAsync(cancellationToken);
                    logger.LogInformation("Applied migration {Version} {Name} to {Path}", version, name, database.Path);
                }
            }
            finally
            {
                await connection.ExecuteAsync("PRAGMA foreign_keys = ON;");
            }

            return current;
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException(Describe(ex), ex);
        }
    }

    /// <summary>
    /// The scripts this database has had. One that predates the list had every script up to its
    /// user_version, which is what the list starts from.
    /// </summary>
    private async Task<HashSet<int>> AppliedAsync(SqliteConnection connection, int userVersion, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'", transaction: transaction, cancellationToken: cancellationToken)) > 0;
        if (!exists)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)", transaction: transaction, cancellationToken: cancellationToken));
            foreach (var (version, name, _) in Scripts.Where(s => s.Version <= userVersion))
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_migrations (version, name) VALUES (@version, @name)", new { version, name }, transaction, cancellationToken: cancellationToken));
        }

        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();
        await transaction.CommitAsync(cancellationToken);
        var unknown = applied.Where(v => Scripts.All(s => s.Version != v)).Order().ToList();
        if (unknown.Count > 0)
            throw new StoreUnavailableException(
                $"The database at {database.Path} has migration {string.Join(", ", unknown)} that this build does not know. Use a newer build.");
        return applied;
    }

    private string Describe(SqliteException ex) => ex.SqliteErrorCode switch
    {
        8 => $"The database at {database.Path} is read-only: make the file and its folder writable for this user. ({ex.Message})",
        11 or 26 => $"The database at {database.Path} is corrupt or not a SQLite file: move it away (a fresh one is created and seeded) or restore a backup. ({ex.Message})",
        14 => $"The database at {database.Path} cannot be opened: check the path and permissions. ({ex.Message})",
        _ => $"The database at {database.Path} cannot be used: {ex.Message}",
    };
}
