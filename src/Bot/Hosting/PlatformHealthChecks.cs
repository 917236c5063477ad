using Bot.Discord;
using Bot.Slack;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

/// <summary>
/// Ready means each enabled platform answers with the configured credentials. Asked at most once a
/// minute: readiness probes come often, and the platforms' rate limits are not for them.
/// </summary>
internal sealed class PlatformHealthCheck(Func<CancellationToken, Task<string>> probe, TimeProvider time, bool probeIsLocal = false) : IHealthCheck
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // A websocket's state is known locally and changes by the second: never cached.
        if (!probeIsLocal && _last is { } last && time.GetUtcNow() - last.At < CacheFor) return last.Result;
        HealthCheckResult result;
        try
        {
            result = HealthCheckResult.Healthy(await probe(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = HealthCheckResult.Unhealthy(ex.Message);
        }

        _last = (result, time.GetUtcNow());
        return result;
    }

    public static void Register(IHealthChecksBuilder checks, IConfiguration configuration)
    {
        var discord = configuration.GetSection(DiscordOptions.Section).Get<DiscordOptions>() ?? new DiscordOptions();
        var slack = configuration.GetSection(SlackOptions.Section).Get<SlackOptions>() ?? new SlackOptions();
        if (discord.Enabled)
            checks.Add(new HealthCheckRegistration("discord", sp => new PlatformHealthCheck(
                async ct => await DiscordServiceCollectionExtensions.CheckReadyAsync(sp, ct), sp.GetRequiredService<TimeProvider>(),
                probeIsLocal: discord.Mode == DiscordMode.Gateway),
                HealthStatus.Unhealthy, ["ready"]));
        if (slack.Enabled)
            checks.Add(new HealthCheckRegistration("slack", sp => new PlatformHealthCheck(
                async ct => await SlackServiceCollectionExtensions.CheckReachableAsync(sp, ct), sp.GetRequiredService<TimeProvider>(),
                probeIsLocal: slack.Mode == SlackMode.Socket),
                HealthStatus.Unhealthy, ["ready"]));
    }
}
