using Bot.Core.Answers;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Storage.Answers;
using Bot.Storage.Briefings;
using Bot.Storage.Chat;
using Bot.Storage.Incidents;
using Bot.Storage.Migrations;
using Bot.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Storage for the core's ports: SQLite (<c>Storage:Path</c>) or PostgreSQL (<c>Storage:ConnectionString</c>),
    /// chosen by <c>Storage:Provider</c> when the first store is resolved; seeds from <c>Seeds:Path</c>.
    /// </summary>
    public static IServiceCollection AddBotStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<StorageOptions>>().Value.Path;
            var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();
            return new SqliteDatabase(Path.Combine(root, path));
        });
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString!));
        services.AddSingleton(sp => new SeedLocation(
            sp.GetRequiredService<IOptions<SeedOptions>>().Value.Path,
            sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory()));
        services.AddSingleton<StoreInitializer>();
        services.AddSingleton<SqliteBackup>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<PostgresMigrator>();
        services.AddSingleton<SqliteIncidentWriterFactory>();
        services.AddSingleton<PostgresIncidentWriterFactory>();

        // The connections of whichever provider is configured, for the stores whose SQL both dialects share.
        services.AddByProvider<IStoreConnections, SqliteDatabase, PostgresDatabase>();
        services.AddByProvider<ISchemaMigrator, Migrator, PostgresMigrator>();
        services.AddByProvider<IEditingWriterFactory, SqliteIncidentWriterFactory, PostgresIncidentWriterFactory>();
        services.AddByProvider<IIncidentWriterFactory, SqliteIncidentWriterFactory, PostgresIncidentWriterFactory>();
        services.AddByProvider<IIncidentStore, SqliteIncidentStore, PostgresIncidentStore>();
        services.AddByProvider<IPassageIndex, SqlitePassageIndex, PostgresPassageIndex>();
        services.AddByProvider<IPassageVectorStore, SqlitePassageVectorStore, PostgresPassageVectorStore>();
        services.AddByProvider<IContentVersion, SqliteContentVersion, PostgresContentVersion>();

        services.AddSingleton<IIncidentEditStore, SqlIncidentEditStore>();
        services.AddSingleton<IIncidentDocuments, SqlIncidentDocuments>();
        services.AddSingleton<IAnswerLog, SqlAnswerLog>();
        services.AddSingleton<IConversationStore, SqlConversationStore>();
        services.AddSingleton<ISubscriptionStore, SqlSubscriptionStore>();
        services.AddSingleton<IDeliveryStore, SqlDeliveryStore>();
        services.AddSingleton<IInboundEventLog, SqlInboundEventLog>();
        services.AddSingleton<Bot.Core.Feeds.IFeedStore, Feeds.SqlFeedStore>();
        services.AddSingleton<Bot.Core.Installations.IInstallationStore, Installations.SqlInstallationStore>();
        services.AddSingleton<Bot.Core.Installations.IWorkspacePauses, Installations.SqlWorkspacePauses>();
        services.AddSingleton<Bot.Core.Installations.IKeyRingStore, Installations.SqlKeyRing>();
        services.AddSingleton<Bot.Core.Limits.ISharedRateBudget, Limits.SqlRateBudget>();
        services.AddSingleton<Bot.Core.Installations.IInstallationMembers, Installations.SqlInstallationMembers>();
        return services;
    }

    /// <summary>The provider in use, for the few callers that must act differently (backup).</summary>
    public static StorageProvider StorageProviderOf(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider;

    private static void AddByProvider<TService, TSqlite, TPostgres>(this IServiceCollection services)
        where TService : class
        where TSqlite : class, TService
        where TPostgres : class, TService
    {
        services.TryAddSingleton<TSqlite>();
        services.TryAddSingleton<TPostgres>();
        services.AddSingleton<TService>(sp => sp.StorageProviderOf() == StorageProvider.Postgres
            ? sp.GetRequiredService<TPostgres>()
            : sp.GetRequiredService<TSqlite>());
    }
}
