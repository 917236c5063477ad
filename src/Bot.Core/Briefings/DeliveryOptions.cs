using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Briefings;

/// <summary>Configuration section <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Failed sends are retried with backoff for this long, then given up.</summary>
    [Range(0, 168)]
    public double MaxRetryHours { get; set; } = 6;

    /// <summary>After downtime, a post due less than this long ago is still sent; older ones are recorded as skipped.</summary>
    [Range(0, 48)]
    public double CatchUpHours { get; set; } = 6;

    /// <summary>How long a claimed post is left to its sender before another pass (or a restarted process) may try it.</summary>
    [Range(1, 3600)]
    public int SendLeaseSeconds { get; set; } = 120;
}
