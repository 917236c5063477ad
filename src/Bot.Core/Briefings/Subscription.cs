namespace Bot.Core.Briefings;

public enum BriefingKind
{
    Digest,
    OnThisDay,
    /// <summary>Live posts of new feed items linked to one incident (the subscription's <see cref="Subscription.Topic"/>).</summary>
    Items,
}

/// <summary>A channel's request for a scheduled post at a local time in its own time zone.</summary>
public sealed record Subscription
{
    public long Id { get; init; }
    public required string Platform { get; init; }
    public required string Workspace { get; init; }
    public required string Channel { get; init; }
    public required BriefingKind Kind { get; init; }
    /// <summary>The incident slug an <see cref="BriefingKind.Items"/> subscription follows; null for the daily kinds.</summary>
    public string? Topic { get; init; }
    public TimeOnly LocalTime { get; init; } = new(9, 0);
    public string TimeZone { get; init; } = "UTC";
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? FailingSince { get; init; }
    public string? FailureReason { get; init; }

    /// <summary>Set while the bot has lost access to the channel or workspace (uninstalled, token revoked, removed): nothing is posted.</summary>
    public DateTimeOffset? PausedSince { get; init; }
    public string? PauseReason { get; init; }

    public bool IsPaused => PausedSince is not null;

    /// <summary>Posted when something happens rather than at a time of day: no schedule, no catch-up.</summary>
    public bool IsLive => Kind == BriefingKind.Items;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public static string KindName(BriefingKind kind) => kind switch
    {
        BriefingKind.Digest => "digest",
        BriefingKind.Items => "items",
        _ => "onthisday",
    };

    public static bool TryParseKind(string? text, out BriefingKind kind)
    {
        kind = BriefingKind.Digest;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "digest":
                return true;
            case "onthisday" or "on-this-day" or "anniversaries":
                kind = BriefingKind.OnThisDay;
                return true;
            case "items" or "news":
                kind = BriefingKind.Items;
                return true;
            default:
                return false;
        }
    }
}

public interface ISubscriptionStore
{
    /// <summary>Creates or updates the channel's subscription of that kind; one workspace never touches another's.</summary>
    Task<Subscription> SaveAsync(Subscription subscription, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string platform, string workspace, string channel, BriefingKind kind, CancellationToken cancellationToken) =>
        RemoveAsync(platform, workspace, channel, kind, null, cancellationToken);

    /// <summary>Removes the channel's subscription of that kind and topic (the incident of an items subscription).</summary>
    Task<bool> RemoveAsync(string platform, string workspace, string channel, BriefingKind kind, string? topic, CancellationToken cancellationToken);

    Task<IReadOnlyList<Subscription>> ListAsync(string? platform, string? workspace, string? channel, CancellationToken cancellationToken);

    Task<Subscription?> GetAsync(long id, CancellationToken cancellationToken);

    Task MarkFailingAsync(long id, string? reason, CancellationToken cancellationToken);
}

/// <summary>Tells the scheduler that a subscription appeared, changed or went away.</summary>
public interface IBriefingScheduler
{
    Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken);

    Task UnscheduleAsync(long subscriptionId, CancellationToken cancellationToken);
}

/// <summary>For one-shot processes (the CLI): the running host picks changes up on its next sync.</summary>
internal sealed class NoBriefingScheduler : IBriefingScheduler
{
    public Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UnscheduleAsync(long subscriptionId, CancellationToken cancellationToken) => Task.CompletedTask;
}
