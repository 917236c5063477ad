using System.Net;
using Bot.Core.Diagnostics;
using Bot.Discord.Gateway;
using Bot.Discord.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// Discord's part of /readyz. Gateway mode: every shard holds a session, known locally and never
/// cached. HTTP mode: Discord accepts the bot token, asked at most every 30 s whatever the number of
/// probes, and beside the rate limiter that posts wait on.
/// </summary>
internal sealed class DiscordReadinessCheck : IHealthCheck
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly IOptions<DiscordOptions> _options;
    private readonly DiscordGatewayStatus _gateway;
    private readonly IServiceProvider _services;
    private readonly CachedProbe<HealthCheckResult> _token;

    public DiscordReadinessCheck(IOptions<DiscordOptions> options, DiscordGatewayStatus gateway, IServiceProvider services, TimeProvider time)
    {
        _options = options;
        _gateway = gateway;
        _services = services;
        _token = new CachedProbe<HealthCheckResult>(AskDiscordAsync, time, CacheFor, ProbeTimeout);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_options.Value.Mode != DiscordMode.Gateway) return _token.GetAsync(cancellationToken);
        try
        {
            return Task.FromResult(HealthCheckResult.Healthy(_gateway.Describe()));
        }
        catch (InvalidOperationException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(ex.Message));
        }
    }

    private async Task<HealthCheckResult> AskDiscordAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A typed HttpClient per probe: a singleton holding one would never see DNS changes.
            var answer = await _services.GetRequiredService<DiscordRestClient>().ProbeGatewayBotAsync(cancellationToken);
            if (answer is not { } found)
                return HealthCheckResult.Degraded("Discord has the bot under a global rate-limit; the token is checked again later");
            var (status, gateway) = found;
            return status switch
            {
                HttpStatusCode.OK when gateway?.Url is not null => HealthCheckResult.Healthy("Discord answers the bot token"),
                HttpStatusCode.TooManyRequests => HealthCheckResult.Degraded("Discord answered GET /gateway/bot with a rate-limit; the token is checked again later"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => HealthCheckResult.Unhealthy($"Discord refuses Discord:BotToken (HTTP {(int)status})"),
                _ => HealthCheckResult.Unhealthy($"Discord answered GET /gateway/bot with HTTP {(int)status}"),
            };
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy($"Discord does not answer ({NetworkFailure.Describe(ex)})");
        }
        catch (OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Discord did not answer within {ProbeTimeout.TotalSeconds:0} s");
        }
    }
}

public static class DiscordReadinessExtensions
{
    /// <summary>Adds Discord's check to /readyz (tag <c>ready</c>) when Discord is configured.</summary>
    public static IServiceCollection AddDiscordReadiness(this IServiceCollection services)
    {
        services.AddSingleton<DiscordReadinessCheck>();
        services.AddHealthChecks();
        // Whether Discord is on is known only once configuration is bound, so the check joins the list then.
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<DiscordOptions>>((checks, discord) =>
        {
            if (discord.Value.Enabled)
                checks.Registrations.Add(new HealthCheckRegistration("discord", sp => sp.GetRequiredService<DiscordReadinessCheck>(), HealthStatus.Unhealthy, ["ready"]));
        });
        return services;
    }
}
