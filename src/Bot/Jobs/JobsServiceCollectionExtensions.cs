using Bot.Core.Briefings;
using Bot.Hosting;
using Quartz;

namespace Bot.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz as a hosted service: a cron trigger per subscription, and the outbox retry pass.</summary>
    public static IServiceCollection AddBotJobs(this IServiceCollection services)
    {
        services.AddQuartz(quartz =>
        {
            quartz.UseInMemoryStore();
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = 16);
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
