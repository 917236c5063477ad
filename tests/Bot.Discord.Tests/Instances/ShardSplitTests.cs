using Bot.Discord.Gateway;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests.Instances;

/// <summary>Two bot instances on one PostgreSQL split four gateway shards with Discord:ShardIds.</summary>
[Collection(SharedStoreCollection.Name)]
public sealed class ShardSplitTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Two_instances_open_each_shard_once_and_identify_one_per_bucket_at_a_time()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.GatewayShards = 4;
        discord.MaxConcurrency = 2;
        var database = await postgres.Server.CreateDatabaseAsync();

        // Started together: without a shared identify turn, shards 0 and 2 (bucket 0) would identify at once.
        var bots = await Task.WhenAll(StartAsync(discord, database, "0,1"), StartAsync(discord, database, "2,3"));
        try
        {
            await Eventually.TrueAsync(() => discord.ReadyShardCount == 4, "all four shards ready", TimeSpan.FromSeconds(60));

            Assert.Equal([0, 1, 2, 3], discord.Identifies.Select(i => i.ShardId).Order());
            Assert.Empty(discord.GatewayProtocolErrors);
            // Two buckets (shard id % 2): in arrival order, the first two identifies are one per bucket, and so are the next two.
            var buckets = discord.Identifies.Select(i => i.ShardId % 2).ToArray();
            Assert.Equal([0, 1], buckets[..2].Order());
            Assert.Equal([0, 1], buckets[2..].Order());
            Assert.All(bots, bot => Assert.Equal(2, bot.Services.GetRequiredService<DiscordGatewayStatus>().ReadyShards));
            // Nothing set it: on PostgreSQL the shared budget is the default.
            Assert.All(bots, bot => Assert.NotNull(bot.Services.GetRequiredService<Bot.Discord.Protocol.SharedBudgetChoice>().Budget));
            Assert.Equal([[0, 1], [2, 3]], bots.Select(bot => discord.Identifies.Where(i => IsOf(bot, i)).Select(i => i.ShardId).Order().ToArray()));
        }
        finally
        {
            foreach (var bot in bots) await bot.DisposeAsync();
        }
    }

    private static bool IsOf(RunningBot bot, GatewayIdentify identify) =>
        bot.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value.ChosenShards!.Contains(identify.ShardId);

    private static Task<RunningBot> StartAsync(FakeDiscordServer discord, string database, string shardIds) =>
        RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:Mode"] = "Gateway",
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString().TrimEnd('/'),
            ["Discord:ShardCount"] = "4",
            ["Discord:ShardIds"] = shardIds,
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = database,
            // No seeds: two instances seeding one empty store at once is not what this test is about.
            ["Seeds:Path"] = Path.Combine(Path.GetTempPath(), "no-seeds-" + Guid.NewGuid().ToString("N")),
        });
}
