using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bot.Core.Briefings;

/// <summary>Configuration section <c>Delivery</c>.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Failed sends are retried with backoff for this long, then given up.</summary>
    public double MaxRetryHours { get; set; } = 6;

    /// <summary>After downtime, a post due less than this long ago is still sent; older ones are recorded as skipped.</summary>
    public double CatchUpHours { get; set; } = 6;

    /// <summary>How long a claimed post is left to its sender before another pass (or a restarted process) may try it.</summary>
    public int SendLeaseSeconds { get; set; } = 120;

    /// <summary>The first value out of range, named as it is configured, or null.</summary>
    public string? FirstProblem() =>
        OutOfRange(nameof(MaxRetryHours), MaxRetryHours, 0, 168)
        ?? OutOfRange(nameof(CatchUpHours), CatchUpHours, 0, 48)
        ?? OutOfRange(nameof(SendLeaseSeconds), SendLeaseSeconds, 1, 3600);

    private static string? OutOfRange(string key, double value, double min, double max) =>
        value >= min && value <= max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{Section}:{key} must be between {min} and {max} (got {value})");
}

internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options) =>
        options.FirstProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
