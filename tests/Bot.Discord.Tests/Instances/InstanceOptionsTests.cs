using Bot.Discord.Protocol;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Instances;

/// <summary>Discord:ShardIds, Discord:GlobalRateShare and Discord:SharedRateBudget: checked at start, with clear answers.</summary>
public sealed class InstanceOptionsTests
{
    private static DiscordOptions Gateway(int? shardCount, string? shardIds, double share = 1) => new()
    {
        Mode = DiscordMode.Gateway,
        ApplicationId = "1100000000000000001",
        BotToken = "token",
        ShardCount = shardCount,
        ShardIds = shardIds,
        GlobalRateShare = share,
    };

    [Theory]
    [InlineData(4, "0,1", null)]
    [InlineData(4, " 2 , 3 ", null)]
    [InlineData(null, null, null)]
    [InlineData(null, "0", "Discord:ShardIds needs Discord:ShardCount, the same on every instance")]
    [InlineData(4, "0,4", "Discord:ShardIds has shard 4, but Discord:ShardCount is 4 (ids run from 0 to 3)")]
    [InlineData(4, "1,1", "Discord:ShardIds lists shard 1 twice")]
    [InlineData(4, "0;1", "Discord:ShardIds must be shard numbers separated by commas, like 0,1 (\"0;1\" is not one)")]
    [InlineData(4, "0,-1", "Discord:ShardIds must be shard numbers separated by commas, like 0,1 (\"-1\" is not one)")]
    [InlineData(4, "0,", "Discord:ShardIds must be shard numbers separated by commas, like 0,1 (\"\" is not one)")]
    public void Shard_ids_are_below_the_count_and_listed_once(int? count, string? ids, string? problem) =>
        Assert.Equal(problem, Gateway(count, ids).FirstProblem());

    [Fact]
    public void The_chosen_shards_are_the_listed_ones_or_all()
    {
        Assert.Equal([2, 3], Gateway(4, "2,3").ChosenShards);
        Assert.Null(Gateway(4, null).ChosenShards);
    }

    [Theory]
    [InlineData(1, 50, null)]
    [InlineData(0.5, 25, null)]
    [InlineData(0.3333, 16, null)]
    [InlineData(0, 0, "Discord:GlobalRateShare must be above 0 and at most 1 (1/N for N instances, for example 0.5 for two)")]
    [InlineData(1.5, 0, "Discord:GlobalRateShare must be above 0 and at most 1 (1/N for N instances, for example 0.5 for two)")]
    public void The_global_share_is_a_fraction_of_fifty(double share, int perSecond, string? problem)
    {
        var options = Gateway(null, null, share);
        Assert.Equal(problem, options.FirstProblem());
        if (problem is null) Assert.Equal(perSecond, options.LocalGlobalPerSecond);
    }

    [Fact]
    public async Task On_SQLite_the_shared_budget_is_off_unless_asked_for()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>());
        Assert.Null(bot.Services.GetRequiredService<SharedBudgetChoice>().Budget);

        await using var discord = await Bot.Testing.Discord.FakeDiscordServer.StartAsync();
        await using var asked = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:SharedRateBudget"] = "true",
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:PublicKey"] = discord.PublicKeyHex,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString().TrimEnd('/'),
        });
        Assert.NotNull(asked.Services.GetRequiredService<SharedBudgetChoice>().Budget);
    }
}
