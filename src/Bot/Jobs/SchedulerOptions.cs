using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bot.Jobs;

/// <summary>
/// Configuration section <c>Scheduler</c>. The clustering settings apply on PostgreSQL, where every
/// instance shares Quartz's tables; on SQLite the scheduler lives in the one process's memory.
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Quartz generates an id unique to the process (host name and start time).</summary>
    public const string AutoInstanceId = "AUTO";

    /// <summary>
    /// How often an instance tells the others it is alive. An instance that has not checked in for this long
    /// plus <see cref="CheckinMisfireThreshold"/> is taken for dead and its triggers are taken over.
    /// </summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The slack past a missed check-in before an instance is taken for dead (a GC pause or a slow disk is not a death).</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How late a trigger may fire before it counts as misfired (a digest then fires once, at once).</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>This instance's name in the cluster; must differ between instances. AUTO makes one up.</summary>
    public string InstanceId { get; set; } = AutoInstanceId;

    /// <summary>Jobs one instance runs at once (each subscription's post is one job).</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>The first value out of range, named as it is configured, or null.</summary>
    public string? FirstProblem()
    {
        if (OutOfRange(nameof(CheckinInterval), CheckinInterval, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(5)) is { } interval) return interval;
        if (OutOfRange(nameof(CheckinMisfireThreshold), CheckinMisfireThreshold, TimeSpan.Zero, TimeSpan.FromMinutes(5)) is { } threshold) return threshold;
        if (OutOfRange(nameof(MisfireThreshold), MisfireThreshold, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) is { } misfire) return misfire;
        if (MaxConcurrency is < 1 or > 256)
            return string.Create(CultureInfo.InvariantCulture, $"{Section}:{nameof(MaxConcurrency)} must be between 1 and 256 (got {MaxConcurrency})");
        if (string.IsNullOrWhiteSpace(InstanceId) || InstanceId.Length > 100 || InstanceId.Any(char.IsControl))
            return $"{Section}:{nameof(InstanceId)} must be {AutoInstanceId} or a name of at most 100 printable characters, different for every instance";
        return null;
    }

    private static string? OutOfRange(string key, TimeSpan value, TimeSpan min, TimeSpan max) =>
        value >= min && value <= max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{Section}:{key} must be between {min:c} and {max:c} (got {value:c})");
}

internal sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options) =>
        options.FirstProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
