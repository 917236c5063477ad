using System.Net;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Content;

/// <summary>
/// A fake Slack with a workspace admin (U0ADMIN), and the bot with one listed editor (U0EDITOR) who is no admin; U0ALICE is
/// neither. Slack's own deferral budget (2 s) applies, so a submission is answered in its acknowledgement.
/// </summary>
public class ContentFixture : IAsyncLifetime
{
    public const string Admin = "U0ADMIN";
    public const string ListedEditor = "U0EDITOR";
    public const string Reader = FakeSlackServer.DefaultUserId;

    public FakeSlackServer Slack { get; private set; } = null!;
    public RunningBot Bot { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        Slack.AddAdmin(Admin);
        var settings = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Slack.SigningSecret,
            ["Slack:BotToken"] = Slack.BotToken,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl.ToString(),
            ["Content:EditorUserIds:0"] = ListedEditor,
        };
        foreach (var (key, value) in MoreSettings) settings[key] = value;
        Bot = await RunningBot.StartAsync(settings, services => services.AddSingleton<ICommandHandler, ContentOnlyFormCommand>());
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }

    public Uri Commands => Bot.Url("slack/commands");

    public Uri Interactivity => Bot.Url("slack/interactivity");

    public Task<Incident?> IncidentAsync(string slug) => Bot.Services.GetRequiredService<IIncidentStore>().GetAsync(slug, CancellationToken.None);

    /// <summary>Runs a slash command as <paramref name="userId"/>; the acknowledgement's body ("" when empty).</summary>
    public async Task<string> SlashAsync(string command, string text, string userId)
    {
        using var response = await Bot.Http.SendAsync(Slack.SlashCommand(Commands, command, text, userId: userId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Runs a slash command that answers in text; what the person sees, in the acknowledgement or posted later.</summary>
    public Task<string> AnswerAsync(string command, string text, string userId) =>
        Slack.AnswerSeenAsync(Bot.Http, Slack.SlashCommand(Commands, command, text, userId: userId));

    /// <summary>Runs <paramref name="act"/> and waits for the modal it opens.</summary>
    public async Task<SlackOpenedView> OpensViewAsync(Func<Task> act)
    {
        var before = Slack.OpenedViews.Count;
        await act();
        return await Eventually.HoldsAsync(() => Slack.OpenedViews.Count > before ? Slack.OpenedViews[^1] : null, "views.open");
    }

    /// <summary>Submits the modal over HTTP; the acknowledgement's body ("" closes the modal).</summary>
    public async Task<string> SubmitAsync(SlackOpenedView view, IReadOnlyDictionary<string, string?> values, string? userId = null)
    {
        using var response = await Bot.Http.SendAsync(Slack.ViewSubmission(Interactivity, view, values, userId));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>The ephemeral message to <paramref name="userId"/> whose body holds <paramref name="text"/>, once posted.</summary>
    public Task<SlackPostedMessage> EphemeralAsync(string userId, string text) => Eventually.HoldsAsync(
        () => Slack.Messages.FirstOrDefault(m => m.Method == "chat.postEphemeral" && m.Body.GetProperty("user").GetString() == userId
            && m.Body.GetRawText().Contains(text, StringComparison.Ordinal)),
        $"an ephemeral message to {userId} with “{text}”");

    /// <summary>The values a person would leave in the modal: its initial values, with <paramref name="changes"/> applied.</summary>
    public static Dictionary<string, string?> Filled(SlackOpenedView view, params (string Field, string? Value)[] changes)
    {
        var values = view.Inputs.Keys.ToDictionary(k => k, k => view.InitialValues.GetValueOrDefault(k), StringComparer.Ordinal);
        foreach (var (field, value) in changes) values[field] = value;
        return values;
    }

    public static JsonElement Element(SlackOpenedView view, string blockId) => view.Inputs[blockId].GetProperty("element");
}

/// <summary>The same, with Content:EditorWorkspaces naming another workspace: nobody in the fake's may edit.</summary>
public sealed class OtherWorkspaceContentFixture : ContentFixture
{
    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Content:EditorWorkspaces:0"] = "T0OTHER",
    };
}

/// <summary>/form: a form from a handler whose answers could be reused, to show a form is never served from the answer cache.</summary>
internal sealed class ContentOnlyFormCommand : ICommandHandler
{
    public IReadOnlyList<string> Names => ["form"];

    public string Usage => "/form";

    public bool AnswersFromContentOnly => true;

    public Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken) => Task.FromResult(new ChatMessage
    {
        Kind = MessageKind.Notice,
        Text = "A form.",
        Form = new ChatForm("form save", "A form", [new FormField("note", "Note")]),
    });
}
