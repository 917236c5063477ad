using Bot.Core.Briefings;
using Bot.Hosting;
using Bot.Storage;
using Quartz;

namespace Bot.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz's name for the bot's scheduler: every instance on one PostgreSQL shares it, and with it the triggers.</summary>
    public const string SchedulerName = "bot";

    /// <summary>
    /// Quartz as a hosted service: a cron trigger per subscription, and the outbox retry pass. On SQLite the
    /// triggers live in memory; on PostgreSQL they live in the qrtz_ tables (migration 0014) and the instances
    /// form a Quartz cluster, so each trigger fires on one of them and a dead one's triggers move to the others.
    /// </summary>
    public static IServiceCollection AddBotJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();

        // Quartz is configured here, before there is a container, so the values are read now; the options
        // above report a bad value by name when the host starts, and until then the defaults stand in.
        var scheduler = ReadOrDefault(configuration);
        var storage = configuration.GetSection(StorageOptions.Section);
        var clustered = Enum.TryParse<StorageProvider>(storage[nameof(StorageOptions.Provider)], ignoreCase: true, out var provider)
            && provider == StorageProvider.Postgres
            && !string.IsNullOrWhiteSpace(storage[nameof(StorageOptions.ConnectionString)]);

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(options =>
            {
                options.InstanceName = SchedulerName;
                if (string.Equals(scheduler.InstanceId, SchedulerOptions.AutoInstanceId, StringComparison.OrdinalIgnoreCase))
                    options.GenerateInstanceId = true;
                else
                    options.InstanceId = scheduler.InstanceId;
                // 500 subscriptions due the same minute: take them from the store a batch at a time, not one
                // acquisition (and one round of the cluster lock) per trigger.
                options.MaxBatchSize = scheduler.MaxConcurrency;
            });
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = scheduler.MaxConcurrency);
            if (clustered)
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(storage[nameof(StorageOptions.ConnectionString)]!);
                    store.UseClustering(cluster =>
                    {
                        cluster.CheckinInterval = scheduler.CheckinInterval;
                        cluster.CheckinMisfireThreshold = scheduler.CheckinMisfireThreshold;
                    });
                    store.ConfigureStore(options =>
                    {
                        options.TablePrefix = "qrtz_";
                        options.MisfireThreshold = scheduler.MisfireThreshold;
                        // Job data as strings: readable in the table, and no serializer format to keep stable.
                        options.StoreJobDataAsStrings = true;
                        // The bot's migrations own the tables; Quartz only checks they are all there.
                        options.SchemaProvisioning = SchemaProvisioning.Validate;
                    });
                });
            else
                quartz.UseInMemoryStore();
            quartz.ScheduleJob<DeliveryRetryJob>(trigger => trigger
                .WithIdentity("delivery-retry")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(30)).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddSingleton<QuartzBriefingScheduler>();
        services.AddSingleton<IBriefingScheduler>(sp => sp.GetRequiredService<QuartzBriefingScheduler>());
        services.AddHostedService<BriefingStartup>();
        return services;
    }

    private static SchedulerOptions ReadOrDefault(IConfiguration configuration)
    {
        try
        {
            var options = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
            return options.FirstProblem() is null ? options : new SchedulerOptions();
        }
        catch (InvalidOperationException)
        {
            // A value that is not a time span; binding the options at start names it.
            return new SchedulerOptions();
        }
    }
}

/// <summary>Once the store is ready: schedule every subscription and post what fell due while the bot was down.</summary>
internal sealed class BriefingStartup(QuartzBriefingScheduler scheduler, BriefingService briefings, StoreReadiness readiness, ILogger<BriefingStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!readiness.IsReady) return;
        await scheduler.SyncAsync(cancellationToken);
        try
        {
            await briefings.CatchUpAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A platform outage at start-up must not keep the bot down; the retry pass takes over.
            logger.LogWarning(ex, "Catching up on missed briefings failed; the retry pass will continue");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
