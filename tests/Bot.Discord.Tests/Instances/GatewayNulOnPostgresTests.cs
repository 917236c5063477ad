using Bot.Discord.Gateway;
using Bot.Discord.Tests.Gateway;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Instances;

/// <summary>
/// Gateway frames spelling NUL ("\u0000") in an id, read by an instance on a real PostgreSQL (which refuses NUL in text):
/// the mention and the command are answered as usual and nothing fails on the store.
/// </summary>
[Collection(SharedStoreCollection.Name)]
public sealed class GatewayNulOnPostgresTests(PostgresFixture postgres)
{
    private const string Channel = "7100000000000000001";

    [Fact]
    public async Task NUL_in_the_ids_of_gateway_frames_neither_fails_nor_loses_the_answer()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.AddChannel(Channel);
        var database = await postgres.Server.CreateDatabaseAsync();
        var logs = new LogCapture();
        var bot = await GatewayModeTests.StartBotAsync(discord, new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = database,
            ["Answers:Embeddings"] = "false",
        }, services => services.AddSingleton<ILoggerProvider>(logs));
        try
        {
            await Eventually.TrueAsync(() => bot.Services.GetRequiredService<DiscordGatewayStatus>().ReadyShards == 1, "the shard to be ready", TimeSpan.FromSeconds(60));

            // Raw JSON: System.Text.Json would write the escape the same way, but this is exactly what is on the wire.
            discord.DispatchEvent("MESSAGE_CREATE", $$"""
                {"id":"{{discord.NextSnowflake()}}","type":0,"channel_id":"{{Channel}}","guild_id":"70\u00000000000000001","author":{"id":"72\u00000000000000002","username":"bob"},"content":"<@{{discord.ApplicationId}}> when was the balloon shot down?","mentions":[{"id":"{{discord.ApplicationId}}","username":"FakeBot","bot":true}],"embeds":[],"attachments":[]}
                """);
            var reply = await Eventually.HoldsAsync(() => discord.Messages.FirstOrDefault(m => m.ChannelId == Channel), "the reply", TimeSpan.FromSeconds(30));
            Assert.Contains("February", reply.Body.GetRawText(), StringComparison.Ordinal);

            // The fake routes an interaction to a shard by its guild, so here the NUL is in the member's id.
            var token = $"nul-token-{Guid.NewGuid():N}";
            discord.DispatchInteraction($$"""
                {"id":"{{discord.NextSnowflake()}}","application_id":"{{discord.ApplicationId}}","type":2,"data":{"id":"8000000000000000001","name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"balloon"}]}]},"guild_id":"7000000000000000001","channel_id":"{{Channel}}","member":{"user":{"id":"72\u00000000000000002","username":"alice"},"permissions":"0"},"token":"{{token}}","version":1}
                """);
            var callback = await Eventually.HoldsAsync(() => discord.InteractionResponses.FirstOrDefault(r => r.InteractionToken == token && r.Kind == "callback"), "the callback", TimeSpan.FromSeconds(30));
            Assert.Contains("balloon", callback.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);

            var failures = logs.Lines.Where(l => l.Level >= LogLevel.Error).Select(l => $"{l.Category}: {l.Message} {l.Exception}").ToList();
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }
        finally
        {
            await bot.DisposeAsync();
            await postgres.Server.DropDatabaseAsync(database);
        }
    }
}
