using Bot.Testing;

namespace Bot.Discord.Tests.Instances;

/// <summary>One throw-away PostgreSQL cluster for the tests of several instances sharing a store.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedStoreCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Instances on one PostgreSQL";
}
