using Bot.Core.Chat;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bot.Hosting;

/// <summary>
/// OpenTelemetry for the host: the <c>Bot</c> meter plus ASP.NET Core and HttpClient metrics and
/// traces, over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other
/// OTEL_* variables itself), and metrics on <c>GET /metrics</c> for Prometheus when
/// <c>Metrics:Prometheus</c> is true. With neither, nothing is registered and nothing is collected.
/// </summary>
public static class BotTelemetry
{
    public const string PrometheusSetting = "Metrics:Prometheus";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string DefaultServiceName = "briefing-bot";

    public static IHostApplicationBuilder AddBotTelemetry(this IHostApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]);
        var prometheus = builder.Configuration.GetValue<bool>(PrometheusSetting);
        if (!otlp && !prometheus) return builder;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? DefaultServiceName));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(BotMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
            if (otlp) metrics.AddOtlpExporter();
            if (prometheus) metrics.AddPrometheusExporter();
        });
        if (otlp)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation(options => options.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    // Paths carry secrets (Discord interaction tokens in webhook and callback routes,
                    // Slack response_url addresses): a span keeps only where the request went.
                    if (request.RequestUri is { } uri) activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Authority) + "/");
                })
                .AddOtlpExporter());
        return builder;
    }

    /// <summary>Maps <c>GET /metrics</c> when <c>Metrics:Prometheus</c> is true; otherwise the path stays unknown (404).</summary>
    public static WebApplication MapBotTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(PrometheusSetting)) app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    // Health probes and scrapes every few seconds would drown the traces that matter.
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
