using Xunit;

namespace Bot.Testing;

/// <summary>
/// One <see cref="PostgresServer"/> (the throw-away postgresql-15 cluster, or <c>BOT_TEST_POSTGRES</c>) for every test
/// that shares the fixture: a test project names it in a collection definition (<c>ICollectionFixture</c>) or a class
/// fixture, and each test makes its own database on it.
/// </summary>
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
