using System.Collections.Concurrent;
using System.Globalization;
using Bot.Core.Briefings;
using Quartz;

namespace Bot.Jobs;

/// <summary>
/// One cron trigger per subscription, in the subscription's own time zone, so "09:00 Europe/Paris"
/// fires at 09:00 local on both sides of a daylight-saving change. Kept in step with the database:
/// chat commands schedule at once, and a periodic sync picks up changes made elsewhere (the CLI).
/// </summary>
public sealed class QuartzBriefingScheduler(ISchedulerFactory factory, ISubscriptionStore subscriptions) : IBriefingScheduler
{
    public const string Group = "briefings";
    private readonly ConcurrentDictionary<long, string> _scheduled = new();

    public static JobKey JobFor(long subscriptionId) => new($"subscription-{subscriptionId}", Group);

    public static TriggerKey TriggerFor(long subscriptionId) => new($"subscription-{subscriptionId}", Group);


    public async Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        // Live posts have no time of day: the outbox sends them as they are queued.
        if (subscription.IsLive) return;
        var scheduler = await factory.GetScheduler(cancellationToken);
        var job = JobBuilder.Create<BriefingJob>()
            .WithIdentity(JobFor(subscription.Id))
            .UsingJobData(BriefingJob.SubscriptionKey, subscription.Id)
            .Build();
        var trigger = TriggerBuilder.Create()
            .WithIdentity(TriggerFor(subscription.Id))
            .WithCronSchedule(BriefingCron.For(subscription), cron => cron.InTimeZone(subscription.Zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
            .Build();
        await scheduler.ScheduleJob(job, [trigger], ScheduleJobOptions.Replacing, cancellationToken);
        _scheduled[subscription.Id] = Signature(subscription);
    }

    public async Task UnscheduleAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobFor(subscriptionId), cancellationToken);
        _scheduled.TryRemove(subscriptionId, out _);
    }

    /// <summary>Schedules what the database has and the scheduler lacks, and drops what was removed.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var all = (await subscriptions.ListAsync(null, null, null, cancellationToken)).Where(s => !s.IsLive).ToList();
        foreach (var subscription in all)
            if (!_scheduled.TryGetValue(subscription.Id, out var signature) || signature != Signature(subscription))
                await ScheduleAsync(subscription, cancellationToken);
        var live = all.Select(s => s.Id).ToHashSet();
        foreach (var id in _scheduled.Keys.Where(id => !live.Contains(id)).ToList())
            await UnscheduleAsync(id, cancellationToken);
    }

    private static string Signature(Subscription subscription) => $"{subscription.LocalTime:HH:mm}|{subscription.TimeZone}|{subscription.Kind}";
}

/// <summary>The daily cron expression of a subscription's local time (seconds, minutes, hours, any day).</summary>
public static class BriefingCron
{
    public static string For(Subscription subscription) =>
        string.Create(CultureInfo.InvariantCulture, $"0 {subscription.LocalTime.Minute} {subscription.LocalTime.Hour} ? * *");
}

/// <summary>Fires when a subscription is due; the outbox does the rest.</summary>
internal sealed class BriefingJob(BriefingService briefings) : IJob
{
    public const string SubscriptionKey = "subscription";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await briefings.RunDueAsync(context.MergedJobDataMap.GetLong(SubscriptionKey), context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
}

/// <summary>Every half minute: retry pending deliveries and pick up subscription changes made outside the host.</summary>
[DisallowConcurrentExecution]
internal sealed class DeliveryRetryJob(BriefingService briefings, QuartzBriefingScheduler scheduler) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        await scheduler.SyncAsync(cancellationToken);
        await briefings.RetryDueAsync(cancellationToken);
    }
}
