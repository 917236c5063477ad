using Bot.Core;
using Bot.Slack.Inbound;
using Bot.Slack.Install;
using Bot.Slack.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>The Slack adapter: signed endpoints, Web API client, mention and button handling. Configured from <c>Slack:*</c>.</summary>
    public static IServiceCollection AddBotSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.AddCommandNames();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddSingleton(sp => new SlackSignatureVerifier(sp.GetRequiredService<IOptions<SlackOptions>>().Value.SigningSecret, sp.GetRequiredService<TimeProvider>()));
        // No default HTTP logging: response_url addresses are bearer secrets and must never reach a log.
        services.AddHttpClient<SlackWebClient>(client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<SlackIdentity>();
        services.AddSingleton<SlackTokenProtector>();
        services.AddSingleton<SlackOrgs>();
        services.AddSingleton<ISlackTokenSource, SlackTokens>();
        services.AddSingleton<SlackInstaller>();
        services.AddSingleton<SlackUninstalls>();
        // Installed tokens are encrypted with Data Protection; its key ring lives in the store, so every instance
        // (and every restart) reads the keys the others wrote.
        services.AddDataProtection().SetApplicationName("news-briefing-bot");
        // Data Protection reads the key ring as the host starts, before the store has migrated (its table would not exist
        // yet); the keys are read on first use instead, when a token is protected or read.
        var preload = services.FirstOrDefault(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
            && d.ImplementationType?.Name == "DataProtectionHostedService");
        if (preload is not null) services.Remove(preload);
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, sp) =>
        {
            if (sp.GetService<Bot.Core.Installations.IKeyRingStore>() is { } ring) keys.XmlRepository = new StoreXmlRepository(ring);
        });
        // ASP.NET's request log writes each address with its query, and the OAuth callback's query holds the install code.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning));
        services.AddSingleton<SlackAdmins>();
        services.AddSingleton<SlackRights>();
        services.AddSingleton<SlackForms>();
        services.AddSingleton<EventDeduplicator>();
        services.AddSingleton<SlackRequestHandler>();
        services.AddSingleton<SlackReplayGuard>();
        services.AddSingleton<LastResort>();
        services.AddSingleton<SlackEndpoints>();
        services.AddSingleton<Bot.Core.Briefings.IBriefingSender, Outbound.SlackBriefingSender>();
        services.AddSingleton<Socket.SlackSocketStatus>();
        // Does nothing unless Slack:Mode is Socket.
        services.AddHostedService<Socket.SocketModeService>();
        services.AddSlackReadiness();
        return services;
    }

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/slack/commands", (HttpContext context, SlackEndpoints slack) => slack.CommandsAsync(context));
        endpoints.MapPost("/slack/events", (HttpContext context, SlackEndpoints slack) => slack.EventsAsync(context));
        endpoints.MapPost("/slack/interactivity", (HttpContext context, SlackEndpoints slack) => slack.InteractivityAsync(context));
        endpoints.MapGet("/slack/install", (HttpContext context, SlackInstaller installer) => installer.Install(context));
        endpoints.MapGet("/slack/oauth/callback", (HttpContext context, SlackInstaller installer) => installer.CallbackAsync(context));
        return endpoints;
    }

    private sealed class SlackOptionsValidator(IConfiguration configuration) : IValidateOptions<SlackOptions>
    {
        public ValidateOptionsResult Validate(string? name, SlackOptions options) =>
            (LeftoverCommandNames(configuration) ?? options.FirstProblem()) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    /// <summary>
    /// Slack:Commands named Slack's slash commands alone; Commands:* now names them on every platform at once. A setting left
    /// behind would silently stop renaming, so start-up stops and says what to write instead.
    /// </summary>
    private static string? LeftoverCommandNames(IConfiguration configuration)
    {
        var leftover = configuration.GetSection($"{SlackOptions.Section}:Commands");
        if (!leftover.Exists()) return null;
        var instead = leftover.GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .Select(c => $"{Core.Chat.CommandOptions.Section}:Names:{c.Key}={c.Value!.Trim().TrimStart('/')}")
            .ToList();
        return $"{SlackOptions.Section}:Commands is no longer read; command names are set for Discord and Slack together with "
            + $"{Core.Chat.CommandOptions.Section}:Prefix (e.g. brief → /brief-incident) or {Core.Chat.CommandOptions.Section}:Names:<command>"
            + (instead.Count == 0 ? "" : $" (here: {string.Join(", ", instead)})");
    }
}
