using Bot.Core.Feeds;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Feeds;

public class FeedPollingTests
{
    private static readonly DateTimeOffset Start = new(2026, 2, 4, 8, 0, 0, TimeSpan.Zero);

    private static Feed NewFeed(int interval = 15) => new() { Id = 1, Owner = FeedOwner.Local, Url = "https://a.example/rss", NextDueAt = Start, IntervalMinutes = interval };

    [Fact]
    public void A_success_schedules_the_next_fetch_one_interval_later_and_keeps_the_validators()
    {
        var time = new FakeTimeProvider(Start);
        var status = new FeedPolling(time).AfterFetch(NewFeed(), new FeedFetchResult(FeedFetchOutcome.Fetched, [], "Example", "\"e1\"", "Tue, 03 Feb 2026 10:00:00 GMT"));

        Assert.Equal(Start.AddMinutes(15), status.NextDueAt);
        Assert.Equal(("\"e1\"", "Tue, 03 Feb 2026 10:00:00 GMT", "Example"), (status.ETag, status.LastModified, status.Title));
        Assert.Equal(0, status.ConsecutiveFailures);
        Assert.Null(status.DisabledReason);
    }

    [Theory]
    [InlineData(null, 15)]
    [InlineData(1, 2)]
    [InlineData(60, 60)]
    public void Intervals_default_to_15_minutes_and_are_never_below_2(int? asked, int expected) =>
        Assert.Equal(expected, FeedPolling.ClampInterval(asked));

    [Fact]
    public void Failures_back_off_with_jitter_and_a_day_of_them_switches_the_feed_off_with_the_reason()
    {
        var time = new FakeTimeProvider(Start);
        var polling = new FeedPolling(time, new Random(1));
        var feed = NewFeed();
        var waits = new List<TimeSpan>();
        FeedStatus status;
        do
        {
            status = polling.AfterFetch(feed, FeedFetchResult.Failed("HTTP 503"));
            waits.Add(status.NextDueAt - time.GetUtcNow());
            feed = feed with { ConsecutiveFailures = status.ConsecutiveFailures, FailingSince = status.FailingSince, DisabledReason = status.DisabledReason };
            time.Advance(status.NextDueAt - time.GetUtcNow());
        }
        while (status.DisabledReason is null && waits.Count < 100);

        Assert.Equal("failing for a day: HTTP 503", status.DisabledReason);
        Assert.Equal(Start, status.FailingSince);
        Assert.InRange(waits[0].TotalMinutes, 12, 18);
        Assert.InRange(waits[1].TotalMinutes, 24, 36);
        Assert.All(waits, w => Assert.InRange(w.TotalHours, 0, 2.4));
        Assert.True(waits.Skip(5).Distinct().Count() > 1, "jitter spreads the retries");
    }

    [Fact]
    public void A_refused_address_switches_the_feed_off_at_once_and_a_success_clears_failures()
    {
        var time = new FakeTimeProvider(Start);
        var polling = new FeedPolling(time);
        var refused = polling.AfterFetch(NewFeed(), FeedFetchResult.Refused("refused: 127.0.0.1 is a loopback address"));
        var recovered = polling.AfterFetch(NewFeed() with { ConsecutiveFailures = 3, FailingSince = Start, LastError = "HTTP 503" }, FeedFetchResult.NotModified(new Uri("https://a.example/rss")));

        Assert.Equal("refused: 127.0.0.1 is a loopback address", refused.DisabledReason);
        Assert.Equal((0, null, null), (recovered.ConsecutiveFailures, recovered.FailingSince, recovered.LastError));
    }
}
