using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Feeds;

/// <summary>
/// Polls due feeds in the background. Starts only when the host registered an <see cref="IFeedFetcher"/>
/// (the fetching project does); without one it says so once and stays idle. Nothing escapes its loop.
/// </summary>
public sealed class FeedPoller(IServiceProvider services, IOptions<FeedOptions> options, TimeProvider time, ILogger<FeedPoller> logger) : BackgroundService
{
    /// <summary>The longest nap: feeds added meanwhile are noticed within this.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IFeedFetcher>() is null)
        {
            logger.LogInformation("No feed fetcher is registered: news feeds are not polled");
            return;
        }

        await Task.Yield();
        var round = services.GetRequiredService<FeedRound>();
        var store = services.GetRequiredService<IFeedStore>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = MaxWait;
            try
            {
                var reports = await round.RunAsync(options.Value.BatchSize, stoppingToken);
                foreach (var report in reports.Where(r => r.New + r.Updated > 0))
                    logger.LogInformation("Feed {FeedId}: {New} new, {Updated} updated, {Triage} to triage", report.Feed.Id, report.New, report.Updated, report.ToTriage);
                // A full batch means more are due now.
                if (reports.Count >= options.Value.BatchSize) wait = TimeSpan.Zero;
                else if (await store.NextDueAsync(stoppingToken) is { } next)
                    wait = TimeSpan.FromTicks(Math.Clamp((next - time.GetUtcNow()).Ticks, 0, MaxWait.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Polling feeds failed; retrying in {Seconds} s", AfterFailure.TotalSeconds);
                wait = AfterFailure;
            }

            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
