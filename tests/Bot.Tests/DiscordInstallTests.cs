using System.Net;
using Bot.Core.Briefings;
using Bot.Discord;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests;

/// <summary>The Discord invite link, and a channel the bot lost access to pausing instead of failing every day.</summary>
public sealed class DiscordInstallTests : IAsyncLifetime
{
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = _discord.ApplicationId,
            ["Discord:PublicKey"] = _discord.PublicKeyHex,
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    [Fact]
    public void The_permissions_are_exactly_those_the_bot_uses()
    {
        // View Channel, Send Messages, Embed Links, Read Message History, Send Messages in Threads.
        Assert.Equal((1UL << 10) | (1UL << 11) | (1UL << 14) | (1UL << 16) | (1UL << 38), DiscordInvite.PermissionBits);
        Assert.Equal(274877991936UL, DiscordInvite.PermissionBits);
    }

    [Fact]
    public async Task Install_redirects_to_the_invite_with_the_bot_and_command_scopes()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _bot.BaseAddress };
        using var response = await http.GetAsync("discord/install");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"https://discord.com/oauth2/authorize?client_id={_discord.ApplicationId}&scope=bot%20applications.commands&permissions=274877991936",
            response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_channel_the_bot_lost_access_to_is_paused_and_not_tried_again()
    {
        _discord.ForbidChannel("9300000000000000001");
        var store = _bot.Services.GetRequiredService<ISubscriptionStore>();
        var subscription = await store.SaveAsync(new Subscription { Platform = "discord", Workspace = "9300000000000000000", Channel = "9300000000000000001", Kind = BriefingKind.Digest, TimeZone = "UTC" }, CancellationToken.None);
        var briefings = _bot.Services.GetRequiredService<BriefingService>();

        await briefings.RunDueAsync(subscription.Id, DateTimeOffset.UtcNow, CancellationToken.None);
        await briefings.RunDueAsync(subscription.Id, DateTimeOffset.UtcNow.AddDays(1), CancellationToken.None);

        var paused = (await store.GetAsync(subscription.Id, CancellationToken.None))!;
        Assert.True(paused.IsPaused);
        Assert.Single(_discord.Requests, r => r.Path.EndsWith("/channels/9300000000000000001/messages", StringComparison.Ordinal));
    }
}
