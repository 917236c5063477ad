using Bot.Core.Chat;
using Microsoft.Data.Sqlite;

namespace Bot.Storage;

/// <summary>
/// The content version: this process's own commits (immediately) combined with SQLite's
/// data_version on a connection of its own, which moves when any other connection or process
/// commits. The pragma is read at most once a second, so the check costs nothing per request.
/// </summary>
public sealed class SqliteContentVersion(SqliteDatabase database, TimeProvider time) : IContentVersion, IDisposable
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private SqliteConnection? _watcher;
    private long _dataVersion;
    private long _checkedAt = long.MinValue;

    public long Current
    {
        get
        {
            var now = time.GetTimestamp();
            if ((_checkedAt == long.MinValue || time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) >= CheckEvery) && _gate.TryEnter())
            {
                try
                {
                    _watcher ??= Open();
                    using var command = _watcher.CreateCommand();
                    command.CommandText = "PRAGMA data_version";
                    Volatile.Write(ref _dataVersion, (long)command.ExecuteScalar()!);
                    Volatile.Write(ref _checkedAt, now);
                }
                catch (SqliteException)
                {
                    // Unreadable now: keep the last version; the next check tries again.
                }
                finally
                {
                    _gate.Exit();
                }
            }

            return (Volatile.Read(ref _dataVersion) << 32) ^ database.LocalChanges;
        }
    }

    private SqliteConnection Open()
    {
        // Outside the pool: data_version only compares commits seen by one and the same connection.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Dispose() => _watcher?.Dispose();
}
