using Bot.Core.Briefings;
using Bot.Core.Feeds;
using Bot.Core.Incidents;
using Bot.Storage.Briefings;

namespace Bot.Core.Tests.Feeds;

public class NewReportingTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_digest_reports_new_items_per_incident_newest_first_within_the_caps()
    {
        await using var world = await FeedWorld.CreateAsync();
        var now = world.Store.Time.GetUtcNow();
        var owner = new FeedOwner("discord", "guild-1");
        var incidents = new[] { "balloon", "tiktok", "huawei-zte", "wei-sun" };
        foreach (var (slug, index) in incidents.Select((s, i) => (s, i)))
        {
            var feed = await world.AddFeedAsync($"https://{slug}.example/rss", incident: slug, owner: owner);
            // Each incident's newest item is an hour older than the previous incident's: the order of the groups is known.
            world.Fetcher.Serve(feed.Url, [.. Enumerable.Range(0, 7).Select(n => FeedWorld.Item($"{slug}-{n}", $"{slug} report {n}",
                link: $"https://{slug}.example/{n}", published: now.AddHours(-index).AddMinutes(-n)))]);
            await world.Ingestor.PollAsync(feed, None);
        }

        var old = await world.AddFeedAsync("https://old.example/rss", incident: "balloon", owner: owner);
        world.Fetcher.Serve(old.Url, FeedWorld.Item("old", "Published before the last digest", published: now.AddDays(-2)));
        await world.Ingestor.PollAsync(old, None);
        var section = await NewReporting.ComposeAsync(world.Feeds, owner, now.AddDays(-1), TimeZoneInfo.Utc, None);

        Assert.NotNull(section);
        Assert.Equal(NewReporting.Overall + 1, section.Lines.Count);
        Assert.Equal([.. Enumerable.Repeat("balloon", 5), .. Enumerable.Repeat("tiktok", 5), .. Enumerable.Repeat("huawei-zte", 5)], section.Lines.Take(15).Select(l => l.Label));
        Assert.Equal("balloon report 0 — Example News, 4 Feb 08:00", section.Lines[0].Text);
        Assert.Equal("https://balloon.example/0", section.Lines[0].Url);
        Assert.Equal("balloon report 4 — Example News, 4 Feb 07:56", section.Lines[4].Text);
        Assert.Equal("and 13 more", section.Lines[^1].Text);
        Assert.DoesNotContain(section.Lines, l => l.Text.StartsWith("Published before", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_digest_has_the_section_only_when_there_is_new_reporting_for_the_channel_s_workspace()
    {
        await using var world = await FeedWorld.CreateAsync();
        var owner = new FeedOwner("discord", "guild-1");
        var feed = await world.AddFeedAsync("https://news.example/rss", owner: owner);
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Spy balloon debris studied by the FBI", link: "https://news.example/1"));
        await world.Ingestor.PollAsync(feed, None);
        var deliveries = new SqlDeliveryStore(world.Store.Database, world.Store.Time);
        var digest = new DigestComposer(world.Store.Store, deliveries, new OnThisDay(world.Store.Store), world.Feeds);
        var subscription = new Subscription { Platform = "discord", Workspace = "guild-1", Channel = "c1", Kind = BriefingKind.Digest };
        var since = NewSince.LastDay(world.Store.Time.GetUtcNow());

        var (mine, _) = await digest.ComposeAsync(new DateOnly(2026, 2, 4), subscription, since, null, None);
        var (other, _) = await digest.ComposeAsync(new DateOnly(2026, 2, 4), subscription with { Workspace = "guild-2" }, since, null, None);

        var line = Assert.Single(mine.Sections.Single(s => s.Heading == NewReporting.Heading).Lines);
        Assert.Equal(("balloon", "https://news.example/1"), (line.Label, line.Url));
        Assert.DoesNotContain(other.Sections, s => s.Heading == NewReporting.Heading);
    }
}
