using System.Net;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests.Content;

/// <summary>"Add to incident" on a message: its text, date and permalink fill a modal whose incident menu searches as people type.</summary>
public class MessageShortcutTests(ContentFixture fixture) : IClassFixture<ContentFixture>
{
    // 6 February 2023, 00:00:00 UTC.
    private const string MessageTs = "1675641600.000200";

    private Task<SlackOpenedView> ShortcutAsync(string ts, string userId = ContentFixture.Admin) =>
        fixture.OpensViewAsync(async () =>
        {
            using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.MessageShortcut(fixture.Interactivity, "add_to_incident", ts, userId: userId));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        });

    [Fact]
    public async Task The_message_becomes_a_dated_event_with_its_permalink_as_the_source()
    {
        var ts = fixture.Slack.PostUserMessage("Debris recovered off <https://example.org/debris|the coast> &amp; analysed by <@U0BOB>", ts: MessageTs);
        var permalink = fixture.Slack.PermalinkFor(FakeSlackServer.DefaultChannelId, ts);

        var view = await ShortcutAsync(ts);

        var lookup = fixture.Slack.Calls.Last(c => c.Method == "chat.getPermalink");
        Assert.Contains("message_ts=1675641600.000200", lookup.Body, StringComparison.Ordinal);
        Assert.Contains($"channel={FakeSlackServer.DefaultChannelId}", lookup.Body, StringComparison.Ordinal);
        Assert.Equal("Add to incident", view.Title);
        Assert.Equal("Debris recovered off the coast (https://example.org/debris) & analysed by @U0BOB", view.InitialValues["text"]);
        Assert.Equal("2023-02-06", view.InitialValues["date"]);
        Assert.Equal(permalink, view.InitialValues["link"]);
        var picker = ContentFixture.Element(view, "incident");
        Assert.Equal("external_select", picker.GetProperty("type").GetString());
        Assert.Equal("value", picker.GetProperty("action_id").GetString());
        Assert.Equal(0, picker.GetProperty("min_query_length").GetInt32());

        var ack = await fixture.SubmitAsync(view, ContentFixture.Filled(view, ("incident", "balloon")));

        Assert.Equal("", ack);
        await fixture.EphemeralAsync(ContentFixture.Admin, "Added the event of");
        var balloon = (await fixture.IncidentAsync("balloon"))!;
        Assert.Contains(balloon.Timeline, e => e.Text.StartsWith("Debris recovered off the coast", StringComparison.Ordinal) && e.Date.ToString() == "2023-02-06");
        Assert.Contains(balloon.Sources, s => s.Url == permalink);
    }

    [Fact]
    public async Task The_incident_menu_is_answered_with_matching_incidents()
    {
        var view = await ShortcutAsync(fixture.Slack.PostUserMessage("TikTok hearing moved"));

        using var typed = await fixture.Bot.Http.SendAsync(fixture.Slack.BlockSuggestion(fixture.Interactivity, view, "incident", "tikt"));
        using var empty = await fixture.Bot.Http.SendAsync(fixture.Slack.BlockSuggestion(fixture.Interactivity, view, "incident", ""));

        Assert.StartsWith("application/json", typed.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var options = Options(await typed.Content.ReadAsStringAsync());
        Assert.Contains(options, o => o.Value == "tiktok");
        var all = Options(await empty.Content.ReadAsStringAsync());
        Assert.InRange(all.Count, 10, 25);
        Assert.All(all, o => Assert.InRange(o.Text.Length, 1, 75));
    }

    [Fact]
    public async Task A_permalink_Slack_will_not_give_leaves_the_link_out()
    {
        var ts = fixture.Slack.PostUserMessage("Hearing postponed");
        fixture.Slack.Script("chat.getPermalink", ScriptedSlackResponse.Error("channel_not_found"));

        var view = await ShortcutAsync(ts);

        Assert.Equal("Hearing postponed", view.InitialValues["text"]);
        Assert.False(view.InitialValues.ContainsKey("link"));
    }

    [Fact]
    public async Task Someone_who_is_no_editor_is_told_so_through_response_url_and_no_modal_opens()
    {
        var ts = fixture.Slack.PostUserMessage("Not mine to add");
        var viewsBefore = fixture.Slack.OpenedViews.Count;
        var posts = fixture.Slack.Messages.Count;

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.MessageShortcut(fixture.Interactivity, "add_to_incident", ts, userId: ContentFixture.Reader));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var told = await Eventually.HoldsAsync(
            () => fixture.Slack.Messages.Skip(posts).FirstOrDefault(m => m.Method == FakeSlackServer.ResponseUrlMethod && m.Body.GetRawText().Contains("Only editors", StringComparison.Ordinal)),
            "the refusal");
        Assert.Equal("ephemeral", told.Body.GetProperty("response_type").GetString());
        Assert.Equal(viewsBefore, fixture.Slack.OpenedViews.Count);
    }

    private static List<(string Text, string Value)> Options(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("options").EnumerateArray()
            .Select(o => (o.GetProperty("text").GetProperty("text").GetString()!, o.GetProperty("value").GetString()!))
            .ToList();
    }
}
