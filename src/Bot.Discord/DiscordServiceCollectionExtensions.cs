using Bot.Core;
using Bot.Core.Limits;
using Bot.Discord.Inbound;
using Bot.Discord.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>The Discord adapter: interactions endpoint, REST client, command registration. Configured from <c>Discord:*</c>.</summary>
    public static IServiceCollection AddBotDiscord(this IServiceCollection services)
    {
        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.Section).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>();
        services.AddSingleton(sp => new SignatureVerifier(sp.GetRequiredService<IOptions<DiscordOptions>>().Value.PublicKey));
        services.AddSingleton(SharedBudget);
        services.AddSingleton(sp => new RateLimiter(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DiscordOptions>>().Value.LocalGlobalPerSecond, sp.GetRequiredService<SharedBudgetChoice>().Budget));
        // No default HTTP logging: webhook and callback URLs carry interaction tokens, which must never reach a log.
        services.AddHttpClient<DiscordRestClient>(client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<InteractionHandler>();
        services.AddSingleton<Bot.Core.Briefings.IBriefingSender, Outbound.DiscordBriefingSender>();
        services.AddCommandNames();
        services.AddTransient(sp => new DiscordCommandRegistrar(sp.GetRequiredService<DiscordRestClient>(), sp.GetRequiredService<Core.Chat.CommandNames>()));
        services.AddSingleton<Gateway.DiscordGatewayStatus>();
        services.AddSingleton<Gateway.GatewayEventHandler>();
        // Does nothing unless Discord:Mode is Gateway.
        services.AddHostedService<Gateway.DiscordGatewayService>();
        services.AddDiscordReadiness();
        return services;
    }

    public static IEndpointRouteBuilder MapDiscord(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/discord/interactions", (HttpContext context, SignatureVerifier verifier, InteractionHandler handler, TimeProvider time,
                ILoggerFactory loggers, IOptions<DiscordOptions> options) =>
            DiscordInteractionEndpoint.HandleAsync(context, verifier, handler, time, loggers, options.Value.BotToken));
        endpoints.MapGet("/discord/install", (IOptions<DiscordOptions> options) =>
            options.Value.ApplicationId is { } id && Snowflake.IsValid(id)
                ? Results.Redirect(DiscordInvite.Url(id))
                : Results.Text("This bot is not set up for Discord (Discord:ApplicationId is not set).", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        return endpoints;
    }

    /// <summary>
    /// The store's budget when <c>Discord:SharedRateBudget</c> is on and a store is there to hold it (the
    /// command line's one-off calls have none), else null: each instance paces itself alone.
    /// </summary>
    private static SharedBudgetChoice SharedBudget(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        if (options.SharedRateBudget != true || services.GetService<ISharedRateBudget>() is not { } budget) return new SharedBudgetChoice(null);
        return new SharedBudgetChoice(new DiscordSharedBudget(budget, options.ApplicationId ?? "", services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<DiscordSharedBudget>>()));
    }

    private sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
    {
        public ValidateOptionsResult Validate(string? name, DiscordOptions options) =>
            options.FirstProblem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
