using Bot.Core.Briefings;
using Bot.Discord.Gateway;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Gateway;

/// <summary>
/// In gateway mode the bot learns that it left or rejoined a guild: GUILD_DELETE pauses the guild's subscriptions, a
/// GUILD_DELETE marked unavailable (an outage) changes nothing, GUILD_CREATE resumes what the removal paused.
/// </summary>
public sealed class GuildMembershipTests : IAsyncLifetime
{
    private const string Kicked = "7000000000000000101";
    private const string Stays = "7000000000000000102";
    private const string Outage = "7000000000000000103";
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _discord.AddGuild(Kicked, Channel(Kicked, 1), Channel(Kicked, 2), Channel(Kicked, 3));
        _discord.AddGuild(Stays, Channel(Stays, 1));
        _discord.AddGuild(Outage, Channel(Outage, 1));
        _bot = await GatewayModeTests.StartBotAsync(_discord);
        await Eventually.TrueAsync(() => _discord.ReadyShardCount == 1 && _bot.Services.GetRequiredService<DiscordGatewayStatus>().ReadyShards == 1, "the shard to be ready");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    /// <summary>A channel id of the guild: the guild's id with another prefix and the channel's number at the end.</summary>
    private static string Channel(string guild, int n) => $"71{guild[2..^2]}{guild[^1]}{n}";

    private ISubscriptionStore Store => _bot.Services.GetRequiredService<ISubscriptionStore>();

    private Task<Subscription> SubscribeAsync(string guild, string channel) =>
        Store.SaveAsync(new Subscription { Platform = "discord", Workspace = guild, Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" }, CancellationToken.None);

    private async Task<Subscription> ReadAsync(Subscription subscription) => (await Store.GetAsync(subscription.Id, CancellationToken.None))!;

    private Task RunDueAsync(Subscription subscription, int day) =>
        _bot.Services.GetRequiredService<BriefingService>().RunDueAsync(subscription.Id, DateTimeOffset.UtcNow.AddDays(day), CancellationToken.None);

    private int PostsTo(string channel) =>
        _discord.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith($"/channels/{channel}/messages", StringComparison.Ordinal));

    [Fact]
    public async Task Leaving_a_guild_pauses_its_subscriptions_an_outage_changes_nothing_and_rejoining_resumes_them()
    {
        var first = await SubscribeAsync(Kicked, Channel(Kicked, 1));
        var second = await SubscribeAsync(Kicked, Channel(Kicked, 2));
        var stays = await SubscribeAsync(Stays, Channel(Stays, 1));
        var outage = await SubscribeAsync(Outage, Channel(Outage, 1));

        // Events are handled in order: once the removal's pause shows, the outage before it has been read and passed over.
        _discord.GuildOutage(Outage);
        _discord.RemoveBotFromGuild(Kicked);
        await Eventually.TrueAsync(() => ReadAsync(second).Result.IsPaused, "the removed guild's subscriptions to pause");

        var paused = await ReadAsync(first);
        Assert.True(paused.IsPaused);
        Assert.Equal("the bot was removed from the guild", paused.PauseReason);
        Assert.False((await ReadAsync(stays)).IsPaused);
        Assert.False((await ReadAsync(outage)).IsPaused);
        foreach (var subscription in new[] { first, second, stays, outage }) await RunDueAsync(subscription, day: 0);
        Assert.Equal(0, PostsTo(Channel(Kicked, 1)));
        Assert.Equal(0, PostsTo(Channel(Kicked, 2)));
        Assert.Equal(1, PostsTo(Channel(Stays, 1)));
        Assert.Equal(1, PostsTo(Channel(Outage, 1)));

        _discord.AddBotToGuild(Kicked);
        await Eventually.TrueAsync(() => !ReadAsync(second).Result.IsPaused, "the returning guild's subscriptions to resume");

        Assert.False((await ReadAsync(first)).IsPaused);
        await RunDueAsync(first, day: 1);
        Assert.Equal(1, PostsTo(Channel(Kicked, 1)));
    }

    [Fact]
    public async Task A_channel_the_bot_lost_on_its_own_stays_paused_when_its_guild_comes_back()
    {
        var open = await SubscribeAsync(Kicked, Channel(Kicked, 1));
        var closed = await SubscribeAsync(Kicked, Channel(Kicked, 3));
        _discord.ForbidChannel(Channel(Kicked, 3), code: 50001);
        await RunDueAsync(closed, day: 0);
        Assert.True((await ReadAsync(closed)).IsPaused);

        _discord.RemoveBotFromGuild(Kicked);
        await Eventually.TrueAsync(() => ReadAsync(open).Result.IsPaused, "the removed guild's subscriptions to pause");
        _discord.AddBotToGuild(Kicked);
        await Eventually.TrueAsync(() => !ReadAsync(open).Result.IsPaused, "the returning guild's subscriptions to resume");

        // The guild's return does not bring back a channel the bot lost on its own: it waits to be subscribed there again.
        var still = await ReadAsync(closed);
        Assert.True(still.IsPaused);
        Assert.Contains("Missing Access", still.PauseReason, StringComparison.Ordinal);
    }
}
