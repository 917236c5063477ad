using System.Collections.Concurrent;
using System.Globalization;
using Bot.Core.Briefings;
using Quartz;

namespace Bot.Jobs;

/// <summary>
/// One cron trigger per subscription, in the subscription's own time zone, so "09:00 Europe/Paris"
/// fires at 09:00 local on both sides of a daylight-saving change. Kept in step with the database:
/// chat commands schedule at once, and a periodic sync picks up changes made elsewhere (the CLI).
/// On PostgreSQL the triggers are shared by every instance, so scheduling compares with what the
/// store already holds and leaves a matching trigger alone: instances starting together must not
/// replace a trigger another one has just acquired (a replaced trigger's firing is dropped).
/// </summary>
public sealed class QuartzBriefingScheduler(ISchedulerFactory factory, ISubscriptionStore subscriptions, ILogger<QuartzBriefingScheduler> logger) : IBriefingScheduler
{
    public const string Group = "briefings";

    /// <summary>What this process last saw scheduled per subscription; a shortcut, the store has the last word.</summary>
    private readonly ConcurrentDictionary<long, string> _scheduled = new();

    public static JobKey JobFor(long subscriptionId) => new($"subscription-{subscriptionId}", Group);

    public static TriggerKey TriggerFor(long subscriptionId) => new($"subscription-{subscriptionId}", Group);

    /// <summary>Schedules the subscription as it is now, replacing a trigger for an older time or zone.</summary>
    public async Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        // Live posts have no time of day: the outbox sends them as they are queued.
        if (subscription.IsLive) return;
        var scheduler = await factory.GetScheduler(cancellationToken);
        if (await MatchesAsync(scheduler, subscription, cancellationToken))
        {
            _scheduled[subscription.Id] = Signature(subscription);
            return;
        }

        await scheduler.ScheduleJob(JobOf(subscription), [TriggerOf(subscription)], ScheduleJobOptions.Replacing, cancellationToken);
        _scheduled[subscription.Id] = Signature(subscription);
    }

    public async Task UnscheduleAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        await scheduler.DeleteJob(JobFor(subscriptionId), cancellationToken);
        _scheduled.TryRemove(subscriptionId, out _);
    }

    /// <summary>
    /// Schedules what the database has and the scheduler lacks, and drops what was removed. Safe to run on
    /// every instance at once: a trigger that already matches is not touched, and one another instance
    /// creates first is taken as done.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var all = (await subscriptions.ListAsync(null, null, null, cancellationToken)).Where(s => !s.IsLive).ToList();
        var stored = (await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(Group), cancellationToken)).ToHashSet();
        var missing = new List<Subscription>();
        foreach (var subscription in all)
        {
            if (_scheduled.TryGetValue(subscription.Id, out var signature) && signature == Signature(subscription)) continue;
            if (!stored.Contains(TriggerFor(subscription.Id)))
                missing.Add(subscription);
            else
                await ScheduleAsync(subscription, cancellationToken);
        }

        foreach (var chunk in missing.Chunk(AddedAtOnce))
            await AddMissingAsync(scheduler, chunk, cancellationToken);
        if (missing.Count > 0) logger.LogInformation("Scheduled {Count} subscriptions found in the store", missing.Count);

        var live = all.Select(s => s.Id).ToHashSet();
        foreach (var job in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(Group), cancellationToken))
            if (IdOf(job) is { } id && !live.Contains(id))
                await UnscheduleAsync(id, cancellationToken);
    }

    /// <summary>A first start with 500 subscriptions adds them in a few transactions, not 500 (each takes the cluster's lock).</summary>
    private const int AddedAtOnce = 100;

    private async Task AddMissingAsync(IScheduler scheduler, IReadOnlyList<Subscription> missing, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.ScheduleJobs(
                missing.ToDictionary(JobOf, s => (IReadOnlyCollection<ITrigger>)[TriggerOf(s)]), new ScheduleJobOptions(), cancellationToken);
            foreach (var subscription in missing) _scheduled[subscription.Id] = Signature(subscription);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Another instance starting at the same time added some of them first; the batch was rolled back
            // as a whole, so add the rest one at a time.
            foreach (var subscription in missing) await AddIfMissingAsync(scheduler, subscription, cancellationToken);
        }
    }

    private async Task AddIfMissingAsync(IScheduler scheduler, Subscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.ScheduleJob(JobOf(subscription), [TriggerOf(subscription)], new ScheduleJobOptions(), cancellationToken);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Added by another instance between our look and our insert: compare, as for any stored trigger.
            await ScheduleAsync(subscription, cancellationToken);
            return;
        }

        _scheduled[subscription.Id] = Signature(subscription);
    }

    /// <summary>Whether the store already holds this subscription's trigger for its current time and zone.</summary>
    private static async Task<bool> MatchesAsync(IScheduler scheduler, Subscription subscription, CancellationToken cancellationToken) =>
        await scheduler.GetTrigger(TriggerFor(subscription.Id), cancellationToken) is ICronTrigger existing
        && existing.CronExpressionString == BriefingCron.For(subscription)
        && existing.TimeZone.Id == subscription.Zone.Id
        && existing.MisfireInstruction == Misfire;

    /// <summary>
    /// A digest whose minute was missed (every instance down, or the one holding it killed) fires once, as
    /// soon as it is noticed; the job then posts the latest due time, or records it as skipped when too old.
    /// </summary>
    private const CronTriggerMisfireInstruction Misfire = CronTriggerMisfireInstruction.FireAndProceed;

    private static IJobDetail JobOf(Subscription subscription) => JobBuilder.Create<BriefingJob>()
        .WithIdentity(JobFor(subscription.Id))
        // Kept without a trigger while it is rescheduled; run again on another instance if this one dies mid-run.
        .StoreDurably()
        .RequestRecovery()
        .UsingJobData(BriefingJob.SubscriptionKey, subscription.Id.ToString(CultureInfo.InvariantCulture))
        .Build();

    private static ITrigger TriggerOf(Subscription subscription) => TriggerBuilder.Create()
        .WithIdentity(TriggerFor(subscription.Id))
        .ForJob(JobFor(subscription.Id))
        .WithCronSchedule(BriefingCron.For(subscription), cron => cron.InTimeZone(subscription.Zone).WithMisfireInstruction(Misfire))
        .Build();

    private static long? IdOf(JobKey job) =>
        job.Name.StartsWith("subscription-", StringComparison.Ordinal)
        && long.TryParse(job.Name.AsSpan("subscription-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

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

    /// <remarks>
    /// A firing that is late (a misfire fired once, now) or repeated (recovered after its instance died)
    /// carries a scheduled time of "now"; the service then posts the subscription's latest due time,
    /// which the outbox has at most once per local date.
    /// </remarks>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await briefings.RunLatestDueAsync(
            long.Parse(context.MergedJobDataMap.GetString(SubscriptionKey)!, NumberStyles.None, CultureInfo.InvariantCulture),
            context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
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
