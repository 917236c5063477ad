using System.Text.Json;
using Bot.Core.Incidents;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Gateway;

/// <summary>Editing over the gateway: the modal and the answer to its submission both go out through the callback route.</summary>
public sealed class GatewayEditingTests : IAsyncLifetime
{
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;
    private DiscordInteractions _interactions = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _discord.AddChannel(DiscordInvoker.Channel);
        _interactions = new DiscordInteractions(_discord.ApplicationId);
        _bot = await GatewayModeTests.StartBotAsync(_discord);
        await Eventually.TrueAsync(() => _discord.ReadyShardCount == 1, "the shard to be ready");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    /// <summary>Dispatches the interaction and returns the first callback the bot made for it.</summary>
    private async Task<JsonElement> CallbackAsync(string json)
    {
        var token = JsonDocument.Parse(json).RootElement.GetProperty("token").GetString()!;
        _discord.DispatchInteraction(json);
        var callback = await Eventually.HoldsAsync(() => _discord.InteractionResponses.FirstOrDefault(r => r.InteractionToken == token && r.Kind == "callback"), "the callback");
        return callback.Body;
    }

    [Fact]
    public async Task Edit_opens_a_modal_by_callback_and_its_submission_saves_the_incident()
    {
        var opened = await CallbackAsync(_interactions.SlashCommand("incident", "edit", DiscordInvoker.ServerManager, ("name", "balloon")));
        Assert.Equal(9, opened.GetProperty("type").GetInt32());

        var saved = await CallbackAsync(_interactions.ModalSubmit(opened.GetProperty("data"), new Dictionary<string, string> { ["status"] = "Edited over the gateway." }, DiscordInvoker.ServerManager));

        Assert.Equal(4, saved.GetProperty("type").GetInt32());
        Assert.Contains("Saved balloon", saved.GetRawText(), StringComparison.Ordinal);
        var stored = await _bot.Services.GetRequiredService<IIncidentStore>().GetAsync("balloon", CancellationToken.None);
        Assert.Equal("Edited over the gateway.", stored!.Status);
        Assert.Empty(_discord.GatewayProtocolErrors);
    }

    [Fact]
    public async Task The_message_command_opens_its_modal_by_callback()
    {
        var opened = await CallbackAsync(_interactions.MessageCommand("Add to incident", "7100000000000007777", "Seen from the gateway.",
            new DateTimeOffset(2023, 2, 10, 12, 0, 0, TimeSpan.Zero), DiscordInvoker.ServerManager));

        Assert.Equal(9, opened.GetProperty("type").GetInt32());
        Assert.Contains("Seen from the gateway.", opened.GetProperty("data").GetRawText(), StringComparison.Ordinal);
    }
}
