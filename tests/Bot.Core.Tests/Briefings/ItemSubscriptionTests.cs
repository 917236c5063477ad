using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;

namespace Bot.Core.Tests.Briefings;

/// <summary><c>/briefing subscribe|unsubscribe items &lt;incident&gt;</c>: what a channel manager can type, and what a mistake gets back.</summary>
public class ItemSubscriptionTests
{
    private static BriefingCommand Command(BriefingFixture f) =>
        new(f.Subscriptions, f.Service, new Unscheduled(), f.Store.Time, CommandNames.Unchanged, null, new IncidentFinder(f.Store.Store));

    private static Task<ChatMessage> Say(BriefingFixture f, string text, bool manager = true) =>
        Command(f).HandleAsync(new ChatRequest(text, new ChatContext { Platform = "test", Workspace = "w1", Channel = "c1", User = "u1", CanManageBriefings = manager }), CancellationToken.None);

    [Fact]
    public async Task A_channel_follows_incidents_by_name_and_drops_them_one_at_a_time()
    {
        await using var f = await BriefingFixture.CreateAsync();

        var balloon = await Say(f, "briefing subscribe items balloon Europe/Paris");
        await Say(f, "briefing subscribe items tiktok");
        var status = await Say(f, "briefing status");
        var which = await Say(f, "briefing unsubscribe items");
        var dropped = await Say(f, "briefing unsubscribe items balloon");
        var last = await Say(f, "briefing unsubscribe items");
        var none = await Say(f, "briefing unsubscribe items");

        Assert.Contains("Subscribed", balloon.Title, StringComparison.Ordinal);
        Assert.Contains(status.Sections.SelectMany(s => s.Lines), l => l.Label == "items: balloon");
        Assert.Contains("balloon, tiktok", which.Text, StringComparison.Ordinal);
        Assert.Equal("Unsubscribed", dropped.Title);
        Assert.Contains("tiktok", last.Text, StringComparison.Ordinal);
        Assert.Contains("no live posts", none.Text, StringComparison.Ordinal);
        Assert.Empty(await f.Subscriptions.ListAsync("test", "w1", "c1", CancellationToken.None));
    }

    [Theory]
    [InlineData("briefing subscribe items", "Name the incident")]
    [InlineData("briefing subscribe items balloon 09:00", "no time of day")]
    [InlineData("briefing subscribe items qqqzzz", "No incident is called")]
    [InlineData("briefing unsubscribe items balloon", "no live posts")]
    [InlineData("briefing preview items", "no preview")]
    public async Task A_mistake_gets_a_clear_answer_and_changes_nothing(string text, string expected)
    {
        await using var f = await BriefingFixture.CreateAsync();

        var answer = await Say(f, text);

        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
        Assert.True(answer.Ephemeral);
        Assert.Empty(await f.Subscriptions.ListAsync("test", "w1", "c1", CancellationToken.None));
    }

    [Fact]
    public async Task Only_channel_managers_change_live_posts()
    {
        await using var f = await BriefingFixture.CreateAsync();
        await Say(f, "briefing subscribe items balloon");

        var subscribe = await Say(f, "briefing subscribe items tiktok", manager: false);
        var unsubscribe = await Say(f, "briefing unsubscribe items balloon", manager: false);

        Assert.Contains("only people who can manage", subscribe.Text, StringComparison.Ordinal);
        Assert.Contains("only people who can manage", unsubscribe.Text, StringComparison.Ordinal);
        Assert.Equal("balloon", Assert.Single(await f.Subscriptions.ListAsync("test", "w1", "c1", CancellationToken.None)).Topic);
    }

    private sealed class Unscheduled : IBriefingScheduler
    {
        public Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task UnscheduleAsync(long subscriptionId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
