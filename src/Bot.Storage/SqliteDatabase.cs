using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Bot.Storage;

/// <summary>Opens connections to the one SQLite file; pooling makes each open cheap.</summary>
public sealed class SqliteDatabase : IStoreConnections
{
    static SqliteDatabase() => DateHandler.Register();

    /// <param name="readOnly">Open without write access (inspection tools; the bot itself always writes).</param>
    public SqliteDatabase(string path, bool readOnly = false)
    {
        Path = System.IO.Path.GetFullPath(path);
        ReadOnly = readOnly;
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

    public StorageProvider Provider => StorageProvider.Sqlite;

    public bool ReadOnly { get; }

    public string ConnectionString { get; }

    private const int BusyTimeoutMilliseconds = 30_000;

    private long _localChanges;

    /// <summary>Bumped by this process's writers on commit, so its own changes are seen at once.</summary>
    public long LocalChanges => Interlocked.Read(ref _localChanges);

    public void NotifyChanged() => Interlocked.Increment(ref _localChanges);

    async Task<DbConnection> IStoreConnections.OpenAsync(Durability durability, CancellationToken cancellationToken) =>
        await OpenAsync(durability, cancellationToken);

    public Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync(Durability.Normal, cancellationToken);

    public async Task<SqliteConnection> OpenAsync(Durability durability, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Without SQLite's own busy handler, a writer that finds another writer mid-commit makes
            // Microsoft.Data.Sqlite sleep a fixed 150 ms before retrying; SQLite's handler retries
            // within a millisecond or two. A plain C call, cheap enough for every open.
            SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, BusyTimeoutMilliseconds);
            // The setting lives on the connection and the pool hands connections back as they were left,
            // so every open sets it, either way, rather than inherit the last user's choice.
            var rc = SQLitePCL.raw.sqlite3_exec(connection.Handle,
                durability == Durability.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
