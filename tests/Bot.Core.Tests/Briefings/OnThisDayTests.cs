using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Tests.Chat;
using Bot.Testing;

namespace Bot.Core.Tests.Briefings;

public class OnThisDayTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [Fact]
    public async Task Shows_day_precise_anniversaries_with_years_ago()
    {
        // The fixture's clock says 4 February 2026.
        var message = await core.AskAsync("onthisday 02-04");

        Assert.Equal(MessageKind.Card, message.Kind);
        var line = Assert.Single(Assert.Single(message.Sections).Lines);
        Assert.Equal("3 years ago", line.Label);
        Assert.Contains("(2023)", line.Text, StringComparison.Ordinal);
        Assert.Equal("balloon", message.IncidentSlug);
    }

    [Fact]
    public async Task Without_a_date_it_uses_today_in_the_channel_time_zone()
    {
        var fromUtc = await core.AskAsync("onthisday");
        // 08:00 UTC on 4 February is still 3 February in Honolulu.
        var honolulu = await core.Router.HandleAsync(
            new ChatRequest("onthisday", ChatContext.Cli with { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Honolulu") }),
            CancellationToken.None);

        Assert.Contains("4 February", fromUtc.Title, StringComparison.Ordinal);
        Assert.Contains("3 February", honolulu.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crowded_day_shows_the_most_recent_ten_and_says_how_many_more()
    {
        var anniversaries = Enumerable.Range(0, 25)
            .Select(i => new Anniversary(new IncidentEvent($"incident-{i}", $"Incident {i}", "Cyber",
                new TimelineEvent(PartialDate.Parse($"{2025 - i}-02-04"), $"Event {i}")), 1 + i))
            .ToList();

        var message = OnThisDayCommand.Compose(new CalendarDay(2, 4), anniversaries);

        var lines = Assert.Single(message.Sections).Lines;
        Assert.Equal(OnThisDayCommand.MaxShown, lines.Count);
        Assert.Equal("1 year ago", lines[0].Label);
        Assert.Contains("15 more", message.Footer, StringComparison.Ordinal);
        Assert.Contains("of 25", message.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_day_says_so()
    {
        var message = await core.AskAsync("onthisday 07-01");

        Assert.Equal(MessageKind.Notice, message.Kind);
        Assert.Contains("Nothing in the store happened on 1 July", message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("13-01")]
    [InlineData("02-30")]
    [InlineData("tomorrow")]
    [InlineData("' OR 1=1")]
    public async Task A_date_that_is_not_a_calendar_day_gets_usage_help(string date)
    {
        var message = await core.AskAsync($"onthisday {date}");

        Assert.Equal(MessageKind.Error, message.Kind);
        Assert.Contains("MM-DD", message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("02-04", 2, 4)]
    [InlineData("2-4", 2, 4)]
    [InlineData("02/04", 2, 4)]
    [InlineData("4 February", 2, 4)]
    [InlineData("Feb 4", 2, 4)]
    [InlineData("02-29", 2, 29)]
    public void Accepts_common_ways_of_writing_a_day(string text, int month, int day)
    {
        Assert.True(OnThisDayCommand.TryParseDay(text, out var parsed));
        Assert.Equal(new CalendarDay(month, day), parsed);
    }

    [Fact]
    public async Task Month_and_year_precise_events_never_count_as_anniversaries()
    {
        await using var store = await TestStore.CreateAsync();
        await store.UpsertAsync(TestIncidents.Make("vague") with
        {
            Timeline =
            [
                new TimelineEvent(new PartialDate(2022, 11), "Something in November."),
                new TimelineEvent(new PartialDate(2019), "Something in 2019."),
                new TimelineEvent(new PartialDate(2021, 11, 1), "Something on 1 November."),
            ],
        });

        var found = await new OnThisDay(store.Store).FindAsync(new DateOnly(2026, 11, 1), CancellationToken.None);

        var anniversary = Assert.Single(found);
        Assert.Equal("Something on 1 November.", anniversary.Event.Event.Text);
        Assert.Equal(5, anniversary.YearsAgo);
    }

    [Fact]
    public async Task Leap_day_events_are_remembered_on_28_February_in_other_years()
    {
        await using var store = await TestStore.CreateAsync();
        await store.UpsertAsync(TestIncidents.Make("leap") with
        {
            Timeline = [new TimelineEvent(new PartialDate(2024, 2, 29), "Leap-day event.")],
        });
        var onThisDay = new OnThisDay(store.Store);

        var nonLeapYear = await onThisDay.FindAsync(new DateOnly(2025, 2, 28), CancellationToken.None);
        var leapYear28 = await onThisDay.FindAsync(new DateOnly(2028, 2, 28), CancellationToken.None);
        var leapYear29 = await onThisDay.FindAsync(new DateOnly(2028, 2, 29), CancellationToken.None);

        Assert.Single(nonLeapYear);
        Assert.Empty(leapYear28);
        Assert.Single(leapYear29);
    }
}
