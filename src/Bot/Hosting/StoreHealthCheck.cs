using Bot.Core.Incidents;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Hosting;

/// <summary>Ready when migrations have run and the database answers a query.</summary>
internal sealed class StoreHealthCheck(StoreReadiness readiness, IIncidentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.IsReady) return HealthCheckResult.Unhealthy("The store is still being migrated and seeded.");
        try
        {
            var stats = await store.GetStatsAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{stats.Incidents} incidents", new Dictionary<string, object>
            {
                ["incidents"] = stats.Incidents,
                ["datedEvents"] = stats.DatedEvents,
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}
