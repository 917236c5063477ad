using System.Data.Common;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// The PostgreSQL server, through one pooled Npgsql data source. Every commit is durable here
/// (synchronous_commit is the server's business), so <see cref="Durability"/> changes nothing.
/// </summary>
public sealed class PostgresDatabase : IStoreConnections, IAsyncDisposable, IDisposable
{
    static PostgresDatabase() => DateHandler.Register();

    private readonly NpgsqlDataSource _dataSource;
    private long _localChanges;

    public PostgresDatabase(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Shown in pg_stat_activity, so an operator can tell the bot's connections from others.
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "bot";
        ConnectionString = builder.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        var safe = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null };
        Description = $"PostgreSQL database {safe.Database ?? "(default)"} on {safe.Host}:{safe.Port}";
    }

    public string ConnectionString { get; }

    public StorageProvider Provider => StorageProvider.Postgres;

    /// <summary>Server and database without the password, for messages and logs.</summary>
    public string Description { get; }

    public long LocalChanges => Interlocked.Read(ref _localChanges);

    public void NotifyChanged() => Interlocked.Increment(ref _localChanges);

    public async Task<DbConnection> OpenAsync(Durability durability, CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken);

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>For the few callers that cannot await (a property read once a second).</summary>
    public NpgsqlConnection OpenConnection() => _dataSource.OpenConnection();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
