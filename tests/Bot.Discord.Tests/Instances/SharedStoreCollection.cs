using Bot.Testing;

namespace Bot.Discord.Tests.Instances;

/// <summary>The tests of several instances sharing a store, on one throw-away PostgreSQL cluster.</summary>
[CollectionDefinition(Name)]
public sealed class SharedStoreCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Instances on one PostgreSQL";
}
