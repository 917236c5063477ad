using System.Net;
using System.Security.Authentication;
using Bot.Core.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Feeds;

public static class FeedServiceCollectionExtensions
{
    /// <summary>The real <see cref="IFeedFetcher"/> (replacing any placeholder) and its HTTP client; configured from <c>Feeds:*</c>.</summary>
    public static IServiceCollection AddFeedFetching(this IServiceCollection services)
    {
        services.AddOptions<FeedFetchOptions>().BindConfiguration(FeedFetchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IAddressResolver, DnsAddressResolver>();
        services.TryAddSingleton<FeedConnectionGuard>();
        services.AddHttpClient(FeedFetcher.HttpClientName, (provider, client) =>
            {
                // The fetcher keeps its own deadline over every hop and the whole body.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(provider.GetRequiredService<IOptions<FeedFetchOptions>>().Value.UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
                // Redirects are followed by the fetcher so each hop is counted and its scheme checked.
                AllowAutoRedirect = false,
                // A proxy would connect on our behalf, past the address check.
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = provider.GetRequiredService<FeedConnectionGuard>().ConnectAsync,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxResponseHeadersLength = 64,
                SslOptions = { EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
            })
            // Feed URLs can carry private keys in their query strings: the default request logging would print them.
            .RemoveAllLoggers();
        services.RemoveAll<IFeedFetcher>();
        services.AddSingleton<IFeedFetcher, FeedFetcher>();
        return services;
    }
}
