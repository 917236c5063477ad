using System.Text.Json;
using Bot.Core.Incidents.Import;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests.Content;

/// <summary>Editors add and correct incidents through Slack modals opened from /incident and from buttons.</summary>
public class FormTests(ContentFixture fixture) : IClassFixture<ContentFixture>
{
    private const string Admin = ContentFixture.Admin;

    [Fact]
    public async Task New_opens_a_modal_whose_submission_creates_the_incident()
    {
        var ack = "";
        var view = await fixture.OpensViewAsync(async () => ack = await fixture.SlashAsync("/incident", "new", Admin));

        // An empty acknowledgement posts nothing: the modal is the answer.
        Assert.Equal("", ack);
        var call = fixture.Slack.Calls.Last(c => c.Method == "views.open");
        Assert.Equal("Bearer xoxb-fake", call.Headers["Authorization"]);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        Assert.Equal("bot_form", view.CallbackId);
        Assert.Equal("New incident", view.Title);
        Assert.Equal("Save", view.View.GetProperty("submit").GetProperty("text").GetString());
        Assert.Equal("Cancel", view.View.GetProperty("close").GetProperty("text").GetString());
        Assert.Equal(["title", "slug", "category", "summary", "aliases"], view.Inputs.Keys);
        Assert.All(view.Inputs.Values, input =>
        {
            Assert.Equal("plain_text_input", input.GetProperty("element").GetProperty("type").GetString());
            Assert.Equal("value", input.GetProperty("element").GetProperty("action_id").GetString());
        });
        Assert.Equal(200, ContentFixture.Element(view, "title").GetProperty("max_length").GetInt32());
        Assert.True(ContentFixture.Element(view, "summary").GetProperty("multiline").GetBoolean());
        Assert.True(view.Inputs["slug"].GetProperty("optional").GetBoolean());
        Assert.False(view.Inputs["title"].GetProperty("optional").GetBoolean());
        using (var metadata = JsonDocument.Parse(view.PrivateMetadata!))
        {
            Assert.Equal("incident save new", metadata.RootElement.GetProperty("command").GetString());
            Assert.Equal(FakeSlackServer.DefaultChannelId, metadata.RootElement.GetProperty("channel").GetString());
        }

        var closed = await fixture.SubmitAsync(view, new Dictionary<string, string?>
        {
            ["title"] = "Drone over a naval base",
            ["slug"] = null,
            ["category"] = "Airspace",
            ["summary"] = "A drone circled the base.",
            ["aliases"] = "base drone",
        });

        Assert.Equal("", closed);
        var posted = await fixture.EphemeralAsync(Admin, "Created drone-over-a-naval-base");
        Assert.Equal(FakeSlackServer.DefaultChannelId, posted.Channel);
        var card = await fixture.AnswerAsync("/incident", "drone-over-a-naval-base", ContentFixture.Reader);
        Assert.Contains("Drone over a naval base", card, StringComparison.Ordinal);
        var audit = await fixture.IncidentAsync("drone-over-a-naval-base");
        Assert.NotNull(audit);
    }

