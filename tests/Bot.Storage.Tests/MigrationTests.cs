using Bot.Storage;
using Bot.Storage.Migrations;
using Bot.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Storage.Tests;

public class MigrationTests
{
    [Fact]
    public async Task A_new_database_gets_every_migration_WAL_and_foreign_keys()
    {
        await using var store = await TestStore.CreateAsync();
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);

        Assert.Equal(Migrator.LatestVersion, await connection.ExecuteScalarAsync<int>("PRAGMA user_version"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task Every_connection_waits_for_a_busy_writer_with_sqlites_handler_and_commits_without_fsync()
    {
        await using var store = await TestStore.CreateAsync();
        for (var i = 0; i < 3; i++)
        {
            // Pooled or new, each open gets the same settings (both are per connection in SQLite).
            await using var connection = await store.Database.OpenAsync(CancellationToken.None);
            Assert.Equal(30_000, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout"));
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous"));
        }
    }

    [Fact]
    public async Task Two_writers_at_once_both_commit()
    {
        await using var store = await TestStore.CreateAsync();
        await using var first = await store.Database.OpenAsync(CancellationToken.None);
        await using var second = await store.Database.OpenAsync(CancellationToken.None);
        await first.ExecuteAsync("CREATE TABLE t (n INTEGER)");
        await using var transaction = await first.BeginTransactionAsync();
        await first.ExecuteAsync("INSERT INTO t VALUES (1)", transaction: transaction);

        var waiting = Task.Run(() => second.ExecuteAsync("INSERT INTO t VALUES (2)"));
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await transaction.CommitAsync();

        Assert.Equal(1, await waiting);
        Assert.Equal(2, await first.ExecuteScalarAsync<int>("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_and_keeps_the_data()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);

        var version = await store.Migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrator.LatestVersion, version);
        Assert.Equal(12, (await store.Store.GetStatsAsync(CancellationToken.None)).Incidents);
    }

    [Fact]
    public async Task The_folder_of_the_database_is_created_when_missing()
    {
        await using var store = await TestStore.CreateAsync();
        var nested = new SqliteDatabase(Path.Combine(store.Folder, "a", "b", "bot.db"));

        await new Migrator(nested, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

        Assert.True(File.Exists(nested.Path));
    }

    [Fact]
    public async Task A_corrupt_file_is_refused_with_a_message_naming_the_path()
    {
        await using var store = await TestStore.CreateAsync();
        var path = Path.Combine(store.Folder, "corrupt.db");
        await File.WriteAllTextAsync(path, new string('x', 8192));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            new Migrator(new SqliteDatabase(path), NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_file_is_refused_with_a_message_naming_the_path()
    {
        await using var store = await TestStore.CreateAsync();
        var path = Path.Combine(store.Folder, "readonly.db");
        // A database made elsewhere and then shipped read-only: not yet in WAL mode, so opening it must write.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("CREATE TABLE t (x); PRAGMA journal_mode = DELETE;");
        }

        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            // Root ignores file modes; the connection string's read-only mode gives the same failure everywhere.
            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
                new Migrator(new SqliteDatabase(path, readOnly: true), NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        await using var store = await TestStore.CreateAsync();
        await using (var connection = await store.Database.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync($"PRAGMA user_version = {Migrator.LatestVersion + 1}");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Migrator.MigrateAsync(CancellationToken.None));

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_database_at_an_older_version_is_brought_up_to_date()
    {
        await using var store = await TestStore.CreateAsync();
        var path = Path.Combine(store.Folder, "old.db");
        // Version 0: a file that predates the schema, with an unrelated table that must survive.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('kept');");
        }

        var database = new SqliteDatabase(path);
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);

        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal("kept", await check.ExecuteScalarAsync<string>("SELECT text FROM notes"));
        Assert.Equal(Migrator.LatestVersion, await check.ExecuteScalarAsync<int>("PRAGMA user_version"));
    }

    [Fact]
    public async Task A_migration_numbered_below_ones_already_applied_still_runs()
    {
        await using var store = await TestStore.CreateAsync();
        var path = Path.Combine(store.Folder, "gap.db");
        // Branches merged out of order: the database had every script but 0002 when 0002 arrived.
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            foreach (var (version, name, sql) in Migrator.Scripts.Where(s => s.Version != 2))
                await connection.ExecuteAsync(sql + "; INSERT INTO schema_migrations VALUES (@version, @name);", new { version, name });
            await connection.ExecuteAsync($"PRAGMA user_version = {Migrator.LatestVersion}");
        }

        var database = new SqliteDatabase(path);
        Assert.Equal(Migrator.LatestVersion, await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None));

        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(0, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM answers"));
        Assert.Equal(Migrator.Scripts.Select(s => s.Version), await check.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task A_database_with_a_migration_this_build_lacks_is_refused()
    {
        await using var store = await TestStore.CreateAsync();
        // Applied by a build with a script this one lacks; its user_version alone would not tell.
        await using (var connection = await store.Database.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, 'from_another_branch')", new { version = Migrator.LatestVersion + 1000 });

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Migrator.MigrateAsync(CancellationToken.None));

        Assert.Contains("does not know", error.Message, StringComparison.Ordinal);
    }
}
