using Bot.Core.Answers;
using Bot.Core.Briefings;
using Bot.Core.Incidents;
using Bot.Storage.Answers;
using Bot.Storage.Briefings;
using Bot.Storage.Incidents;
using Bot.Storage.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>SQLite storage for the core's ports; paths come from <c>Storage:Path</c> and <c>Seeds:Path</c>.</summary>
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
        services.AddSingleton(sp => new SeedLocation(
            sp.GetRequiredService<IOptions<SeedOptions>>().Value.Path,
            sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory()));
        services.AddSingleton<Migrator>();
        services.AddSingleton<StoreInitializer>();
        services.AddSingleton<IIncidentStore, SqliteIncidentStore>();
        services.AddSingleton<SqliteIncidentWriterFactory>();
        services.AddSingleton<IIncidentWriterFactory>(sp => sp.GetRequiredService<SqliteIncidentWriterFactory>());
        services.AddSingleton<Bot.Core.Incidents.Editing.IIncidentEditStore, SqliteIncidentEditStore>();
        services.AddSingleton<Bot.Core.Incidents.Editing.IIncidentDocuments, SqliteIncidentDocuments>();
        services.AddSingleton<SqliteBackup>();
        services.AddSingleton<Bot.Core.Chat.IContentVersion, SqliteContentVersion>();
        services.AddSingleton<IPassageIndex, SqlitePassageIndex>();
        services.AddSingleton<IPassageVectorStore, SqlitePassageVectorStore>();
        services.AddSingleton<IAnswerLog, SqliteAnswerLog>();
        services.AddSingleton<ISubscriptionStore, SqliteSubscriptionStore>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        services.AddSingleton<Bot.Core.Chat.IInboundEventLog, Chat.SqliteInboundEventLog>();
        services.AddSingleton<Bot.Core.Installations.IInstallationStore, Installations.SqliteInstallationStore>();
        services.AddSingleton<Bot.Core.Installations.IWorkspacePauses, Installations.SqliteWorkspacePauses>();
        services.AddSingleton<Bot.Core.Installations.IKeyRingStore, Installations.SqliteKeyRing>();
        return services;
    }
}
