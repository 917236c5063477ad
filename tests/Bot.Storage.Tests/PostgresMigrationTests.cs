using Bot.Storage.Postgres;
using Bot.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bot.Storage.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Instances_starting_together_apply_each_migration_once()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        var databases = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(connectionString)).ToList();
        try
        {
            var versions = await Task.WhenAll(databases.Select(d => new PostgresMigrator(d, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None)));

            Assert.All(versions, v => Assert.Equal(PostgresMigrator.LatestVersion, v));
            await using var connection = await databases[0].OpenAsync(CancellationToken.None);
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
            Assert.Equal(PostgresMigrator.Scripts.Select(s => s.Version), applied);
            // The lock is a session lock: nobody may still hold it once the migrators are done.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"));
        }
        finally
        {
            foreach (var database in databases) await database.DisposeAsync();
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused_with_a_message_naming_it_without_the_password()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        await using (var database = new PostgresDatabase(new NpgsqlConnectionStringBuilder(connectionString) { Password = "s3cret-word" }.ConnectionString))
        {
            var migrator = new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance);
            await migrator.MigrateAsync(CancellationToken.None);
            await using (var connection = await database.OpenAsync(CancellationToken.None))
                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from_the_future')");

            var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => migrator.MigrateAsync(CancellationToken.None));

            Assert.Contains("9999", refused.Message, StringComparison.Ordinal);
            Assert.Contains(new NpgsqlConnectionStringBuilder(connectionString).Database!, refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret-word", refused.Message, StringComparison.Ordinal);
        }

        await fixture.Server.DropDatabaseAsync(connectionString);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_as_an_unavailable_store()
    {
        await using var database = new PostgresDatabase("Host=127.0.0.1;Port=1;Username=bot;Password=hidden-pw;Database=bot;Timeout=2");

        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None));

        Assert.Contains("127.0.0.1:1", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-pw", refused.Message, StringComparison.Ordinal);
    }
}
