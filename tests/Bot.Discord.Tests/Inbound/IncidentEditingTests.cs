using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Inbound;

/// <summary>The bot with editor settings: one editor role, and editors accepted only from the usual test guild.</summary>
public sealed class ContentFixture : DiscordFixture
{
    public const string EditorRole = "7400000000000000001";
    public const string OtherGuild = "7000000000000000009";

    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Content:EditorRoleIds:0"] = EditorRole,
        ["Content:EditorWorkspaces:0"] = DiscordInvoker.Guild,
        ["Content:EditorWorkspaces:1"] = "7000000000000000002",
    };
}

/// <summary>
/// Editors change incidents from Discord, over the HTTP interactions endpoint of the real host:
/// slash subcommands, modals opened and submitted, buttons, and the "Add to incident" message command.
/// Every response is checked against Discord's rules for the interaction it answers.
/// </summary>
public sealed class IncidentEditingTests(ContentFixture fixture) : IClassFixture<ContentFixture>
{
    private static readonly DiscordInvoker Editor = DiscordInvoker.ServerManager;

    private Task<Incident?> StoredAsync(string slug) => fixture.Bot.Services.GetRequiredService<IIncidentStore>().GetAsync(slug, CancellationToken.None);

    /// <summary>The stored incident in the seed format, to compare by content (its lists compare by reference).</summary>
    private async Task<string?> StoredJsonAsync(string slug) => await StoredAsync(slug) is { } incident ? IncidentJson.Serialize(incident) : null;

    /// <summary>Sends the interaction and returns its response, after checking it is one Discord accepts for that interaction.</summary>
    private async Task<JsonElement> SendAsync(string json)
    {
        var (status, body, _) = await fixture.SendAsync(json);
        Assert.Equal(HttpStatusCode.OK, status);
        var type = JsonDocument.Parse(json).RootElement.GetProperty("type").GetInt32();
        Assert.Null(FakeDiscordServer.InteractionResponseProblem(body.GetRawText(), type));
        return body;
    }

    private Task<JsonElement> IncidentAsync(string subcommand, DiscordInvoker? by, params (string Name, string Value)[] options) =>
        SendAsync(fixture.Interactions.SlashCommand("incident", subcommand, by, options));

    /// <summary>The modal of a type-9 response.</summary>
    private static JsonElement Modal(JsonElement response)
    {
        Assert.Equal(9, response.GetProperty("type").GetInt32());
        return response.GetProperty("data");
    }

