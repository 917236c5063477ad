using System.Text.Json;
using Bot.Core;
using Bot.Discord;
using Bot.Embeddings;
using Bot.Feeds;
using Bot.Jobs;
using Bot.Logging;
using Bot.Playground;
using Bot.Slack;
using Bot.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bot.Hosting;

/// <summary>The long-running bot: HTTP endpoints for the platforms, health probes, the store.</summary>
public static class BotHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="configureServices">Last say over the services (tests swap the clock or add a slow command).</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddBotConfiguration(settings);
        builder.Services.AddSecretScrubbing();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);

        // Hosted services stop in reverse order: registered first, the drain runs last, after the
        // websockets and the scheduler have stopped taking new work.
        builder.Services.AddHostedService<BackgroundWorkDrain>();
        // Hosted services start in order: the store is migrated and seeded before the feed poller
        // and the adapters' sockets start reading it.
        builder.Services.AddSingleton<StoreReadiness>();
        builder.Services.AddHostedService<StoreStartup>();
        builder.Services.AddBotCore().AddBotStorage().AddFeedFetching().AddBotDiscord().AddBotSlack();
        // Several instances share a PostgreSQL store, so by default they share Discord's rate budget there too.
        builder.Services.AddOptions<DiscordOptions>().PostConfigure<Microsoft.Extensions.Options.IOptions<StorageOptions>>((discord, storage) =>
            discord.SharedRateBudget ??= storage.Value.Provider == StorageProvider.Postgres);
        builder.Services.AddBotEmbeddingsBackground();
        builder.Services.AddBotJobs(builder.Configuration);
        builder.Services.AddPlayground();
        builder.AddBotTelemetry();
        // Each adapter adds its own platform check to /readyz (tag "ready") when it is configured.
        builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDiscord();
        app.MapSlack();
        var discordOn = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value.Enabled;
        var slackOn = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>().Value.Enabled;
        // The playground is local mode's face: with a real platform configured, nothing is served at "/".
        if (!discordOn && !slackOn) app.MapPlayground();
        app.MapBotTelemetry();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthJson });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthJson });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var discord = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value;
            var slack = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>().Value;
            var enabled = new[] { discord.Enabled ? $"Discord ({discord.Mode})" : null, slack.Enabled ? $"Slack ({slack.Mode})" : null }.OfType<string>().ToList();
            var platforms = enabled.Count == 0 ? null : string.Join(" and ", enabled);
            if (platforms is null)
                OpenPlayground(app);
            else
                app.Logger.LogInformation("Bot running at {Urls} for {Platforms}", string.Join(", ", app.Urls), platforms);
        });
        return app;
    }

    /// <summary>
    /// Local mode on a network address serves health checks but no playground, unless
    /// <c>Playground:AllowRemote</c> says so: the playground has no login.
    /// </summary>
    private static void OpenPlayground(WebApplication app)
    {
        var guard = app.Services.GetRequiredService<PlaygroundGuard>();
        var exposed = guard.OpenFor(app.Urls);
        if (!guard.IsOpen)
            app.Logger.LogWarning("Local mode, but the playground is off: the bot listens on {Urls}, which other machines may reach. Listen on 127.0.0.1 (ASPNETCORE_URLS=http://127.0.0.1:5080), or set Playground:AllowRemote=true to serve it to anyone who reaches that address", string.Join(", ", exposed));
        else if (exposed.Count > 0)
            app.Logger.LogWarning("Local mode with Playground:AllowRemote=true: anyone who reaches {Urls} can use the playground", string.Join(", ", exposed));
        else
            app.Logger.LogInformation("Local mode (no chat platform configured): open {Url} for the playground", app.Urls.FirstOrDefault());
    }

    /// <summary>
    /// config/appsettings.json (beside the executable, then under the content root) under everything
    /// the host builder already reads — user secrets in Development, environment variables, the
    /// command line — so those still win; <paramref name="settings"/> (tests) win over all.
    /// </summary>
    public static void AddBotConfiguration(this IHostApplicationBuilder builder, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var sources = builder.Configuration.Sources;
        var files = new[]
        {
            Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"),
            Path.Combine(builder.Environment.ContentRootPath, "config", "appsettings.json"),
        };
        for (var i = files.Length - 1; i >= 0; i--)
        {
            var file = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = files[i], Optional = true, ReloadOnChange = false };
            file.ResolveFileProvider();
            sources.Insert(0, file);
        }

        if (settings is { Count: > 0 }) builder.Configuration.AddInMemoryCollection(settings);
    }

    private static Task WriteHealthJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            totalDuration = report.TotalDuration.ToString(),
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        }, JsonSerializerOptions.Web, context.RequestAborted);
    }
}
