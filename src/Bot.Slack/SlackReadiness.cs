using System.Net;
using Bot.Core.Diagnostics;
using Bot.Slack.Protocol;
using Bot.Slack.Socket;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

/// <summary>
/// Slack's part of /readyz: Slack accepts the bot token (auth.test, asked at most every 30 s whatever
/// the number of probes), and in Socket Mode a socket is open (known locally, never cached).
/// </summary>
internal sealed class SlackReadinessCheck : IHealthCheck
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly IOptions<SlackOptions> _options;
    private readonly SlackSocketStatus _sockets;
    private readonly IServiceProvider _services;
    private readonly CachedProbe<HealthCheckResult> _token;

    public SlackReadinessCheck(IOptions<SlackOptions> options, SlackSocketStatus sockets, IServiceProvider services, TimeProvider time)
    {
        _options = options;
        _sockets = sockets;
        _services = services;
        _token = new CachedProbe<HealthCheckResult>(AskSlackAsync, time, CacheFor, ProbeTimeout);
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var sockets = "";
        if (_options.Value.Mode == SlackMode.Socket)
        {
            try
            {
                sockets = _sockets.Describe() + "; ";
            }
            catch (InvalidOperationException ex)
            {
                return HealthCheckResult.Unhealthy(ex.Message);
            }
        }

        // OAuth installs without a fallback token: each workspace's token is checked by use, there is none to ask about here.
        if (string.IsNullOrWhiteSpace(_options.Value.BotToken))
            return HealthCheckResult.Healthy(sockets + "no Slack:BotToken; workspaces bring their own tokens through /slack/install");
        var token = await _token.GetAsync(cancellationToken);
        return new HealthCheckResult(token.Status, sockets + token.Description);
    }

    private async Task<HealthCheckResult> AskSlackAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A typed HttpClient per probe: a singleton holding one would never see DNS changes.
            var (status, response) = await _services.GetRequiredService<SlackWebClient>().ProbeAuthAsync(cancellationToken);
            return (status, response) switch
            {
                (HttpStatusCode.TooManyRequests, _) => HealthCheckResult.Degraded("Slack rate-limits auth.test; the bot token is checked again later"),
                (HttpStatusCode.OK, { Ok: true }) => HealthCheckResult.Healthy($"Slack accepts the bot token (team {response.TeamId})"),
                (HttpStatusCode.OK, { Error: { } error }) => HealthCheckResult.Unhealthy($"Slack does not accept Slack:BotToken (auth.test: {error})"),
                _ => HealthCheckResult.Unhealthy($"Slack answered auth.test with HTTP {(int)status}"),
            };
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy($"Slack does not answer ({NetworkFailure.Describe(ex)})");
        }
        catch (OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Slack did not answer within {ProbeTimeout.TotalSeconds:0} s");
        }
    }
}

public static class SlackReadinessExtensions
{
    /// <summary>Adds Slack's check to /readyz (tag <c>ready</c>) when Slack is configured.</summary>
    public static IServiceCollection AddSlackReadiness(this IServiceCollection services)
    {
        services.AddSingleton<SlackReadinessCheck>();
        services.AddHealthChecks();
        // Whether Slack is on is known only once configuration is bound, so the check joins the list then.
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<SlackOptions>>((checks, slack) =>
        {
            if (slack.Value.Enabled)
                checks.Registrations.Add(new HealthCheckRegistration("slack", sp => sp.GetRequiredService<SlackReadinessCheck>(), HealthStatus.Unhealthy, ["ready"]));
        });
        return services;
    }
}
