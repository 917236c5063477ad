using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Discord.Gateway;
using Bot.Discord.Tests.Fuzzing;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests.Gateway;

/// <summary>
/// Dispatches Discord would never send, through the fake gateway to the real host: the shard keeps
/// its one connection, logs what it could not read, and answers the next real command.
/// </summary>
public sealed class GatewayHardeningTests : IAsyncLifetime
{
    private const string Guild = "7000000000000000001";
    private const string Channel = "7100000000000000001";
    private const string User = "7200000000000000002";
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;
    private readonly LogCapture _logs = new();
    private int _interactions;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _discord.AddChannel(Channel);
        _bot = await GatewayModeTests.StartBotAsync(_discord, new Dictionary<string, string?>
        {
            // Thousands of expected warnings would only slow the console down; the capture still sees them.
            ["Logging:Console:LogLevel:Default"] = "Critical",
        }, services => services.AddSingleton<ILoggerProvider>(_logs));
        await Eventually.TrueAsync(() => _discord.ReadyShardCount == 1 && _bot.Services.GetRequiredService<DiscordGatewayStatus>().ReadyShards == 1, "the shard to be ready");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private (string Token, string Json) SlashCommand(string value = "balloon")
    {
        var n = Interlocked.Increment(ref _interactions);
        var token = $"hardening-token-{n}-{Guid.NewGuid():N}";
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = $"9300000000000{n:D5}",
            ["application_id"] = _discord.ApplicationId,
            ["type"] = 2,
            ["data"] = new { id = "8000000000000000001", name = "incident", type = 1, options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value } } } } },
            ["guild_id"] = Guild,
            ["channel_id"] = Channel,
            ["member"] = new { user = new { id = User, username = "alice" }, permissions = "0" },
            ["token"] = token,
            ["version"] = 1,
        });
        return (token, json);
    }

    /// <summary>A MESSAGE_CREATE that mentions the bot, as raw JSON (so it can hold escapes the serialiser would refuse).</summary>
    private string Mention(string content, string mentions = "", string channel = Channel) =>
        $$"""{"id":"{{_discord.NextSnowflake()}}","type":0,"channel_id":"{{channel}}","guild_id":"{{Guild}}","author":{"id":"{{User}}","username":"bob"},"content":"<@{{_discord.ApplicationId}}> {{content}}","mentions":[{{mentions}}{"id":"{{_discord.ApplicationId}}","username":"FakeBot","bot":true}],"embeds":[],"attachments":[]}""";

    private IReadOnlyList<FakeInteractionResponse> CallbacksFor(string token) =>
        _discord.InteractionResponses.Where(r => r.InteractionToken == token && r.Kind == "callback").ToList();

    /// <summary>A real command after whatever came before: answered on the same, single connection.</summary>
    private async Task AssertStillAnsweringAsync(int withinSeconds = 30)
    {
        var (token, json) = SlashCommand();
        _discord.DispatchInteraction(json);
        var callback = await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the shard still answering", TimeSpan.FromSeconds(withinSeconds));
        Assert.Contains("balloon", callback.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _discord.GatewayConnectionCount);
        Assert.Null(_bot.Services.GetRequiredService<DiscordGatewayStatus>().StoppedBecause);
        Assert.Empty(ShardFailures());
    }

    /// <summary>Exceptions that reached the shard's own guard, or the interaction handler's: each is a case not handled where it should be.</summary>
    private List<LogLine> ShardFailures() =>
        _logs.Lines.Where(l => l.Level >= LogLevel.Error && l.Category is "Bot.Discord.Gateway.GatewayShard" or "Bot.Discord.Inbound.InteractionHandler").ToList();

    [Fact]
    public async Task A_null_in_mentions_neither_kills_the_shard_nor_loses_the_reply()
    {
        _discord.DispatchEvent("MESSAGE_CREATE", Mention("when was the balloon shot down?", mentions: "null,"));

        var reply = await Eventually.HoldsAsync(() => _discord.Messages.FirstOrDefault(m => m.ChannelId == Channel), "the reply");
        Assert.Contains("February", reply.Body.GetRawText(), StringComparison.Ordinal);
        await AssertStillAnsweringAsync();
    }

    [Theory]
    [InlineData("""{"op":0,"s":null,"t":"MESSAGE_CREATE"}""")]
    [InlineData("""{"op":0,"s":null,"t":"INTERACTION_CREATE","d":null}""")]
    [InlineData("""{"op":0,"s":null,"t":"INTERACTION_CREATE","d":[1,2]}""")]
    [InlineData("""{"op":0,"s":null,"t":"READY"}""")]
    [InlineData("""{"op":0,"s":"seven","t":"MESSAGE_CREATE","d":{}}""")]
    [InlineData("""{"op":"0","t":"MESSAGE_CREATE","d":{}}""")]
    [InlineData("""{"op":0,"t":5,"d":{}}""")]
    [InlineData("""{"op":0,"t":"MESSAGE_CREATE\ud800","d":{}}""")]
    [InlineData("""{"op":0,"t":"MESSAGE_CREATE","d":{"id":"1","channel_id":"2","author":{"id":"3"},"mentions":[null]}}""")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("not json at all")]
    [InlineData("{\"op\":0,")]
    public async Task A_frame_of_the_wrong_shape_is_skipped_on_the_same_connection(string frame)
    {
        await _discord.SendRawGatewayFrameAsync(frame);

        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_mention_is_read_as_a_replacement_character()
    {
        _discord.DispatchEvent("MESSAGE_CREATE", Mention("""when was the balloon\ud800 shot down?"""));

        var reply = await Eventually.HoldsAsync(() => _discord.Messages.FirstOrDefault(m => m.ChannelId == Channel), "the reply");
        Assert.Contains("February", reply.Body.GetRawText(), StringComparison.Ordinal);
        await AssertStillAnsweringAsync();
    }

    [Fact]
    public async Task Null_options_in_an_interaction_are_skipped_and_the_command_answered()
    {
        var (token, json) = SlashCommand();
        _discord.DispatchInteraction(json.Replace("\"options\":[", "\"options\":[null,", StringComparison.Ordinal));

        var callback = await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the callback");
        Assert.Contains("balloon", callback.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        await AssertStillAnsweringAsync();
    }

    [Theory]
    [InlineData("7100000000000000001/../../../users/@me?")]
    [InlineData("7100000000000000001?x=")]
    [InlineData("..")]
    [InlineData("%2e%2e")]
    [InlineData("7100000000000000001#")]
    [InlineData("١٢٣")]
    [InlineData("123456789012345678901")]
    public async Task A_crafted_channel_id_in_a_mention_sends_no_request(string channel)
    {
        var before = _discord.Requests.Count;

        _discord.DispatchEvent("MESSAGE_CREATE", Mention("incident balloon", channel: channel));
        await AssertStillAnsweringAsync();

        // Only the callback of the command above went out: nothing was sent for the crafted channel, on any route.
        var sent = _discord.Requests.Skip(before).ToList();
        Assert.All(sent, r => Assert.EndsWith("/callback", r.Path, StringComparison.Ordinal));
        Assert.Empty(_discord.Messages);
    }

    [Theory]
    [InlineData("t/../../../channels/7100000000000000001/messages?x=")]
    [InlineData("t?x=1#y")]
    [InlineData("a/b")]
    public async Task A_token_with_path_characters_stays_one_escaped_segment_of_the_callback(string tokenText)
    {
        var (original, json) = SlashCommand();
        var token = tokenText + Guid.NewGuid().ToString("N");
        _discord.DispatchInteraction(json.Replace(original, token, StringComparison.Ordinal));

        var callback = await Eventually.HoldsAsync(() => CallbacksFor(token).FirstOrDefault(), "the callback");
        Assert.Contains("balloon", callback.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var request = Assert.Single(_discord.Requests, r => r.RawTarget.EndsWith("/callback", StringComparison.Ordinal));
        Assert.Contains("/" + Uri.EscapeDataString(token) + "/callback", request.RawTarget, StringComparison.Ordinal);
        Assert.Empty(_discord.Messages);
    }

    /// <summary>
    /// Real gateway shapes the fuzz starts from, as often as they come: slash commands, autocomplete,
    /// a button, plain guild chatter, now and then a mention or a DM (replies are paced at 50 a second,
    /// so a fuzz full of them would take minutes), and events the bot does not read.
    /// </summary>
    private List<(string Event, JsonNode Data)> Seeds()
    {
        var (_, command) = SlashCommand();
        var interaction = JsonNode.Parse(command)!;
        var autocomplete = interaction.DeepClone();
        autocomplete["type"] = 4;
        autocomplete["data"]!["options"]![0]!["focused"] = true;
        var button = interaction.DeepClone();
        button["type"] = 3;
        button["data"] = new JsonObject { ["custom_id"] = "timeline balloon", ["component_type"] = 2 };
        var subcommand = interaction.DeepClone();
        subcommand["data"] = JsonNode.Parse("""{"name":"briefing","type":1,"options":[{"name":"status","type":1,"options":[]}]}""");
        var chatter = JsonNode.Parse(Mention("hello"))!;
        chatter["content"] = "just chatting";
        chatter["mentions"] = new JsonArray();
        var dm = JsonNode.Parse(Mention("incident balloon"))!;
        dm.AsObject().Remove("guild_id");
        dm["mentions"] = new JsonArray();
        List<(string, JsonNode)> seeds =
        [
            ("MESSAGE_CREATE", JsonNode.Parse(Mention("incident balloon"))!), ("MESSAGE_CREATE", dm),
            ("GUILD_CREATE", JsonNode.Parse($$"""{"id":"{{Guild}}","name":"g","channels":[{"id":"{{Channel}}","type":0}]}""")!),
            ("TYPING_START", JsonNode.Parse($$"""{"channel_id":"{{Channel}}","user_id":"{{User}}","timestamp":1}""")!),
        ];
        for (var i = 0; i < 5; i++)
            seeds.AddRange([("INTERACTION_CREATE", interaction), ("INTERACTION_CREATE", autocomplete), ("INTERACTION_CREATE", button), ("INTERACTION_CREATE", subcommand)]);
        for (var i = 0; i < 40; i++) seeds.Add(("MESSAGE_CREATE", chatter));
        return seeds;
    }

    [Fact]
    public async Task Ten_thousand_malformed_dispatches_leave_the_shard_up_and_answering()
    {
        var random = new Random(20260205);
        var mutator = new PayloadMutator(random);
        var seeds = Seeds();
        var registered = 0;

        for (var i = 0; i < 10_000; i++)
        {
            var (name, seed) = seeds[i % seeds.Count];
            // Fresh ids (and tokens the fake will accept), so that repeats are not dropped as replays before they are read.
            var data = seed.DeepClone();
            data["id"] = _discord.NextSnowflake();
            if (name == "INTERACTION_CREATE") data["token"] = _discord.RegisterInteraction();
            var json = mutator.Mutate(data, 60_000);
            if (!IsJson(json)) json = "{}";
            if (name == "INTERACTION_CREATE") registered++;
            _discord.DispatchEvent(name, json);
        }

        string[] rawFrames =
        [
            "null", "[]", "{}", "not json", "{\"op\":0,", """{"op":0,"t":"MESSAGE_CREATE"}""", """{"op":0,"t":"INTERACTION_CREATE","d":null}""",
            """{"op":"0","t":"MESSAGE_CREATE","d":{}}""", """{"op":0,"s":"x","t":"INTERACTION_CREATE","d":{}}""", """{"op":0,"t":["MESSAGE_CREATE"],"d":{}}""",
            """{"op":0,"t":"INTERACTION_\udc00CREATE","d":{}}""", """{"op":11,"d":{"a":[null]}}""", """{"op":1e400}""", """{"op":-1,"d":"\ud800"}""",
        ];
        for (var i = 0; i < 300; i++) await _discord.SendRawGatewayFrameAsync(rawFrames[i % rawFrames.Length]);

        // Answered once everything before it on the connection has been read: on a busy machine that can take a while.
        await AssertStillAnsweringAsync(withinSeconds: 180);
        // The fuzz reached the handler: plenty of mangled interactions were still answered (each answer checked by the fake as Discord would).
        // Reading is in order but answering runs in the background, so the earlier answers may still be on their way.
        await Eventually.TrueAsync(() => _discord.InteractionResponses.Count > registered / 10, $"more than {registered / 10} of {registered} interactions answered");
        // What the handler could not read was only ever unreadable JSON, never a crash in the code that reads it.
        var unreadable = _logs.Lines.Where(l => l.Category == "Bot.Discord.Gateway.GatewayEventHandler" && l.Message.Contains(": unreadable ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(unreadable);
        Assert.All(unreadable, l => Assert.True(l.Message.Contains("(JsonException:", StringComparison.Ordinal), l.Message));
        var background = _logs.Lines.Where(l => l.Category == "Bot.Core.Chat.BackgroundWork" && l.Exception is not null).ToList();
        Assert.All(background, l => Assert.True(l.Exception is Bot.Discord.Protocol.DiscordApiException or Bot.Discord.Protocol.DiscordUnavailableException, l.Exception!.ToString()));
        // Interaction tokens from the fake all start "fake-interaction-"; neither they nor the bot token are ever logged.
        Assert.DoesNotContain(_logs.Lines, l => $"{l.Message} {l.Exception}" is var text
            && (text.Contains(_discord.BotToken, StringComparison.Ordinal) || text.Contains("fake-interaction-", StringComparison.Ordinal)));
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
