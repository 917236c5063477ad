using System.Data.Common;

namespace Bot.Storage;

/// <summary>
/// Where the stores whose SQL reads the same on SQLite and PostgreSQL get their connections; each
/// provider's database class implements it, so such a store is written once.
/// </summary>
public interface IStoreConnections
{
    /// <summary>Which dialect the connections speak, for the few statements that must differ.</summary>
    StorageProvider Provider { get; }

    /// <summary>An open connection; the caller disposes it (back to the pool).</summary>
    Task<DbConnection> OpenAsync(Durability durability, CancellationToken cancellationToken);

    /// <summary>Bumped by this process's writers on commit, so its own changes are seen at once.</summary>
    long LocalChanges { get; }

    void NotifyChanged();
}

public static class StoreConnectionsExtensions
{
    /// <summary>A connection for work that is redone anyway (reads, logs): <see cref="Durability.Normal"/>.</summary>
    public static Task<System.Data.Common.DbConnection> OpenAsync(this IStoreConnections connections, CancellationToken cancellationToken) =>
        connections.OpenAsync(Durability.Normal, cancellationToken);
}
