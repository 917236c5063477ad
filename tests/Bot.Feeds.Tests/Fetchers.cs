using System.Net;
using Bot.Core.Feeds;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Feeds.Tests;

/// <summary>Names mapped to addresses, as a test wants DNS to answer.</summary>
internal sealed class MapResolver(Dictionary<string, IPAddress[]> map) : IAddressResolver
{
    public List<string> Asked { get; } = [];

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        lock (Asked) Asked.Add(host);
        return Task.FromResult(map.TryGetValue(host, out var addresses) ? addresses : []);
    }
}

/// <summary>The fetcher as AddFeedFetching builds it, over a configuration and (optionally) a resolver of the test's.</summary>
internal sealed class Fetchers : IDisposable
{
    private readonly ServiceProvider _provider;

    private Fetchers(ServiceProvider provider) => _provider = provider;

    public IFeedFetcher Fetcher => _provider.GetRequiredService<IFeedFetcher>();

    public IServiceProvider Services => _provider;

    public static Fetchers Create(Dictionary<string, string?>? settings = null, IAddressResolver? resolver = null, IPEndPoint? exempt = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        if (resolver is not null) services.AddSingleton(resolver);
        services.AddFeedFetching();
        var provider = services.BuildServiceProvider(validateScopes: true);
        if (exempt is not null) provider.GetRequiredService<FeedConnectionGuard>().ExemptEndpoints = [exempt];
        return new Fetchers(provider);
    }

    /// <summary>Private addresses allowed: the feed server lives on 127.0.0.1.</summary>
    public static Fetchers Permissive(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Feeds:AllowPrivateAddresses"] = "true" };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return Create(settings);
    }

    public FeedFetchOptions Options => _provider.GetRequiredService<IOptions<FeedFetchOptions>>().Value;

    public void Dispose() => _provider.Dispose();
}
