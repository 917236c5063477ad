using Microsoft.Data.Sqlite;

namespace Bot.Storage;

/// <summary>
/// A consistent copy of the live database with SQLite's online backup: readers and writers of the
/// running bot go on meanwhile (WAL), and the copy is whole, unlike a file copy of a WAL database.
/// </summary>
public sealed class SqliteBackup(SqliteDatabase database)
{
    public async Task BackupAsync(string path, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(path);
        if (string.Equals(target, database.Path, StringComparison.Ordinal))
            throw new IOException("The backup must go to another file than the database itself.");
        if (File.Exists(target)) throw new IOException($"{target} already exists: choose a new file, nothing was overwritten.");
        if (Path.GetDirectoryName(target) is { } folder) OwnerOnlyFiles.CreateFolder(folder);
        OwnerOnlyFiles.PrepareDatabaseFile(target);

        await using var source = await database.OpenAsync(cancellationToken);
        await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
        await copy.OpenAsync(cancellationToken);
        source.BackupDatabase(copy);
    }
}
