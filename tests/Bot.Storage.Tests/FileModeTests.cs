using System.Runtime.Versioning;
using Bot.Storage.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Storage.Tests;

/// <summary>The store holds the team's incident notes and channel ids: nobody but its owner reads the files.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class FileModeTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_fresh_store_and_the_folders_made_for_it_are_for_the_owner_only()
    {
        var database = new SqliteDatabase(Path.Combine(_root, "data", "bot.db"));

        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        // The WAL and shared-memory files exist while a connection is open and has written.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE t (x); INSERT INTO t VALUES (1);");

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(_root));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.Combine(_root, "data")));
        AssertOwnerOnly(database.Path);
    }

    [Fact]
    public async Task A_folder_the_user_made_keeps_its_mode_but_an_existing_database_is_restricted()
    {
        const UnixFileMode userChosen = OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        Directory.CreateDirectory(_root, userChosen);
        var path = Path.Combine(_root, "bot.db");
        await using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await old.OpenAsync();
            await old.ExecuteAsync("CREATE TABLE notes (text TEXT)");
        }

        File.SetUnixFileMode(path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        // Left behind by a crash under the old, readable mode.
        await File.WriteAllBytesAsync(path + "-wal", []);
        File.SetUnixFileMode(path + "-wal", OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var database = new SqliteDatabase(path);

        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO notes VALUES ('kept')");

        Assert.Equal(userChosen, File.GetUnixFileMode(_root));
        AssertOwnerOnly(path);
    }

    [Fact]
    public async Task A_file_made_for_a_copy_of_the_store_is_for_the_owner_only_and_sqlite_can_fill_it()
    {
        var backup = Path.Combine(_root, "backups", "bot-copy.db");
        OwnerOnlyFiles.CreateFolder(Path.GetDirectoryName(backup)!);
        OwnerOnlyFiles.PrepareDatabaseFile(backup);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(backup));

        // VACUUM INTO accepts an empty file and keeps its mode.
        await using (var source = new SqliteConnection($"Data Source={Path.Combine(_root, "source.db")};Pooling=False"))
        {
            await source.OpenAsync();
            await source.ExecuteAsync("CREATE TABLE t (x); INSERT INTO t VALUES (42);");
            await source.ExecuteAsync("VACUUM INTO @backup", new { backup });
        }

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(backup)!));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(backup));
        await using var copy = new SqliteConnection($"Data Source={backup};Pooling=False;Mode=ReadOnly");
        await copy.OpenAsync();
        Assert.Equal(42, await copy.ExecuteScalarAsync<int>("SELECT x FROM t"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing dispose would hide the real test result.
        }
    }

    private static void AssertOwnerOnly(string databasePath)
    {
        foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
        {
            Assert.True(File.Exists(file), $"{file} is missing");
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(file));
        }
    }
}
