using Bot.Core.Answers;
using Bot.Core.Feeds;
using Bot.Core.Incidents;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Feeds;

public class FeedPollerTests
{
    [Fact]
    public async Task Without_a_fetcher_the_poller_says_so_once_and_stays_idle()
    {
        await using var world = await FeedWorld.CreateAsync();
        var logs = new LogCapture();
        await using var services = Services(world, logs, withFetcher: false);
        using var poller = new FeedPoller(services, Options.Create(new FeedOptions()), world.Store.Time, services.GetRequiredService<ILogger<FeedPoller>>());

        await poller.StartAsync(CancellationToken.None);
        await poller.ExecuteTask!;
        await poller.StopAsync(CancellationToken.None);

        Assert.Single(logs.Lines, l => l.Message == "No feed fetcher is registered: news feeds are not polled");
    }

    [Fact]
    public async Task The_poller_fetches_due_feeds_and_survives_a_fetcher_that_throws()
    {
        await using var world = await FeedWorld.CreateAsync();
        var logs = new LogCapture();
        var good = await world.AddFeedAsync("https://good.example/rss");
        var bad = await world.AddFeedAsync("https://bad.example/rss");
        world.Fetcher.Serve(good.Url, FeedWorld.Item("1", "Spy balloon shot down"));
        world.Fetcher.Serve(bad.Url, _ => throw new InvalidOperationException("boom"));
        await using var services = Services(world, logs, withFetcher: true);
        using var poller = new FeedPoller(services, Options.Create(new FeedOptions()), world.Store.Time, services.GetRequiredService<ILogger<FeedPoller>>());

        await poller.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => world.Fetcher.Requests.Count >= 2, "both feeds fetched");
        // Past the longest nap and the first backoff: the good feed is due again and fetched again.
        await Eventually.TrueAsync(() =>
        {
            world.Store.Time.Advance(TimeSpan.FromMinutes(1));
            return world.Fetcher.Requests.Count(r => r.Url.AbsoluteUri == good.Url) >= 2;
        }, "the good feed fetched again");
        await poller.StopAsync(CancellationToken.None);

        Assert.False(poller.ExecuteTask!.IsFaulted);
        Assert.Equal("internal error: InvalidOperationException", (await world.Feeds.GetAsync(bad.Id, CancellationToken.None))!.LastError);
        Assert.Contains(logs.Lines, l => l.Message.StartsWith($"Feed {good.Id}: 1 new", StringComparison.Ordinal));
    }

    private static ServiceProvider Services(FeedWorld world, LogCapture logs, bool withFetcher)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddSingleton<IFeedStore>(world.Feeds);
        services.AddSingleton<IIncidentStore>(world.Store.Store);
        services.AddSingleton(world.Round);
        if (withFetcher) services.AddSingleton<IFeedFetcher>(world.Fetcher);
        services.AddSingleton<ITextEmbedder, NoTextEmbedder>();
        return services.BuildServiceProvider();
    }
}
