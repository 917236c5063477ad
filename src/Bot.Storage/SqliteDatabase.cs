using Microsoft.Data.Sqlite;

namespace Bot.Storage;

/// <summary>Opens connections to the one SQLite file; pooling makes each open cheap.</summary>
public sealed class SqliteDatabase
{
    /// <param name="readOnly">Open without write access (inspection tools; the bot itself always writes).</param>
    public SqliteDatabase(string path, bool readOnly = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    private long _localChanges;

    /// <summary>Bumped by this process's writers on commit, so its own changes are seen at once.</summary>
    public long LocalChanges => Interlocked.Read(ref _localChanges);

    public void NotifyChanged() => Interlocked.Increment(ref _localChanges);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
