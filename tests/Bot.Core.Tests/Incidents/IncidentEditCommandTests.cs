using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Tests.Chat;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Incidents;

/// <summary>The editing verbs through the router, as every platform reaches them.</summary>
public sealed class IncidentEditCommandTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private CommandRouter _router = null!;
    private readonly ContentOptions _options = new();

    private static readonly ChatContext Editor = new() { Platform = "discord", Workspace = "g1", Channel = "c1", User = "42", UserName = "alice", CanEditContent = true };
    private static readonly ChatContext Reader = Editor with { User = "43", UserName = "bob", CanEditContent = false };

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(seeded: true);
        _router = CoreFixture.CreateRouter(_store.Store, _store.Time, new IncidentEditCommand(_store.Editor, Options.Create(_options), _store.Time, CommandNames.Unchanged));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private Task<ChatMessage> SendAsync(string line, ChatContext context, Dictionary<string, string>? form = null) =>
        _router.HandleAsync(new ChatRequest(line, context) { Form = form }, CancellationToken.None);

    [Fact]
    public async Task New_opens_a_form_of_at_most_five_fields_whose_submission_creates_the_incident()
    {
        var opened = await SendAsync("incident new", Editor);
        var form = Assert.IsType<ChatForm>(opened.Form);
        var saved = await SendAsync(form.SubmitCommand, Editor, new()
        {
            ["title"] = "Drone over a naval base",
            ["slug"] = "",
            ["category"] = "Airspace",
            ["summary"] = "A drone circled the base.",
            ["aliases"] = "base drone, uav",
        });

        Assert.True(form.Fields.Count <= ChatForm.MaxFields);
        Assert.Equal(MessageKind.Notice, saved.Kind);
        Assert.Equal("drone-over-a-naval-base", saved.IncidentSlug);
        var card = await SendAsync("incident uav", Reader);
        Assert.Equal("Drone over a naval base", card.Title);
    }

    [Fact]
    public async Task Edit_opens_the_form_filled_in_and_saving_it_changes_the_card_at_once()
    {
        var opened = await SendAsync("incident edit balloon", Editor);
        var form = Assert.IsType<ChatForm>(opened.Form);
        var values = form.Fields.ToDictionary(f => f.Id, f => f.Value ?? "");
        values["status"] = "Closed by the team.";

        await SendAsync(form.SubmitCommand, Editor, values);

        Assert.Equal("Chinese surveillance balloon over the United States", values["title"]);
        var card = await SendAsync("incident balloon", Reader);
        Assert.Contains(card.Fields, f => f.Name == "Status" && f.Value == "Closed by the team.");
    }

    [Fact]
    public async Task A_form_submitted_after_someone_else_saved_is_refused_with_the_newer_version()
    {
        var first = Assert.IsType<ChatForm>((await SendAsync("incident edit tiktok", Editor)).Form);
        var second = Assert.IsType<ChatForm>((await SendAsync("incident edit tiktok", Editor)).Form);
        var values = first.Fields.ToDictionary(f => f.Id, f => f.Value ?? "");

        await SendAsync(first.SubmitCommand, Editor, values.ToDictionary(v => v.Key, v => v.Key == "status" ? "First." : v.Value));
        var late = await SendAsync(second.SubmitCommand, Editor, values.ToDictionary(v => v.Key, v => v.Key == "status" ? "Second." : v.Value));

        Assert.StartsWith("Not saved: tiktok changed", late.Title, StringComparison.Ordinal);
        Assert.Contains(late.Fields, f => f.Name == "Status" && f.Value == "First.");
        Assert.Contains(late.Buttons, b => b.Command == "incident edit tiktok");
    }

    [Theory]
    [InlineData("incident new")]
    [InlineData("incident edit balloon")]
    [InlineData("incident event balloon 2023-02-10 Something")]
    [InlineData("incident source balloon https://example.org")]
    [InlineData("incident undo balloon")]
    [InlineData("incident remove balloon confirm")]
    [InlineData("incident restore balloon")]
    public async Task Only_editors_can_change_incidents(string line)
    {
        var reply = await SendAsync(line, Reader);

        Assert.Equal(MessageKind.Error, reply.Kind);
        Assert.Contains("Only editors can change incidents", reply.Text, StringComparison.Ordinal);
        Assert.NotNull(await _store.Store.GetAsync("balloon", default));
    }

    [Fact]
    public async Task Editors_of_a_workspace_outside_the_editor_list_are_refused()
    {
        _options.EditorWorkspaces.Add("other-guild");

        var reply = await SendAsync("incident event balloon 2023-02-10 Something", Editor);

        Assert.Contains("Only editors", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_and_source_take_their_arguments_from_the_command_line()
    {
        var evt = await SendAsync("incident event balloon 2023-02 Debris analysis published https://example.org/report", Editor);
        var source = await SendAsync("incident source balloon https://example.org/story The full story", Editor);

        Assert.Equal(MessageKind.Notice, evt.Kind);
        Assert.Equal(MessageKind.Notice, source.Kind);
        var balloon = (await _store.Store.GetAsync("balloon", default))!;
        Assert.Contains(balloon.Timeline, e => e.Text == "Debris analysis published" && e.Date == new PartialDate(2023, 2));
        Assert.Contains(balloon.Sources, s => s.Url == "https://example.org/story" && s.Title == "The full story");
    }

    [Fact]
    public async Task A_bad_date_is_refused_naming_the_field()
    {
        var reply = await SendAsync("incident event balloon yesterday Something happened", Editor);

        Assert.Equal(MessageKind.Error, reply.Kind);
        Assert.Equal("Not saved: check the date", reply.Title);
    }

    [Fact]
    public async Task Remove_asks_for_confirmation_with_a_button_and_restore_brings_it_back()
    {
        var ask = await SendAsync("incident remove tiktok", Editor);
        Assert.NotNull(await _store.Store.GetAsync("tiktok", default));
        var button = Assert.Single(ask.Buttons);

        await SendAsync(button.Command, Editor);
        var gone = await SendAsync("incident tiktok", Reader);
        await SendAsync("incident restore tiktok", Editor);

        Assert.NotEqual("TikTok", gone.Title);
        Assert.Null(gone.IncidentSlug);
        Assert.Equal("tiktok", (await SendAsync("incident tiktok", Reader)).IncidentSlug);
    }

    [Fact]
    public async Task History_lists_who_changed_what_and_undo_reverts_it()
    {
        await SendAsync("incident event balloon 2024 Anniversary coverage", Editor);

        var history = await SendAsync("incident history balloon", Reader);
        var undo = await SendAsync("incident undo balloon", Editor);

        var latest = history.Sections[0].Lines[0];
        Assert.Equal("event by alice on discord (timeline)", latest.Text);
        Assert.Equal(MessageKind.Notice, undo.Kind);
        Assert.DoesNotContain((await _store.Store.GetAsync("balloon", default))!.Timeline, e => e.Text == "Anniversary coverage");
    }

    [Fact]
    public async Task Adding_a_message_opens_a_form_with_its_text_link_and_date_and_saves_it_as_an_event_with_its_source()
    {
        var opened = await SendAsync("incident add-message", Editor, new()
        {
            ["text"] = "Navy divers found more debris today",
            ["link"] = "https://discord.com/channels/1/2/3",
            ["date"] = "2023-02-06",
        });
        var form = Assert.IsType<ChatForm>(opened.Form);
        var values = form.Fields.ToDictionary(f => f.Id, f => f.Value ?? "");
        values["incident"] = "balloon";

        var saved = await SendAsync(form.SubmitCommand, Editor, values);

        Assert.Equal(MessageKind.Notice, saved.Kind);
        var balloon = (await _store.Store.GetAsync("balloon", default))!;
        Assert.Contains(balloon.Timeline, e => e.Text == "Navy divers found more debris today" && e.Date == new PartialDate(2023, 2, 6));
        Assert.Contains(balloon.Sources, s => s.Url == "https://discord.com/channels/1/2/3");
    }

    [Fact]
    public void Edit_replies_are_never_reused_as_content_only_answers()
    {
        Assert.True(_router.IsContentOnly(new ChatRequest("incident balloon", Reader)));
        Assert.False(_router.IsContentOnly(new ChatRequest("incident edit balloon", Reader)));
        Assert.False(_router.IsContentOnly(new ChatRequest("incident history balloon", Reader)));
        Assert.False(_router.IsContentOnly(new ChatRequest("incident balloon", Reader) { Form = new Dictionary<string, string>() }));
    }
}
