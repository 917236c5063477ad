using Bot.Slack.Inbound;
using Bot.Slack.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>The Slack adapter: signed endpoints, Web API client, mention and button handling. Configured from <c>Slack:*</c>.</summary>
    public static IServiceCollection AddBotSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddSingleton(sp => new SlackSignatureVerifier(sp.GetRequiredService<IOptions<SlackOptions>>().Value.SigningSecret, sp.GetRequiredService<TimeProvider>()));
        // No default HTTP logging: response_url addresses are bearer secrets and must never reach a log.
        services.AddHttpClient<SlackWebClient>(client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<SlackIdentity>();
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
        return endpoints;
    }

    private sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
    {
        public ValidateOptionsResult Validate(string? name, SlackOptions options) =>
            options.FirstProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
