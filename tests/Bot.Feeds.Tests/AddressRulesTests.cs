using System.Net;
using Bot.Core.Feeds;
using Bot.Testing.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Feeds.Tests;

public sealed class AddressRulesTests : IAsyncLifetime
{
    private FeedServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _server.Map("/feed", FeedResponse.Rss(FeedDocuments.Rss("Daily", FeedDocuments.Items(2))));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("127.255.0.9", "a loopback address")]
    [InlineData("10.0.0.1", "a private address")]
    [InlineData("172.16.0.1", "a private address")]
    [InlineData("172.31.255.255", "a private address")]
    [InlineData("192.168.1.1", "a private address")]
    [InlineData("100.64.0.1", "a carrier-grade NAT address")]
    [InlineData("100.127.255.254", "a carrier-grade NAT address")]
    [InlineData("169.254.169.254", "a link-local address (cloud metadata lives there)")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("239.255.255.250", "a multicast address")]
    [InlineData("0.0.0.0", "an unspecified address")]
    [InlineData("255.255.255.255", "the broadcast address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("::", "an unspecified address")]
    [InlineData("fc00::1", "a unique-local address")]
    [InlineData("fd12:3456::1", "a unique-local address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("::ffff:127.0.0.1", "a loopback address")]
    [InlineData("::ffff:169.254.169.254", "a link-local address (cloud metadata lives there)")]
    [InlineData("::ffff:10.1.2.3", "a private address")]
    [InlineData("64:ff9b::a9fe:a9fe", "a link-local address (cloud metadata lives there)")]
    public void Refuses_internal_addresses(string address, string reason) =>
        Assert.Equal(reason, AddressRules.WhyRefused(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("169.253.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Allows_public_addresses(string address) => Assert.Null(AddressRules.WhyRefused(IPAddress.Parse(address)));

    [Fact]
    public async Task By_default_the_loopback_server_is_refused_before_any_request()
    {
        using var fetchers = Fetchers.Create();

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(_server.Url("/feed")), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Refused, result.Outcome);
        Assert.Equal("refused: 127.0.0.1 is a loopback address", result.Problem);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task AllowPrivateAddresses_lifts_the_rule()
    {
        using var fetchers = Fetchers.Create(new() { ["Feeds:AllowPrivateAddresses"] = "true" });

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(_server.Url("/feed")), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
        Assert.Equal(2, result.Items.Count);
    }

    [Theory]
    [InlineData("intranet.test", "10.1.2.3", "refused: 10.1.2.3 is a private address")]
    [InlineData("metadata.test", "169.254.169.254", "refused: 169.254.169.254 is a link-local address (cloud metadata lives there)")]
    [InlineData("six.test", "fd00::5", "refused: fd00::5 is a unique-local address")]
    [InlineData("mapped.test", "::ffff:127.0.0.1", "refused: ::ffff:127.0.0.1 is a loopback address")]
    public async Task Names_are_judged_by_the_addresses_they_resolve_to(string host, string address, string problem)
    {
        var resolver = new MapResolver(new() { [host] = [IPAddress.Parse(address)] });
        using var fetchers = Fetchers.Create(resolver: resolver);

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(new Uri($"http://{host}:{_server.BaseUrl.Port}/feed")), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Refused, result.Outcome);
        Assert.Equal(problem, result.Problem);
        Assert.Equal([host], resolver.Asked);
    }

    [Fact]
    public async Task A_name_is_resolved_once_and_the_checked_address_is_the_one_connected_to()
    {
        // The name resolves to a refused address and to the (exempt) test server: the connection goes to the allowed one.
        var resolver = new MapResolver(new() { ["mixed.test"] = [IPAddress.Parse("192.168.7.7"), IPAddress.Loopback] });
        using var fetchers = Fetchers.Create(resolver: resolver, exempt: _server.EndPoint);

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(new Uri($"http://mixed.test:{_server.BaseUrl.Port}/feed")), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
        Assert.Equal(["mixed.test"], resolver.Asked);
        Assert.Equal(1, _server.Hits("/feed"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address (cloud metadata lives there)")]
    [InlineData("http://127.0.0.1:1/feed", "refused: 127.0.0.1 is a loopback address")]
    [InlineData("http://[::1]:1/feed", "refused: ::1 is a loopback address")]
    [InlineData("http://[::ffff:a9fe:a9fe]/", "refused: ::ffff:169.254.169.254 is a link-local address (cloud metadata lives there)")]
    [InlineData("http://metadata.test/computeMetadata/v1/", "refused: 169.254.169.254 is a link-local address (cloud metadata lives there)")]
    [InlineData("http://router.test:8080/", "refused: 192.168.0.1 is a private address")]
    public async Task Every_redirect_hop_is_checked(string target, string problem)
    {
        _server.MapRedirect("/jump", target);
        var resolver = new MapResolver(new()
        {
            ["metadata.test"] = [IPAddress.Parse("169.254.169.254")],
            ["router.test"] = [IPAddress.Parse("192.168.0.1")],
        });
        using var fetchers = Fetchers.Create(resolver: resolver, exempt: _server.EndPoint);

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(_server.Url("/jump")), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Refused, result.Outcome);
        Assert.Equal(problem, result.Problem);
        Assert.Equal(1, _server.Hits("/jump"));
    }

    [Theory]
    [InlineData("http://localhost:1/feed")]
    [InlineData("http://2130706433:1/feed")]
    [InlineData("http://0x7f.0.0.1:1/feed")]
    [InlineData("http://127.1:1/feed")]
    public async Task Loopback_in_disguise_is_refused_by_the_system_resolver_too(string url)
    {
        // No network needed: these resolve from /etc/hosts or as numeric forms, without a DNS query.
        using var fetchers = Fetchers.Create();

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(new Uri(url)), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Refused, result.Outcome);
        Assert.Matches(@"^refused: (127\.0\.0\.1|::1) is a loopback address$", result.Problem);
    }

    [Theory]
    [InlineData("ftp://news.example/feed.xml", "refused: only http and https feeds, not ftp")]
    [InlineData("file:///etc/passwd", "refused: only http and https feeds, not file")]
    [InlineData("gopher://news.example/", "refused: only http and https feeds, not gopher")]
    public async Task Only_http_and_https(string url, string problem)
    {
        using var fetchers = Fetchers.Create();

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(new Uri(url)), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Refused, result.Outcome);
        Assert.Equal(problem, result.Problem);
    }

    [Fact]
    public async Task An_unknown_host_is_a_failure_worth_retrying()
    {
        using var fetchers = Fetchers.Create(resolver: new MapResolver([]));

        var result = await fetchers.Fetcher.FetchAsync(new FeedFetchRequest(new Uri("http://nowhere.test/feed")), CancellationToken.None);

        Assert.Equal(FeedFetchOutcome.Failed, result.Outcome);
        Assert.Equal("network: host not found", result.Problem);
    }

    [Fact]
    public void AddFeedFetching_replaces_a_placeholder_fetcher()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        services.AddSingleton<IFeedFetcher, PlaceholderFetcher>();
        services.AddFeedFetching();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<FeedFetcher>(provider.GetRequiredService<IFeedFetcher>());
        Assert.Single(provider.GetServices<IFeedFetcher>());
    }

    private sealed class PlaceholderFetcher : IFeedFetcher
    {
        public Task<FeedFetchResult> FetchAsync(FeedFetchRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(FeedFetchResult.Failed("placeholder"));
    }

    [Fact]
    public void Options_have_safe_defaults_and_bad_values_stop_start_up()
    {
        using var defaults = Fetchers.Create();
        Assert.Equal(20, defaults.Options.TimeoutSeconds);
        Assert.Equal(5L * 1024 * 1024, defaults.Options.MaxBytes);
        Assert.Equal(5, defaults.Options.MaxRedirects);
        Assert.False(defaults.Options.AllowPrivateAddresses);

        using var bad = Fetchers.Create(new() { ["Feeds:TimeoutSeconds"] = "0" });
        var error = Assert.Throws<OptionsValidationException>(() => bad.Options);
        Assert.Contains("TimeoutSeconds", error.Message, StringComparison.Ordinal);
    }
}
