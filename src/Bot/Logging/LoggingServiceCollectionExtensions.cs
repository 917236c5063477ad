using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Logging;

public static class LoggingServiceCollectionExtensions
{
    /// <summary>
    /// Puts <see cref="ScrubbingLoggerFactory"/> in front of the logging the host builder set up. Call it after the
    /// configuration is complete and before anything else adds logging (later <c>AddLogging</c> calls only add providers).
    /// </summary>
    public static IServiceCollection AddSecretScrubbing(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => LogSecrets.From(sp.GetRequiredService<IConfiguration>()));
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new ScrubbingLoggerFactory(
            new LoggerFactory(
                sp.GetServices<ILoggerProvider>(),
                sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
                sp.GetService<IOptions<LoggerFactoryOptions>>(),
                sp.GetService<IExternalScopeProvider>()),
            sp.GetRequiredService<LogSecrets>())));
        return services;
    }
}