    private static Dictionary<string, JsonElement> Inputs(JsonElement modal) =>
        modal.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("component")).ToDictionary(c => c.GetProperty("custom_id").GetString()!);

    private static string Title(JsonElement response) => response.GetProperty("data").GetProperty("embeds")[0].GetProperty("title").GetString()!;

    private static string Embed(JsonElement response) => response.GetProperty("data").GetProperty("embeds")[0].GetRawText();

    private static bool IsEphemeral(JsonElement response) =>
        response.GetProperty("data").TryGetProperty("flags", out var flags) && (flags.GetInt32() & 64) != 0;

    [Fact]
    public async Task New_opens_a_modal_whose_submission_creates_the_incident_that_show_then_displays()
    {
        var modal = Modal(await IncidentAsync("new", Editor));

        Assert.Equal("incident save new", modal.GetProperty("custom_id").GetString());
        Assert.Equal("New incident", modal.GetProperty("title").GetString());
        var labels = modal.GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(5, labels.Count);
        Assert.All(labels, l => Assert.Equal(18, l.GetProperty("type").GetInt32()));
        var inputs = Inputs(modal);
        Assert.Equal(["title", "slug", "category", "summary", "aliases"], inputs.Keys);
        Assert.Equal(2, inputs["summary"].GetProperty("style").GetInt32());
        Assert.Equal(1, inputs["title"].GetProperty("style").GetInt32());
        Assert.False(inputs["slug"].GetProperty("required").GetBoolean());

        var saved = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string>
        {
            ["title"] = "Drone over a naval base",
            ["category"] = "Airspace",
            ["summary"] = "A drone circled the base for an hour.",
            ["aliases"] = "base drone",
        }, Editor));

        Assert.Equal(4, saved.GetProperty("type").GetInt32());
        Assert.Contains("Created drone-over-a-naval-base", Title(saved), StringComparison.Ordinal);
        var card = await SendAsync(fixture.ShowIncident("drone-over-a-naval-base"));
        Assert.EndsWith(" Drone over a naval base", Title(card), StringComparison.Ordinal);
        Assert.Equal("Alice", (await fixture.Bot.Services.GetRequiredService<IIncidentEditStore>().HistoryAsync("drone-over-a-naval-base", 1, CancellationToken.None))[0].Author.UserName);
    }

    [Fact]
    public async Task Edit_opens_a_modal_filled_in_and_its_submission_changes_the_card()
    {
        var modal = Modal(await IncidentAsync("edit", Editor, ("name", "balloon")));

        Assert.StartsWith("incident save edit balloon ", modal.GetProperty("custom_id").GetString(), StringComparison.Ordinal);
        var inputs = Inputs(modal);
        Assert.Equal("Chinese surveillance balloon over the United States", inputs["title"].GetProperty("value").GetString());
        Assert.Equal((await StoredAsync("balloon"))!.Summary, inputs["summary"].GetProperty("value").GetString());

        var saved = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string> { ["status"] = "Closed by the team." }, Editor));

        Assert.Contains("Saved balloon", Title(saved), StringComparison.Ordinal);
        Assert.False(IsEphemeral(saved));
        Assert.Contains("Closed by the team.", Embed(await SendAsync(fixture.ShowIncident("balloon"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legacy_action_row_submission_is_read_the_same()
    {
        var modal = Modal(await IncidentAsync("edit", Editor, ("name", "wei-sun")));

        var saved = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string> { ["status"] = "Sentenced in 2023." }, Editor, legacyRows: true));

        Assert.Contains("Saved wei-sun", Title(saved), StringComparison.Ordinal);
        Assert.Equal("Sentenced in 2023.", (await StoredAsync("wei-sun"))!.Status);
    }

    [Fact]
    public async Task A_submission_made_stale_by_someone_elses_save_is_refused_with_the_newer_version()
    {
        var first = Modal(await IncidentAsync("edit", Editor, ("name", "huawei-zte")));
        var second = Modal(await IncidentAsync("edit", Editor, ("name", "huawei-zte")));
        await SendAsync(fixture.Interactions.ModalSubmit(first, new Dictionary<string, string> { ["status"] = "First." }, Editor));

        var late = await SendAsync(fixture.Interactions.ModalSubmit(second, new Dictionary<string, string> { ["status"] = "Second." }, Editor));

        Assert.Contains("huawei-zte changed since you opened it", Title(late), StringComparison.Ordinal);
        Assert.True(IsEphemeral(late));
        Assert.Equal("First.", (await StoredAsync("huawei-zte"))!.Status);
        var again = late.GetProperty("data").GetProperty("components")[0].GetProperty("components").EnumerateArray()
            .Single(b => b.GetProperty("custom_id").GetString() == "incident edit huawei-zte");
        // The "Edit again" button opens the form afresh, on top of the newer version.
        var reopened = Modal(await SendAsync(fixture.Interactions.Component(again.GetProperty("custom_id").GetString()!, Editor)));
        Assert.Equal("First.", Inputs(reopened)["status"].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Event_and_source_take_their_values_from_the_subcommand_options()
    {
        var evt = await IncidentAsync("event", Editor, ("name", "chip-export-controls"), ("date", "2023-03-08"), ("text", "The Netherlands announces its own controls"), ("url", "https://example.org/nl"));
        var source = await IncidentAsync("source", Editor, ("name", "chip-export-controls"), ("url", "https://example.org/analysis"), ("title", "An analysis"));

        Assert.Contains("Added the event of", Title(evt), StringComparison.Ordinal);
        Assert.Contains("Added a source to chip-export-controls", Title(source), StringComparison.Ordinal);
        var stored = (await StoredAsync("chip-export-controls"))!;
        Assert.Contains(stored.Timeline, e => e.Text == "The Netherlands announces its own controls" && e.Date == new PartialDate(2023, 3, 8));
        Assert.Contains(stored.Sources, s => s.Url == "https://example.org/nl");
        Assert.Contains(stored.Sources, s => s.Url == "https://example.org/analysis" && s.Title == "An analysis");
    }

    [Fact]
    public async Task History_undo_remove_with_its_confirm_button_and_restore()
    {
        await IncidentAsync("event", Editor, ("name", "tech-race"), ("date", "2024"), ("text", "Anniversary coverage"));

        var history = await IncidentAsync("history", DiscordInvoker.Plain, ("name", "tech-race"));
        Assert.Contains("event by Alice on discord", Embed(history), StringComparison.Ordinal);
        await IncidentAsync("undo", Editor, ("name", "tech-race"));
        Assert.DoesNotContain((await StoredAsync("tech-race"))!.Timeline, e => e.Text == "Anniversary coverage");

        var ask = await IncidentAsync("remove", Editor, ("name", "tech-race"));
        Assert.NotNull(await StoredAsync("tech-race"));
        var confirm = ask.GetProperty("data").GetProperty("components")[0].GetProperty("components")[0].GetProperty("custom_id").GetString()!;
        Assert.Equal("incident remove tech-race confirm", confirm);
        var removed = await SendAsync(fixture.Interactions.Component(confirm, Editor));
        Assert.Contains("Removed tech-race", Title(removed), StringComparison.Ordinal);
        Assert.Null(await StoredAsync("tech-race"));

        var restored = await IncidentAsync("restore", Editor, ("name", "tech-race"));
        Assert.Contains("Restored tech-race", Title(restored), StringComparison.Ordinal);
        Assert.NotNull(await StoredAsync("tech-race"));
    }

    [Fact]
    public async Task The_message_command_opens_a_modal_with_the_messages_text_link_and_date_and_adds_it_as_an_event()
    {
        const string messageId = "7100000000000004321";
        var sent = new DateTimeOffset(2023, 2, 6, 23, 47, 3, TimeSpan.FromHours(-5));

        var modal = Modal(await SendAsync(fixture.Interactions.MessageCommand("Add to incident", messageId, "Navy divers recovered *more* debris today.", sent, Editor)));

        Assert.Equal("incident save message", modal.GetProperty("custom_id").GetString());
        var inputs = Inputs(modal);
        Assert.Equal("Navy divers recovered *more* debris today.", inputs["text"].GetProperty("value").GetString());
        var link = $"https://discord.com/channels/{DiscordInvoker.Guild}/{DiscordInvoker.Channel}/{messageId}";
        Assert.Equal(link, inputs["link"].GetProperty("value").GetString());
        // The day in UTC: 23:47 in New York on the 6th is the 7th.
        Assert.Equal("2023-02-07", inputs["date"].GetProperty("value").GetString());
        Assert.False(inputs["incident"].TryGetProperty("value", out _));

        var saved = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string> { ["incident"] = "spy balloon" }, Editor));

        Assert.Contains("Added the event of", Title(saved), StringComparison.Ordinal);
        var balloon = (await StoredAsync("balloon"))!;
        Assert.Contains(balloon.Timeline, e => e.Text == "Navy divers recovered *more* debris today." && e.Date == new PartialDate(2023, 2, 7));
        Assert.Contains(balloon.Sources, s => s.Url == link);
    }

    [Fact]
    public async Task An_unknown_incident_in_the_message_form_gets_suggestions_and_nothing_is_saved()
    {
        var modal = Modal(await SendAsync(fixture.Interactions.MessageCommand("Add to incident", "7100000000000004322", "More news.", DateTimeOffset.UnixEpoch.AddYears(53), Editor)));

        var reply = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string> { ["incident"] = "ballon" }, Editor));

        Assert.Equal("🤷 No such incident", Title(reply));
        Assert.Contains("balloon", Embed(reply), StringComparison.Ordinal);
        Assert.DoesNotContain((await StoredAsync("balloon"))!.Timeline, e => e.Text == "More news.");
    }

    public static TheoryData<string> EditingSubcommands() => ["new", "edit", "event", "undo", "remove", "restore"];

    [Theory]
    [MemberData(nameof(EditingSubcommands))]
    public async Task A_member_without_Manage_Server_or_an_editor_role_is_refused_and_nothing_changes(string subcommand)
    {
        var before = await StoredJsonAsync("cyber-espionage");
        (string, string)[] options = subcommand switch
        {
            "new" => [],
            "event" => [("name", "cyber-espionage"), ("date", "2024-01-01"), ("text", "Not an editor's event")],
            _ => [("name", "cyber-espionage")],
        };

        var reply = await IncidentAsync(subcommand, DiscordInvoker.Plain with { Roles = ["7400000000000000099"] }, options);

        Assert.Equal(4, reply.GetProperty("type").GetInt32());
        Assert.True(IsEphemeral(reply));
        Assert.Contains("Only editors can change incidents", Embed(reply), StringComparison.Ordinal);
        Assert.Equal(before, await StoredJsonAsync("cyber-espionage"));
    }

    [Fact]
    public async Task A_plain_members_modal_submission_and_message_command_are_refused_too()
    {
        var modal = Modal(await IncidentAsync("edit", Editor, ("name", "police-stations")));

        var submitted = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string> { ["status"] = "Changed by a reader." }, DiscordInvoker.Plain));
        var command = await SendAsync(fixture.Interactions.MessageCommand("Add to incident", "7100000000000004323", "Text", DateTimeOffset.UnixEpoch, DiscordInvoker.Plain));

        Assert.Contains("Only editors can change incidents", Embed(submitted), StringComparison.Ordinal);
        Assert.Contains("Only editors can change incidents", Embed(command), StringComparison.Ordinal);
        Assert.NotEqual("Changed by a reader.", (await StoredAsync("police-stations"))!.Status);
    }

    [Fact]
    public async Task A_member_with_an_editor_role_may_edit_and_is_recorded_by_username_when_there_is_no_display_name()
    {
        var roleEditor = DiscordInvoker.Plain with { Roles = ["7400000000000000098", ContentFixture.EditorRole], GlobalName = null };

        var reply = await IncidentAsync("event", roleEditor, ("name", "ji-chaoqun"), ("date", "2023-01-25"), ("text", "Sentenced to eight years"));

        Assert.Contains("Added the event of", Title(reply), StringComparison.Ordinal);
        Assert.Contains((await StoredAsync("ji-chaoqun"))!.Timeline, e => e.Text == "Sentenced to eight years");
        var change = (await fixture.Bot.Services.GetRequiredService<IIncidentEditStore>().HistoryAsync("ji-chaoqun", 1, CancellationToken.None))[0];
        Assert.Equal(("bob", "7200000000000000003", "discord", DiscordInvoker.Guild), (change.Author.UserName, change.Author.UserId, change.Author.Platform, change.Author.Workspace));
    }

    [Fact]
    public async Task Editors_of_a_guild_outside_Content_EditorWorkspaces_are_refused()
    {
        var elsewhere = new DiscordInvoker(Permissions: "8", GuildId: ContentFixture.OtherGuild);

        var reply = await IncidentAsync("event", elsewhere, ("name", "xu-yanjun"), ("date", "2023-01-25"), ("text", "From another guild"));

        Assert.Contains("Only editors can change incidents", Embed(reply), StringComparison.Ordinal);
        Assert.DoesNotContain((await StoredAsync("xu-yanjun"))!.Timeline, e => e.Text == "From another guild");
    }

    [Fact]
    public async Task In_a_direct_message_nobody_is_an_editor()
    {
        var dm = new DiscordInvoker(Permissions: "8", GuildId: null, ChannelId: "7300000000000000001");

        var reply = await SendAsync(fixture.Interactions.MessageCommand("Add to incident", "7300000000000000555", "From a DM", DateTimeOffset.UnixEpoch, dm));

        Assert.Contains("Only editors can change incidents", Embed(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Who_asks_decides_the_answer_so_forms_and_submissions_are_never_served_from_the_cache()
    {
        var refused = await IncidentAsync("new", DiscordInvoker.Plain);
        var opened = await IncidentAsync("new", Editor);
        var modal = Modal(opened);

        var one = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string>
        {
            ["title"] = "Cache probe one",
            ["category"] = "Cyber",
            ["summary"] = "First probe.",
        }, Editor));
        var two = await SendAsync(fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string>
        {
            ["title"] = "Cache probe two",
            ["category"] = "Cyber",
            ["summary"] = "Second probe.",
        }, Editor));

        Assert.Equal(4, refused.GetProperty("type").GetInt32());
        Assert.Contains("Created cache-probe-one", Title(one), StringComparison.Ordinal);
        Assert.Contains("Created cache-probe-two", Title(two), StringComparison.Ordinal);
        Assert.NotNull(await StoredAsync("cache-probe-two"));
    }

    [Fact]
    public async Task A_form_in_answer_to_a_modal_submission_is_refused_politely_not_sent_as_a_modal()
    {
        // A submission whose custom_id is itself a command that opens a form.
        var reply = await SendAsync(fixture.Interactions.ModalSubmit("incident new", new JsonArray(), Editor));

        Assert.Equal(4, reply.GetProperty("type").GetInt32());
        Assert.True(IsEphemeral(reply));
    }

    public static TheoryData<string> MalformedSubmissions() =>
    [
        """[{"type":18,"id":1,"component":{"type":4,"id":2,"custom_id":"status","value":null}}]""",
        """[{"type":18,"id":1,"component":{"type":4,"id":2,"custom_id":"status"}}]""",
        """[{"type":18,"id":1,"component":{"type":4,"id":2,"custom_id":"status","value":42}}]""",
        """[{"type":1,"id":1,"components":[{"type":4,"id":2,"custom_id":"status","value":["x"]}]}]""",
    ];

    [Theory]
    [MemberData(nameof(MalformedSubmissions))]
    public async Task A_submission_with_a_missing_or_non_text_value_gets_a_polite_private_error_and_saves_nothing(string components)
    {
        var before = await StoredJsonAsync("surveillance-cameras");
        var modal = Modal(await IncidentAsync("edit", Editor, ("name", "surveillance-cameras")));

        var reply = await SendAsync(fixture.Interactions.ModalSubmit(modal.GetProperty("custom_id").GetString()!, JsonNode.Parse(components)!.AsArray(), Editor));

        Assert.Equal(4, reply.GetProperty("type").GetInt32());
        Assert.True(IsEphemeral(reply));
        Assert.Contains("came back incomplete", Embed(reply), StringComparison.Ordinal);
        Assert.Equal(before, await StoredJsonAsync("surveillance-cameras"));
    }

    [Fact]
    public async Task Entries_without_a_custom_id_and_null_entries_are_skipped()
    {
        var modal = Modal(await IncidentAsync("edit", Editor, ("name", "bali-meeting")));
        var components = JsonNode.Parse("""
            [null,
             {"type":10,"id":1,"content":"Text display"},
             {"type":18,"id":2,"component":null},
             {"type":18,"id":3,"component":{"type":4,"id":4,"custom_id":"status","value":"Postponed, then held in June."}},
             {"type":1,"id":5,"components":[null,{"type":4,"id":6,"value":"no id"}]}]
            """)!.AsArray();

        var reply = await SendAsync(fixture.Interactions.ModalSubmit(modal.GetProperty("custom_id").GetString()!, components, Editor));

        Assert.Contains("Saved bali-meeting", Title(reply), StringComparison.Ordinal);
        Assert.Equal("Postponed, then held in June.", (await StoredAsync("bali-meeting"))!.Status);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_submitted_value_is_stored_as_a_replacement_character()
    {
        var modal = Modal(await IncidentAsync("edit", Editor, ("name", "police-stations")));
        var json = fixture.Interactions.ModalSubmit(modal, new Dictionary<string, string> { ["status"] = "Under investigation @@LONE@@" }, Editor)
            .Replace("@@LONE@@", "\\ud800", StringComparison.Ordinal);

        var (status, body) = await fixture.SendRawAsync(json);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(FakeDiscordServer.InteractionResponseProblem(body, 5));
        Assert.Equal("Under investigation \uFFFD", (await StoredAsync("police-stations"))!.Status);
    }

    [Fact]
    public async Task Show_and_list_are_subcommands_and_the_name_autocompletes_inside_them()
    {
        var card = await IncidentAsync("show", DiscordInvoker.Plain, ("name", "huawei"));
        var list = await IncidentAsync("list", DiscordInvoker.Plain, ("category", "Cyber"));
        var suggestions = await SendAsync(fixture.Interaction(4, new
        {
            id = "8000000000000000001",
            name = "incident",
            type = 1,
            options = new[] { new { name = "edit", type = 1, options = new[] { new { name = "name", type = 3, value = "tikt", focused = true } } } },
        }));

        Assert.Contains("Huawei", Title(card), StringComparison.Ordinal);
        Assert.Contains("cyber-espionage", Embed(list), StringComparison.Ordinal);
        Assert.Equal("tiktok", suggestions.GetProperty("data").GetProperty("choices")[0].GetProperty("value").GetString());
    }
}
