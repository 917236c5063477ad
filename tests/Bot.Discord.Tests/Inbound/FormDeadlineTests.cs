using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Inbound;

/// <summary>
/// A modal must be the first response to its interaction: a form that is late is never deferred
/// (it could not follow), while other late answers still are.
/// </summary>
public sealed class FormDeadlineTests : IAsyncLifetime
{
    private readonly GatedHandler _gate = new();
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;
    private DiscordInteractions _interactions = null!;
    private readonly LogCapture _logs = new();

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _interactions = new DiscordInteractions(_discord.ApplicationId);
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = _discord.ApplicationId,
            ["Discord:PublicKey"] = _discord.PublicKeyHex,
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
            ["Discord:DeferAfterMilliseconds"] = "100",
        }, services =>
        {
            // The real editing verbs, held back until the test lets them answer.
            var editing = services.Single(d => d.ServiceType == typeof(ICommandHandler) && d.ImplementationType == typeof(IncidentEditCommand));
            services.Remove(editing);
            services.AddSingleton<ICommandHandler>(sp => _gate.Wrapping(ActivatorUtilities.CreateInstance<IncidentEditCommand>(sp)));
            services.AddSingleton<ILoggerProvider>(_logs);
        });
    }

    public async Task DisposeAsync()
    {
        _gate.Release();
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private async Task<(string Token, JsonElement Response)> SendAsync(string json)
    {
        using var response = await _bot.Http.SendAsync(_discord.CreateSignedInteraction(_bot.Url("discord/interactions"), json));
        var text = await response.Content.ReadAsStringAsync();
        var token = JsonDocument.Parse(json).RootElement.GetProperty("token").GetString()!;
        Assert.Equal(204, _discord.AcceptHttpResponse(token, text));
        return (token, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task A_form_that_is_late_gets_a_private_apology_instead_of_a_deferral_and_is_never_sent_later()
    {
        var (token, response) = await SendAsync(_interactions.SlashCommand("incident", "edit", DiscordInvoker.ServerManager, ("name", "balloon")));
        _gate.Release();

        Assert.Equal(4, response.GetProperty("type").GetInt32());
        Assert.Equal(64, response.GetProperty("data").GetProperty("flags").GetInt32());
        Assert.Contains("took too long", response.GetProperty("data").GetRawText(), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => _logs.Lines.Any(l => l.Message.Contains("a form cannot be opened after a deferral", StringComparison.Ordinal)), "the warning");
        // Its answer, when it comes, has nowhere to go: nothing edits the apology.
        await Task.Delay(300);
        Assert.DoesNotContain(_discord.InteractionResponses, r => r.InteractionToken == token && r.Kind != "callback");
    }

    [Fact]
    public async Task A_late_edit_that_opens_no_form_is_deferred_and_delivered_as_usual()
    {
        var (token, response) = await SendAsync(_interactions.SlashCommand("incident", "event", DiscordInvoker.ServerManager,
            ("name", "balloon"), ("date", "2023-02-17"), ("text", "Search for debris ends")));
        _gate.Release();

        Assert.Equal(5, response.GetProperty("type").GetInt32());
        var edit = await Eventually.HoldsAsync(() => _discord.InteractionResponses.FirstOrDefault(r => r.InteractionToken == token && r.Kind == "edit-original"), "the edit of @original");
        Assert.Contains("Added the event of", edit.Body.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>Holds every request to the wrapped handler until released.</summary>
    private sealed class GatedHandler
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public ICommandHandler Wrapping(ICommandHandler inner) => new Held(inner, _released.Task);

        private sealed class Held(ICommandHandler inner, Task released) : ICommandHandler
        {
            public IReadOnlyList<string> Names => inner.Names;
            public string Usage => inner.Usage;

            public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
            {
                await released.WaitAsync(cancellationToken);
                return await inner.HandleAsync(request, cancellationToken);
            }
        }
    }
}
