using Bot.Core.Chat;
using Dapper;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// The content version: this process's own commits (immediately) combined with the content_version row,
/// which a trigger moves whenever any instance changes an incident. The row is read at most once a second,
/// so the check costs nothing per request and another instance's edit is seen within a second.
/// </summary>
public sealed class PostgresContentVersion(PostgresDatabase database, TimeProvider time) : IContentVersion
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private long _stored;
    private long _checkedAt = long.MinValue;

    public long Current
    {
        get
        {
            var now = time.GetTimestamp();
            if ((Volatile.Read(ref _checkedAt) == long.MinValue || time.GetElapsedTime(Volatile.Read(ref _checkedAt), now) >= CheckEvery) && _gate.TryEnter())
            {
                try
                {
                    // A synchronous read: the interface is a property, and this runs once a second at most.
                    using var connection = database.OpenConnection();
                    Volatile.Write(ref _stored, connection.ExecuteScalar<long>("SELECT version FROM content_version WHERE id = 1"));
                    Volatile.Write(ref _checkedAt, now);
                }
                catch (NpgsqlException)
                {
                    // Unreachable now: keep the last version; the next check tries again.
                }
                finally
                {
                    _gate.Exit();
                }
            }

            return (Volatile.Read(ref _stored) << 32) ^ database.LocalChanges;
        }
    }
}
