using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Bot.Storage.Incidents;
using Bot.Storage.Postgres;
using Bot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Tests;

/// <summary><c>Storage:Provider</c> picks every store; a PostgreSQL without a connection string stops start-up.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderSelectionTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Postgres_as_provider_gives_postgres_stores_that_migrate_and_seed_at_start()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync();
        try
        {
            await using (var services = Build(new() { ["Storage:Provider"] = "Postgres", ["Storage:ConnectionString"] = connectionString, ["Seeds:Path"] = RepoPaths.Seeds }))
            {
                Assert.IsType<PostgresIncidentStore>(services.GetRequiredService<IIncidentStore>());
                Assert.IsType<PostgresDatabase>(services.GetRequiredService<IStoreConnections>());
                Assert.IsType<PostgresContentVersion>(services.GetRequiredService<IContentVersion>());
                await services.GetRequiredService<StoreInitializer>().InitializeAsync(CancellationToken.None);

                Assert.NotNull(await services.GetRequiredService<IIncidentStore>().GetAsync("balloon", CancellationToken.None));
                Assert.Empty(await services.GetRequiredService<IDeliveryStore>().RecentAsync(null, 10, CancellationToken.None));
            }
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Sqlite_stays_the_default()
    {
        var folder = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"));
        await using var services = Build(new() { ["Storage:Path"] = Path.Combine(folder, "bot.db") });

        Assert.IsType<SqliteIncidentStore>(services.GetRequiredService<IIncidentStore>());
        Assert.IsType<SqliteDatabase>(services.GetRequiredService<IStoreConnections>());
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_is_refused_naming_the_setting()
    {
        await using var services = Build(new() { ["Storage:Provider"] = "Postgres" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("Storage:ConnectionString", refused.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IncidentImporter>();
        services.AddBotStorage();
        return services.BuildServiceProvider();
    }
}
