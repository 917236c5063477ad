using Bot.Core.Chat;
using Bot.Core.Tests.Chat;

namespace Bot.Core.Tests.Incidents;

public class IncidentCommandTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [Theory]
    [InlineData("balloon", "balloon")]
    [InlineData("BALLOON", "balloon")]
    [InlineData("baloon", "balloon")]
    [InlineData("ballon", "balloon")]
    [InlineData("spy balloon", "balloon")]
    [InlineData("spy airship", "balloon")]
    [InlineData("hikvision", "surveillance-cameras")]
    [InlineData("hikvison", "surveillance-cameras")]
    [InlineData("Dahua", "surveillance-cameras")]
    [InlineData("xu yanjun", "xu-yanjun")]
    [InlineData("Xu-Yanjun", "xu-yanjun")]
    [InlineData("ji chaoqun", "ji-chaoqun")]
    [InlineData("wei sun", "wei-sun")]
    [InlineData("huawei", "huawei-zte")]
    [InlineData("tiktok", "tiktok")]
    [InlineData("tik tok", "tiktok")]
    [InlineData("bytedance", "tiktok")]
    [InlineData("police stations", "police-stations")]
    [InlineData("chip export controls", "chip-export-controls")]
    [InlineData("bali", "bali-meeting")]
    public async Task Finds_the_incident_by_slug_alias_title_words_or_a_typo(string query, string slug)
    {
        var message = await core.AskAsync($"incident {query}");

        Assert.Equal(MessageKind.Card, message.Kind);
        Assert.Equal(slug, message.IncidentSlug);
        Assert.False(message.Ephemeral);
    }

    [Fact]
    public async Task The_card_carries_summary_dates_actors_timeline_sources_and_buttons()
    {
        var card = await core.AskAsync("incident balloon");

        Assert.Equal("🎈", card.Emoji);
        Assert.Contains("balloon", card.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Airspace", card.Badges[0]);
        Assert.Contains("South Carolina", card.Text, StringComparison.Ordinal);
        Assert.Contains(card.Fields, f => f.Name == "When");
        Assert.Contains(card.Fields, f => f.Name == "Who");
        var timeline = Assert.Single(card.Sections, s => s.Heading == "Timeline");
        Assert.Contains(timeline.Lines, l => l.Label == "4 Feb 2023");
        Assert.Contains(card.Sources, s => s.Text.StartsWith("RFI", StringComparison.Ordinal));
        Assert.Equal(["timeline balloon", "sources balloon", "related balloon"], card.Buttons.Select(b => b.Command));
    }

    [Theory]
    [InlineData("chinese")]
    [InlineData("surveillance")]
    public async Task A_query_matching_several_incidents_lists_the_candidates(string query)
    {
        var message = await core.AskAsync($"incident {query}");

        Assert.Equal(MessageKind.Notice, message.Kind);
        Assert.True(message.Ephemeral);
        var candidates = Assert.Single(message.Sections).Lines;
        Assert.True(candidates.Count >= 2);
        Assert.All(message.Buttons, b => Assert.StartsWith("incident ", b.Command, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_query_says_so_and_suggests_the_closest()
    {
        var message = await core.AskAsync("incident ballooning spies in antarctica");

        Assert.Equal(MessageKind.Notice, message.Kind);
        Assert.True(message.Ephemeral);
        Assert.Contains("Nothing in the store matches", message.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("NEAR(")]
    [InlineData("balloon' OR 1=1 --")]
    [InlineData("'; DROP TABLE incidents; --")]
    [InlineData("🎈🎈🎈")]
    [InlineData("\"balloon\" AND \"huawei\"")]
    [InlineData("balloon*")]
    [InlineData("^balloon")]
    [InlineData("العربية 中文 Ελληνικά")]
    public async Task Odd_input_gets_a_helpful_answer_and_never_an_exception(string query)
    {
        var message = await core.AskAsync($"incident {query}");

        Assert.False(string.IsNullOrWhiteSpace(message.Text ?? message.Title));
        Assert.DoesNotContain("went wrong", message.Text ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ten_thousand_character_query_is_answered()
    {
        var message = await core.AskAsync("incident " + string.Concat(Enumerable.Repeat("balloon ", 1250)));

        // Only the first 200 characters are read: "balloon balloon …" still names the balloon.
        Assert.Equal("balloon", message.IncidentSlug);
    }

    [Fact]
    public async Task The_store_survives_sql_looking_queries()
    {
        await core.AskAsync("incident '; DROP TABLE incidents; --");

        Assert.Equal(12, (await core.Store.Store.GetStatsAsync(CancellationToken.None)).Incidents);
    }

    [Fact]
    public async Task List_shows_every_incident_and_filters_by_category()
    {
        var all = await core.AskAsync("incident list");
        var telecom = await core.AskAsync("incidents telecom");

        Assert.Equal(12, Assert.Single(all.Sections).Lines.Count);
        Assert.Contains(Assert.Single(telecom.Sections).Lines, l => l.Label == "huawei-zte");
        Assert.All(Assert.Single(telecom.Sections).Lines, l => Assert.StartsWith("📡", l.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_long_list_says_how_many_it_leaves_out_and_how_to_narrow_it_with_a_command_every_platform_has()
    {
        await using var store = await Bot.Testing.TestStore.CreateAsync();
        for (var i = 0; i < 53; i++) await store.UpsertAsync(Bot.Testing.TestIncidents.Make($"many-{i:D2}"));
        var router = CoreFixture.CreateRouter(store.Store, store.Time);

        var message = await router.HandleAsync(new ChatRequest("incident list", ChatContext.Cli), CancellationToken.None);

        Assert.Equal(50, Assert.Single(message.Sections).Lines.Count);
        Assert.Contains("3 more", message.Footer, StringComparison.Ordinal);
        Assert.Contains("/incident list <category>", message.Footer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_category_lists_the_real_ones()
    {
        var message = await core.AskAsync("incident list sports");

        Assert.Equal(MessageKind.Error, message.Kind);
        Assert.Contains("Telecom", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_lists_the_dated_events_oldest_first()
    {
        var message = await core.AskAsync("timeline balloon");

        var labels = Assert.Single(message.Sections).Lines.Select(l => l.Label).ToList();
        Assert.Equal("2021", labels[0]);
        Assert.Equal(["2 Feb 2023", "4 Feb 2023", "5 Feb 2023", "8 Feb 2023"], labels.Skip(1).Take(4));
    }

    [Fact]
    public async Task Sources_and_related_answer_the_card_buttons()
    {
        var sources = await core.AskAsync("sources police-stations");
        var related = await core.AskAsync("related balloon");

        Assert.Contains(sources.Sources, s => s.Text.Contains("Condominas", StringComparison.Ordinal));
        Assert.NotEmpty(Assert.Single(sources.Sections, s => s.Heading == "Quoted").Lines);
        Assert.NotEmpty(Assert.Single(related.Sections).Lines);
        Assert.All(related.Buttons, b => Assert.StartsWith("incident ", b.Command, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_button_on_a_card_leads_to_a_card()
    {
        var card = await core.AskAsync("incident balloon");

        foreach (var button in card.Buttons)
            Assert.Equal(MessageKind.Card, (await core.AskAsync(button.Command)).Kind);
    }
}
