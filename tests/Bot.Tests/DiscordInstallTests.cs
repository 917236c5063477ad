using System.Net;
using Bot.Cli;
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
    private const string Guild = "9300000000000000000";

    private ISubscriptionStore Store => _bot.Services.GetRequiredService<ISubscriptionStore>();

    private Task<Subscription> SubscribeAsync(string channel, BriefingKind kind = BriefingKind.Digest) =>
        Store.SaveAsync(new Subscription { Platform = "discord", Workspace = Guild, Channel = channel, Kind = kind, TimeZone = "UTC" }, CancellationToken.None);

    private int PostsTo(string channel) =>
        _discord.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith($"/channels/{channel}/messages", StringComparison.Ordinal));

    [Theory]
    [InlineData(50001, "Missing Access")]
    [InlineData(50013, "Missing Permissions")]
    [InlineData(10003, "Unknown Channel")]
    public async Task A_failing_channel_pauses_that_channel_only_is_listed_with_its_reason_and_resumes_when_subscribed_again(int code, string reason)
    {
        const string lost = "9300000000000000011";
        const string fine = "9300000000000000012";
        _discord.AddChannel(fine);
        // Missing Access and Missing Permissions come as 403; a channel the fake does not know is 404 Unknown Channel.
        if (code != 10003)
        {
            _discord.AddChannel(lost);
            _discord.ForbidChannel(lost, code);
        }

        var digest = await SubscribeAsync(lost);
        var notes = await SubscribeAsync(lost, BriefingKind.OnThisDay);
        var other = await SubscribeAsync(fine);
        var briefings = _bot.Services.GetRequiredService<BriefingService>();

        await briefings.RunDueAsync(digest.Id, DateTimeOffset.UtcNow, CancellationToken.None);
        await briefings.RunDueAsync(other.Id, DateTimeOffset.UtcNow, CancellationToken.None);

        var paused = (await Store.GetAsync(digest.Id, CancellationToken.None))!;
        Assert.True(paused.IsPaused);
        Assert.Contains(reason, paused.PauseReason, StringComparison.Ordinal);
        Assert.True((await Store.GetAsync(notes.Id, CancellationToken.None))!.IsPaused);
        // The rest of the guild goes on: HTTP mode learns of one channel at a time, never of the whole guild.
        Assert.False((await Store.GetAsync(other.Id, CancellationToken.None))!.IsPaused);
        Assert.Equal(1, PostsTo(fine));

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, await BotCli.RunAsync(["subscriptions", "list"], output, error, new Dictionary<string, string?> { ["Storage:Path"] = Path.Combine(_bot.Folder, "bot.db") }));
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains(lost, StringComparison.Ordinal) && l.Contains($"paused: ", StringComparison.Ordinal) && l.Contains(reason, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(fine, StringComparison.Ordinal) && !l.Contains("paused", StringComparison.Ordinal));

        // Someone lets the bot back in and subscribes the channel again: both of its briefings resume.
        await SubscribeAsync(lost);
        Assert.False((await Store.GetAsync(digest.Id, CancellationToken.None))!.IsPaused);
        Assert.False((await Store.GetAsync(notes.Id, CancellationToken.None))!.IsPaused);
    }
}
