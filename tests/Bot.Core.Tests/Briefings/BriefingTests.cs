using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Storage.Briefings;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Briefings;

/// <summary>A sender that records posts and can be told to fail, standing in for a platform.</summary>
public sealed class RecordingSender : IBriefingSender
{
    public List<(long Delivery, string Channel, bool Uncertain)> Posts { get; } = [];
    public Func<Exception?> Failure { get; set; } = () => null;
    public string Platform => "test";

    public Task<string?> SendAsync(Subscription subscription, Delivery delivery, bool uncertain, CancellationToken cancellationToken)
    {
        if (Failure() is { } error) throw error;
        lock (Posts) Posts.Add((delivery.Id, subscription.Channel, uncertain));
        return Task.FromResult<string?>($"m{delivery.Id}");
    }
}

public sealed class BriefingFixture : IAsyncDisposable
{
    private BriefingFixture(TestStore store)
    {
        Store = store;
        Subscriptions = new SqlSubscriptionStore(store.Database, store.Time);
        Deliveries = new SqlDeliveryStore(store.Database, store.Time);
        var onThisDay = new OnThisDay(store.Store);
        Digest = new DigestComposer(store.Store, Deliveries, onThisDay);
        Service = new BriefingService(Subscriptions, Deliveries, Digest, new OnThisDayNote(onThisDay), [Sender], store.Time,
            Options.Create(new DeliveryOptions()), NullLogger<BriefingService>.Instance);
        Command = new BriefingCommand(Subscriptions, Service, new NoScheduler(), store.Time);
    }

    public TestStore Store { get; }
    public SqlSubscriptionStore Subscriptions { get; }
    public SqlDeliveryStore Deliveries { get; }
    public DigestComposer Digest { get; }
    public BriefingService Service { get; }
    public BriefingCommand Command { get; }
    public RecordingSender Sender { get; } = new();

    public static async Task<BriefingFixture> CreateAsync() => new(await TestStore.CreateAsync(seeded: true));

    public Task<Subscription> SubscribeAsync(string channel, BriefingKind kind = BriefingKind.Digest, string zone = "Europe/Paris", string workspace = "w1") =>
        Subscriptions.SaveAsync(new Subscription { Platform = "test", Workspace = workspace, Channel = channel, Kind = kind, LocalTime = new TimeOnly(9, 0), TimeZone = zone }, CancellationToken.None);