    [Fact]
    public async Task A_title_over_the_limit_keeps_the_modal_open_with_the_error_under_the_title()
    {
        var view = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "new", Admin));

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.ViewSubmission(fixture.Interactivity, view, new Dictionary<string, string?>
        {
            ["title"] = new string('t', 250),
            ["category"] = "Airspace",
            ["summary"] = "Too long a title.",
        }));

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("errors", body.RootElement.GetProperty("response_action").GetString());
        var errors = body.RootElement.GetProperty("errors");
        Assert.Equal("The title is longer than 200 characters.", errors.GetProperty("title").GetString());
        Assert.Single(errors.EnumerateObject());
        Assert.Null(await fixture.IncidentAsync("tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"));
    }

    [Fact]
    public async Task Edit_opens_the_modal_filled_in_with_the_incident_as_it_is()
    {
        var view = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "edit balloon", Admin));

        Assert.Equal("Edit balloon", view.Title);
        Assert.Equal("Chinese surveillance balloon over the United States", view.InitialValues["title"]);
        Assert.Equal("Airspace", view.InitialValues["category"]);
        Assert.StartsWith("A Chinese high-altitude", view.InitialValues["summary"], StringComparison.Ordinal);
        using var metadata = JsonDocument.Parse(view.PrivateMetadata!);
        Assert.StartsWith("incident save edit balloon ", metadata.RootElement.GetProperty("command").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edit_saved_over_a_newer_one_is_refused_and_the_newer_version_posted_to_the_editor()
    {
        var first = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "edit tiktok", Admin));
        var second = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "edit tiktok", Admin));

        Assert.Equal("", await fixture.SubmitAsync(first, ContentFixture.Filled(first, ("status", "First."))));
        await fixture.EphemeralAsync(Admin, "Saved tiktok");
        var late = await fixture.SubmitAsync(second, ContentFixture.Filled(second, ("status", "Second.")));

        Assert.Equal("", late);
        var refused = await fixture.EphemeralAsync(Admin, "changed since you opened it");
        Assert.Contains("First.", refused.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("First.", (await fixture.IncidentAsync("tiktok"))!.Status);
    }

    [Fact]
    public async Task A_form_is_never_a_reused_answer_even_from_a_command_whose_answers_are_cached()
    {
        var first = await fixture.OpensViewAsync(() => fixture.SlashAsync("/form", "", Admin));
        var second = await fixture.OpensViewAsync(() => fixture.SlashAsync("/form", "", Admin));

        Assert.NotEqual(first.TriggerId, second.TriggerId);
        Assert.Equal("A form", second.Title);
    }

    [Fact]
    public async Task A_button_whose_answer_is_a_form_opens_it_with_the_clicks_trigger()
    {
        var view = await fixture.OpensViewAsync(async () =>
            (await fixture.Bot.Http.SendAsync(fixture.Slack.BlockActions(fixture.Interactivity, "cmd-0", "incident edit police-stations", userId: Admin))).Dispose());

        Assert.Equal("Edit police-stations", view.Title);
        Assert.Equal(Admin, view.UserId);
    }

    [Theory]
    [InlineData("expired trigger")]
    [InlineData("API error")]
    public async Task When_Slack_will_not_open_the_modal_the_person_is_told_through_response_url(string failure)
    {
        var responseUrl = fixture.Slack.CreateResponseUrl();
        using var request = fixture.Slack.SlashCommand(fixture.Commands, "/incident", "new", userId: Admin, responseUrl: responseUrl);
        if (failure == "API error") fixture.Slack.Script("views.open", ScriptedSlackResponse.Error("internal_error"));
        // The trigger in the request is older than Slack's 3 seconds by the time the bot uses it.
        else fixture.Slack.Clock.Advance(FakeSlackServer.TriggerLifetime + TimeSpan.FromSeconds(1));

        using var response = await fixture.Bot.Http.SendAsync(request);

        Assert.Equal("", await response.Content.ReadAsStringAsync());
        var told = await Eventually.HoldsAsync(
            () => fixture.Slack.Calls.FirstOrDefault(c => c.Path == new Uri(responseUrl).AbsolutePath), "the form's text through response_url");
        Assert.Contains("Fill in the new incident", told.Body, StringComparison.Ordinal);
        Assert.Contains("\"response_type\":\"ephemeral\"", told.Body, StringComparison.Ordinal);
        Assert.Contains(fixture.Slack.Calls, c => c.Method == "views.open" && c.ResponseBody.Contains(failure == "API error" ? "internal_error" : "expired_trigger_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Team_text_is_rendered_inert_wherever_it_is_shown()
    {
        const string hostile = "<!channel> <@U123> *bold* & < >";
        var view = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "new", Admin));
        await fixture.SubmitAsync(view, new Dictionary<string, string?>
        {
            ["title"] = "Ping " + hostile,
            ["slug"] = "ping-everyone",
            ["category"] = "Cyber",
            ["summary"] = "Summary " + hostile,
            ["aliases"] = null,
        });
        var created = await fixture.EphemeralAsync(Admin, "Created ping-everyone");

        var card = await fixture.AnswerAsync("/incident", "ping-everyone", ContentFixture.Reader);

        foreach (var json in new[] { card, created.Body.GetRawText() })
        {
            using var document = JsonDocument.Parse(json);
            var mrkdwn = MrkdwnTexts(document.RootElement).Append(document.RootElement.GetProperty("text").GetString()!).ToList();
            Assert.Contains(mrkdwn, t => t.Contains("&lt;!channel&gt; &lt;@U123&gt; *bold* &amp; &lt; &gt;", StringComparison.Ordinal));
            Assert.All(mrkdwn, t =>
            {
                Assert.DoesNotContain("<!channel>", t, StringComparison.Ordinal);
                Assert.DoesNotContain("<@U123>", t, StringComparison.Ordinal);
            });
        }
    }

    /// <summary>Every mrkdwn text object in a message, the only kind Slack parses for mentions.</summary>
    private static IEnumerable<string> MrkdwnTexts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object when element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "mrkdwn" =>
            [element.GetProperty("text").GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => MrkdwnTexts(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(MrkdwnTexts),
        _ => [],
    };
}

/// <summary>Who may edit: workspace admins and owners, people in Content:EditorUserIds, and nobody else.</summary>
public class EditorRightsTests(ContentFixture fixture) : IClassFixture<ContentFixture>
{
    [Fact]
    public async Task Someone_who_is_no_editor_is_refused_and_nothing_changes()
    {
        var viewsBefore = fixture.Slack.OpenedViews.Count;

        var refused = await fixture.AnswerAsync("/incident", "new", ContentFixture.Reader);

        Assert.Contains("Only editors can change incidents", refused, StringComparison.Ordinal);
        Assert.Contains("\"response_type\":\"ephemeral\"", refused, StringComparison.Ordinal);
        Assert.Equal(viewsBefore, fixture.Slack.OpenedViews.Count);
    }

    [Fact]
    public async Task A_modal_submitted_by_someone_who_is_no_editor_changes_nothing()
    {
        var view = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "edit huawei-zte", ContentFixture.Admin));
        var before = await fixture.IncidentAsync("huawei-zte");

        var ack = await fixture.SubmitAsync(view, ContentFixture.Filled(view, ("status", "Changed by a reader.")), ContentFixture.Reader);

        Assert.Equal("", ack);
        await fixture.EphemeralAsync(ContentFixture.Reader, "Only editors can change incidents");
        Assert.Equal(IncidentJson.Serialize(before!), IncidentJson.Serialize((await fixture.IncidentAsync("huawei-zte"))!));
    }

    [Fact]
    public async Task A_user_listed_in_Content_EditorUserIds_may_edit_without_being_an_admin()
    {
        Assert.DoesNotContain(ContentFixture.ListedEditor, fixture.Slack.AdminUserIds);

        var view = await fixture.OpensViewAsync(() => fixture.SlashAsync("/incident", "edit huawei-zte", ContentFixture.ListedEditor));
        await fixture.SubmitAsync(view, ContentFixture.Filled(view, ("status", "Checked by the listed editor.")), ContentFixture.ListedEditor);

        await fixture.EphemeralAsync(ContentFixture.ListedEditor, "Saved huawei-zte");
        Assert.Equal("Checked by the listed editor.", (await fixture.IncidentAsync("huawei-zte"))!.Status);
    }

    [Fact]
    public async Task Ordinary_commands_never_ask_Slack_who_the_asker_is()
    {
        var before = fixture.Slack.Calls.Count(c => c.Method == "users.info");

        await fixture.SlashAsync("/incident", "balloon", "U0NEWCOMER");
        await fixture.SlashAsync("/incident", "history balloon", "U0NEWCOMER");

        Assert.Equal(before, fixture.Slack.Calls.Count(c => c.Method == "users.info"));
    }
}

/// <summary>Content:EditorWorkspaces narrows who may edit to the workspaces it names.</summary>
public class EditorWorkspaceTests(OtherWorkspaceContentFixture fixture) : IClassFixture<OtherWorkspaceContentFixture>
{
    [Fact]
    public async Task Even_an_admin_of_a_workspace_not_listed_is_refused()
    {
        var refused = await fixture.AnswerAsync("/incident", "edit balloon", ContentFixture.Admin);

        Assert.Contains("Only editors can change incidents", refused, StringComparison.Ordinal);
        Assert.Empty(fixture.Slack.OpenedViews);
    }
}
