using Bot.Testing;

namespace Bot.Storage.Tests;

/// <summary>
/// A test class that runs on both providers: it is abstract, and nested <c>OnSqlite</c> and <c>OnPostgres</c>
/// classes run its tests, each store made through <see cref="NewStoreAsync"/>.
/// </summary>
public abstract class StoreSuite(PostgresServer? postgres)
{
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, migrated store of this suite's provider (a new database on PostgreSQL).</summary>
    protected Task<TestStore> NewStoreAsync(bool seeded = false) => TestStore.CreateAsync(seeded, postgres);
}

/// <summary>One throw-away PostgreSQL cluster for the whole test run, shared by every class in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