    public Task<ChatMessage> AskAsync(string text, bool admin = true, string workspace = "w1", string channel = "c1") =>
        Command.HandleAsync(new ChatRequest(text, new ChatContext { Platform = "test", Workspace = workspace, Channel = channel, User = "u1", CanManageBriefings = admin }), CancellationToken.None);

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    private sealed class NoScheduler : IBriefingScheduler
    {
        public Task ScheduleAsync(Subscription subscription, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task UnscheduleAsync(long subscriptionId, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public class DigestTests
{
    [Fact]
    public async Task The_digest_has_anniversaries_the_coming_week_what_is_new_a_spotlight_and_counts()
    {
        await using var f = await BriefingFixture.CreateAsync();

        var (message, spotlight) = await f.Digest.ComposeAsync(new DateOnly(2026, 2, 4), null, NewSince.LastDigest(DateTimeOffset.MinValue), null, CancellationToken.None);

        Assert.Equal("Briefing — Wednesday 4 February 2026", message.Title);
        var onThisDay = Assert.Single(message.Sections, s => s.Heading == "On this day");
        Assert.Contains(onThisDay.Lines, l => l.Label == "3 years ago" && l.Text.Contains("shoots the balloon down", StringComparison.Ordinal));
        var coming = Assert.Single(message.Sections, s => s.Heading == "Coming up this week");
        Assert.Contains(coming.Lines, l => l.Label == "5 Feb");
        Assert.Contains(coming.Lines, l => l.Label == "9 Feb" && l.Text.Contains("TikTok", StringComparison.Ordinal));
        Assert.Contains(message.Sections, s => s.Heading.StartsWith("Spotlight: ", StringComparison.Ordinal));
        Assert.NotNull(spotlight);
        Assert.StartsWith("12 incidents · ", message.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quiet_day_says_so_and_still_has_a_spotlight()
    {
        await using var f = await BriefingFixture.CreateAsync();

        var (message, _) = await f.Digest.ComposeAsync(new DateOnly(2026, 7, 1), null, NewSince.LastDigest(f.Store.Time.GetUtcNow().AddHours(1)), null, CancellationToken.None);

        Assert.DoesNotContain(message.Sections, s => s.Heading == "On this day");
        Assert.Contains(message.Sections, s => s.Lines.Any(l => l.Text == "Nothing new in the store."));
        Assert.Contains(message.Sections, s => s.Heading.StartsWith("Spotlight: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_spotlight_features_every_incident_before_any_repeats()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c-spot");
        var featured = new List<string>();

        for (var day = 0; day < 14; day++)
        {
            var delivery = await f.Deliveries.GetOrCreateAsync(subscription.Id, new DateOnly(2026, 3, 1).AddDays(day),
                () => f.Service.ComposeAsync(BriefingKind.Digest, new DateOnly(2026, 3, 1).AddDays(day), subscription, CancellationToken.None), CancellationToken.None);
            featured.Add(delivery.Message!.IncidentSlug!);
        }

        Assert.Equal(12, featured.Take(12).Distinct().Count());
        Assert.Equal(featured[0], featured[12]);
    }

    [Fact]
    public async Task A_capped_section_says_how_many_lines_it_left_out()
    {
        await using var store = await TestStore.CreateAsync();
        for (var i = 0; i < 11; i++)
            await store.UpsertAsync(TestIncidents.Make($"today-{i:D2}") with { Timeline = [new TimelineEvent(new PartialDate(2000 + i, 3, 14), $"Today {i}.")] });
        for (var i = 0; i < 12; i++)
            await store.UpsertAsync(TestIncidents.Make($"soon-{i:D2}") with { Timeline = [new TimelineEvent(new PartialDate(2000 + i, 3, 15 + i % 3), $"Soon {i}.")] });
        var deliveries = new SqlDeliveryStore(store.Database, store.Time);
        var digest = new DigestComposer(store.Store, deliveries, new OnThisDay(store.Store));

        var (message, _) = await digest.ComposeAsync(new DateOnly(2026, 3, 14), null, NewSince.LastDay(store.Time.GetUtcNow()), null, CancellationToken.None);

        var today = Assert.Single(message.Sections, s => s.Heading == "On this day").Lines;
        Assert.Equal(9, today.Count);
        Assert.Equal("and 3 more: /onthisday 03-14", today[^1].Text);
        var coming = Assert.Single(message.Sections, s => s.Heading == "Coming up this week").Lines;
        Assert.Equal("and 4 more", coming[^1].Text);
        var fresh = Assert.Single(message.Sections, s => s.Heading == "New in the last 24 hours").Lines;
        Assert.Equal(9, fresh.Count);
        Assert.Equal("and 15 more: /incident list", fresh[^1].Text);
    }

    [Fact]
    public async Task Only_a_channel_that_had_a_digest_hears_about_what_is_new_since_the_last_one()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c1");
        var nineParis = new DateTimeOffset(2026, 2, 4, 9, 0, 0, TimeSpan.FromHours(1));
        f.Store.Time.SetUtcNow(nineParis);

        var (preview, _) = await f.Service.ComposeAsync(BriefingKind.Digest, new DateOnly(2026, 2, 4), null, CancellationToken.None);
        var (first, _) = await f.Service.ComposeAsync(BriefingKind.Digest, new DateOnly(2026, 2, 4), subscription, CancellationToken.None);
        await f.Service.RunDueAsync(subscription.Id, nineParis, CancellationToken.None);
        f.Store.Time.SetUtcNow(nineParis.AddDays(1));
        var (second, _) = await f.Service.ComposeAsync(BriefingKind.Digest, new DateOnly(2026, 2, 5), subscription, CancellationToken.None);

        Assert.Contains(preview!.Sections, s => s.Heading == "New in the last 24 hours");
        Assert.Contains(first!.Sections, s => s.Heading == "New in the last 24 hours");
        Assert.Contains(second!.Sections, s => s.Heading == "New since the last digest");
        Assert.DoesNotContain(preview.Sections.Concat(first.Sections), s => s.Heading.Contains("last digest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Counts_of_one_read_in_the_singular()
    {
        await using var store = await TestStore.CreateAsync();
        var events = Enumerable.Range(1, 7).Select(d => new TimelineEvent(new PartialDate(2020, 5, d), $"Event {d}.")).ToList();
        await store.UpsertAsync(TestIncidents.Make("lonely") with { Timeline = [events[0]] });
        var digest = new DigestComposer(store.Store, new SqlDeliveryStore(store.Database, store.Time), new OnThisDay(store.Store));
        var router = Chat.CoreFixture.CreateRouter(store.Store, store.Time);

        var (briefing, _) = await digest.ComposeAsync(new DateOnly(2026, 5, 1), null, NewSince.LastDay(store.Time.GetUtcNow()), null, CancellationToken.None);
        var list = await router.HandleAsync(new ChatRequest("incident list", ChatContext.Cli), CancellationToken.None);
        var timeline = await router.HandleAsync(new ChatRequest("timeline lonely", ChatContext.Cli), CancellationToken.None);
        var card = IncidentCards.Card(TestIncidents.Make("busy") with { Timeline = events });

        Assert.Equal("1 incident · 1 dated event", briefing.Footer);
        Assert.Equal("1 incident", list.Title);
        Assert.Equal("1 dated event, oldest first", Assert.Single(timeline.Sections).Heading);
        Assert.Equal("+1 more event: press Timeline", Assert.Single(card.Sections).Lines[^1].Text);
    }

    [Fact]
    public async Task One_anniversary_too_many_reads_in_the_singular()
    {
        await using var store = await TestStore.CreateAsync();
        for (var i = 0; i <= OnThisDayCommand.MaxShown; i++)
            await store.UpsertAsync(TestIncidents.Make($"crowded-{i}") with { Timeline = [new TimelineEvent(new PartialDate(2000 + i, 3, 14), $"Event {i}.")] });
        var onThisDay = new OnThisDay(store.Store);

        var note = await new OnThisDayNote(onThisDay).ComposeAsync(new DateOnly(2026, 3, 14), CancellationToken.None);
        var command = OnThisDayCommand.Compose(new CalendarDay(3, 14), await onThisDay.FindAsync(new DateOnly(2026, 3, 14), CancellationToken.None));

        Assert.Equal("1 more anniversary today: /onthisday", note!.Footer);
        Assert.EndsWith("1 more is in the store.", command.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_note_is_posted_only_on_days_with_an_anniversary()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var note = new OnThisDayNote(new OnThisDay(f.Store.Store));

        var anniversary = await note.ComposeAsync(new DateOnly(2026, 2, 4), CancellationToken.None);
        var quiet = await note.ComposeAsync(new DateOnly(2026, 7, 1), CancellationToken.None);

        Assert.StartsWith("3 years ago today", anniversary!.Text, StringComparison.Ordinal);
        Assert.Null(quiet);
    }

    [Fact]
    public async Task A_crowded_day_keeps_the_note_short_and_points_to_the_rest()
    {
        await using var store = await TestStore.CreateAsync();
        for (var i = 0; i < 14; i++)
            await store.UpsertAsync(TestIncidents.Make($"crowded-{i}") with { Timeline = [new TimelineEvent(new PartialDate(2010 + i, 3, 14), $"Event {i}.")] });
        var note = new OnThisDayNote(new OnThisDay(store.Store));

        var message = await note.ComposeAsync(new DateOnly(2026, 3, 14), CancellationToken.None);

        Assert.StartsWith("3 years ago today", message!.Text, StringComparison.Ordinal);
        Assert.Equal(OnThisDayCommand.MaxShown - 1, Assert.Single(message.Sections).Lines.Count);
        Assert.Equal("4 more anniversaries today: /onthisday", message.Footer);
    }
}

public class BriefingCommandTests
{
    [Fact]
    public async Task Subscribing_needs_a_channel_manager()
    {
        await using var f = await BriefingFixture.CreateAsync();

        var refused = await f.AskAsync("briefing subscribe digest 09:00 Europe/Paris", admin: false);

        Assert.Contains("only people who can manage", refused.Text, StringComparison.Ordinal);
        Assert.Empty(await f.Subscriptions.ListAsync(null, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task Subscribe_status_preview_and_unsubscribe()
    {
        await using var f = await BriefingFixture.CreateAsync();

        var subscribed = await f.AskAsync("briefing subscribe digest 07:30 America/New_York");
        var status = await f.AskAsync("briefing status", admin: false);
        var preview = await f.AskAsync("briefing preview digest", admin: false);
        var unsubscribed = await f.AskAsync("briefing unsubscribe digest");

        Assert.Contains("07:30 America/New_York", subscribed.Text, StringComparison.Ordinal);
        Assert.Contains(Assert.Single(status.Sections).Lines, l => l.Label == "digest" && l.Text.StartsWith("07:30 America/New_York · next ", StringComparison.Ordinal));
        Assert.True(preview.Ephemeral);
        Assert.StartsWith("Briefing — ", preview.Title, StringComparison.Ordinal);
        Assert.Equal("Unsubscribed", unsubscribed.Title);
        Assert.Empty(await f.Subscriptions.ListAsync(null, null, null, CancellationToken.None));
    }

    [Theory]
    [InlineData("briefing subscribe digest 09:00 Mars/Olympus_Mons", "time zone")]
    [InlineData("briefing subscribe digest 25:99", "time zone")]
    [InlineData("briefing subscribe weekly", "not a briefing")]
    [InlineData("briefing", "Use: /briefing")]
    [InlineData("briefing explode", "Use: /briefing")]
    public async Task Bad_arguments_get_a_clear_answer(string text, string expected)
    {
        await using var f = await BriefingFixture.CreateAsync();

        var message = await f.AskAsync(text);

        Assert.Contains(expected, message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_says_when_each_briefing_was_last_posted()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c1");
        var nineParis = new DateTimeOffset(2026, 2, 4, 9, 0, 0, TimeSpan.FromHours(1));
        f.Store.Time.SetUtcNow(nineParis);

        var before = await f.AskAsync("briefing status");
        await f.Service.RunDueAsync(subscription.Id, nineParis, CancellationToken.None);
        var after = await f.AskAsync("briefing status");

        Assert.EndsWith(" · not posted yet", Assert.Single(Assert.Single(before.Sections).Lines).Text, StringComparison.Ordinal);
        Assert.EndsWith(" · last posted Wed 4 Feb, 09:00", Assert.Single(Assert.Single(after.Sections).Lines).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_workspace_never_sees_or_changes_anothers_subscriptions()
    {
        await using var f = await BriefingFixture.CreateAsync();
        await f.AskAsync("briefing subscribe digest", workspace: "w-a", channel: "c1");

        var otherStatus = await f.AskAsync("briefing status", workspace: "w-b", channel: "c1");
        var otherRemove = await f.AskAsync("briefing unsubscribe digest", workspace: "w-b", channel: "c1");

        Assert.Contains("No briefings are scheduled", otherStatus.Text, StringComparison.Ordinal);
        Assert.Contains("had no", otherRemove.Text, StringComparison.Ordinal);
        Assert.Single(await f.Subscriptions.ListAsync("test", "w-a", "c1", CancellationToken.None));
    }
}

public class OutboxTests
{
    private static readonly DateTimeOffset NineParis = new(2026, 2, 4, 9, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task A_due_digest_is_written_then_sent_once_even_when_run_twice()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c1");
        f.Store.Time.SetUtcNow(NineParis);

        await f.Service.RunDueAsync(subscription.Id, NineParis, CancellationToken.None);
        await f.Service.RunDueAsync(subscription.Id, NineParis, CancellationToken.None);
        await f.Service.RetryDueAsync(CancellationToken.None);

        var post = Assert.Single(f.Sender.Posts);
        Assert.False(post.Uncertain);
        var delivery = await f.Deliveries.GetAsync(post.Delivery, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Sent, delivery!.Status);
        Assert.Equal(new DateOnly(2026, 2, 4), delivery.LocalDate);
    }

    [Fact]
    public async Task A_platform_down_for_ten_minutes_still_gets_every_digest_once()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscriptions = new List<Subscription>();
        for (var i = 0; i < 20; i++) subscriptions.Add(await f.SubscribeAsync($"c{i}"));
        f.Store.Time.SetUtcNow(NineParis);
        var recoversAt = NineParis.AddMinutes(10);
        f.Sender.Failure = () => f.Store.Time.GetUtcNow() < recoversAt ? new HttpRequestException("HTTP 500") : null;

        foreach (var s in subscriptions) await f.Service.RunDueAsync(s.Id, NineParis, CancellationToken.None);
        for (var minute = 0; minute < 60; minute++)
        {
            f.Store.Time.Advance(TimeSpan.FromMinutes(1));
            await f.Service.RetryDueAsync(CancellationToken.None);
        }

        Assert.Equal(20, f.Sender.Posts.Count);
        Assert.Equal(20, f.Sender.Posts.Select(p => p.Channel).Distinct().Count());
    }

    [Fact]
    public async Task A_permanent_error_stops_retries_and_shows_in_status()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c1");
        f.Store.Time.SetUtcNow(NineParis);
        f.Sender.Failure = () => new PermanentDeliveryException("channel not found");

        await f.Service.RunDueAsync(subscription.Id, NineParis, CancellationToken.None);
        f.Store.Time.Advance(TimeSpan.FromHours(1));
        f.Sender.Failure = () => null;
        await f.Service.RetryDueAsync(CancellationToken.None);
        var status = await f.AskAsync("briefing status");

        Assert.Empty(f.Sender.Posts);
        Assert.Contains("failing since", Assert.Single(status.Sections).Lines[0].Text, StringComparison.Ordinal);
        Assert.Contains("channel not found", Assert.Single(status.Sections).Lines[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crash_after_claiming_makes_the_next_send_uncertain_so_the_sender_can_check()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c1");
        f.Store.Time.SetUtcNow(NineParis);
        var delivery = await f.Deliveries.GetOrCreateAsync(subscription.Id, new DateOnly(2026, 2, 4),
            () => f.Service.ComposeAsync(BriefingKind.Digest, new DateOnly(2026, 2, 4), subscription, CancellationToken.None), CancellationToken.None);
        // The process claimed the delivery and died before marking it sent.
        Assert.True(await f.Deliveries.TryClaimAsync(delivery.Id, NineParis, NineParis.AddMinutes(2), CancellationToken.None));

        f.Store.Time.Advance(TimeSpan.FromMinutes(3));
        await f.Service.RetryDueAsync(CancellationToken.None);

        var post = Assert.Single(f.Sender.Posts);
        Assert.True(post.Uncertain);
    }

    [Fact]
    public async Task After_downtime_a_recent_digest_is_posted_late_and_an_old_one_is_skipped()
    {
        await using var f = await BriefingFixture.CreateAsync();
        await f.SubscribeAsync("recent");
        var old = await f.SubscribeAsync("old", zone: "Asia/Tokyo");

        // Back up at 13:00 Paris the next day: Paris's 09:00 is 4 hours back; Tokyo's 09:00 was 12 hours ago.
        f.Store.Time.SetUtcNow(NineParis.AddDays(1).AddHours(4));
        await f.Service.CatchUpAsync(CancellationToken.None);

        Assert.Equal("recent", Assert.Single(f.Sender.Posts).Channel);
        Assert.True(await f.Deliveries.ExistsAsync(old.Id, new DateOnly(2026, 2, 5), CancellationToken.None));
    }

    [Fact]
    public async Task The_history_lists_deliveries_newest_first_with_their_channel_status_and_error()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var good = await f.SubscribeAsync("c-good");
        var bad = await f.SubscribeAsync("c-bad", BriefingKind.OnThisDay);
        f.Store.Time.SetUtcNow(NineParis);
        await f.Service.RunDueAsync(good.Id, NineParis, CancellationToken.None);
        f.Sender.Failure = () => new PermanentDeliveryException("channel not found");
        await f.Service.RunDueAsync(bad.Id, NineParis, CancellationToken.None);
        f.Sender.Failure = () => null;
        f.Store.Time.SetUtcNow(NineParis.AddDays(1));
        await f.Service.RunDueAsync(good.Id, NineParis.AddDays(1), CancellationToken.None);

        var all = await f.Deliveries.RecentAsync(null, 10, CancellationToken.None);
        var onlyBad = await f.Deliveries.RecentAsync("c-bad", 10, CancellationToken.None);
        var newest = await f.Deliveries.RecentAsync(null, 1, CancellationToken.None);

        Assert.Equal([new DateOnly(2026, 2, 5), new DateOnly(2026, 2, 4), new DateOnly(2026, 2, 4)], all.Select(r => r.Delivery.LocalDate));
        Assert.Equal(("c-good", BriefingKind.Digest, DeliveryStatus.Sent, 1), (all[0].Channel, all[0].Kind, all[0].Delivery.Status, all[0].Delivery.Attempts));
        Assert.Equal(NineParis.AddDays(1), all[0].Delivery.SentAt);
        var failed = Assert.Single(onlyBad);
        Assert.Equal((BriefingKind.OnThisDay, DeliveryStatus.Failed, "channel not found", "Europe/Paris"), (failed.Kind, failed.Delivery.Status, failed.Delivery.LastError, failed.TimeZone));
        Assert.Null(failed.Delivery.SentAt);
        Assert.Equal(all[0].Delivery.Id, Assert.Single(newest).Delivery.Id);
    }

    [Fact]
    public async Task An_on_this_day_note_on_a_quiet_day_posts_nothing()
    {
        await using var f = await BriefingFixture.CreateAsync();
        var subscription = await f.SubscribeAsync("c1", BriefingKind.OnThisDay);
        var quietNine = new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.FromHours(2));
        f.Store.Time.SetUtcNow(quietNine);

        await f.Service.RunDueAsync(subscription.Id, quietNine, CancellationToken.None);

        Assert.Empty(f.Sender.Posts);
    }
}
