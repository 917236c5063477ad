using System.Text.Json;
using Bot.Discord.Gateway;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Discord.Tests.Gateway;

/// <summary>One shard against the fake gateway, on a fake clock: heartbeats and identify pacing without waiting real seconds.</summary>
public sealed class ShardTimingTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(41250);

    private sealed class RecordingEvents : IGatewayEvents
    {
        private readonly Lock _gate = new();
        private readonly List<(int Shard, string Name)> _events = [];

        public IReadOnlyList<(int Shard, string Name)> Events
        {
            get { lock (_gate) return [.. _events]; }
        }

        public void OnDispatch(int shardId, string eventName, JsonElement data)
        {
            lock (_gate) _events.Add((shardId, eventName));
        }
    }

    private static (GatewayShard[] Shards, RecordingEvents Events) Shards(FakeDiscordServer discord, FakeTimeProvider clock, int count, int maxConcurrency, double jitter)
    {
        var plan = new GatewayPlan(discord.GatewayUrl, count, discord.BotToken,
            GatewayIntents.Guilds | GatewayIntents.GuildMessages, new IdentifyLimiter(maxConcurrency, clock));
        var events = new RecordingEvents();
        var shards = Enumerable.Range(0, count)
            .Select(id => new GatewayShard(id, plan, events, clock, () => jitter, NullLogger.Instance))
            .ToArray();
        return (shards, events);
    }

    private static int Heartbeats(FakeDiscordServer discord) => discord.GatewayFrames.Count(f => f.Op == 1);

    [Fact]
    public async Task Heartbeats_start_after_the_jittered_wait_and_keep_the_interval()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.HeartbeatInterval = Interval;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (shards, _) = Shards(discord, clock, 1, 1, jitter: 0.25);
        using var stop = new CancellationTokenSource();
        var running = shards[0].RunAsync(stop.Token);

        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1, "the shard to identify");
        clock.Advance(Interval * 0.25 - TimeSpan.FromMilliseconds(1));
        await Task.Delay(100);
        Assert.Equal(0, Heartbeats(discord));

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => Heartbeats(discord) == 1, "the first heartbeat at interval × jitter");
        for (var beat = 2; beat <= 6; beat++)
        {
            clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.Equal(beat - 1, Heartbeats(discord));
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => Heartbeats(discord) == beat, $"heartbeat {beat}, one interval after the last");
        }

        // Each beat carries the last sequence number seen (READY was 1).
        var last = discord.GatewayFrames.Last(f => f.Op == 1);
        Assert.Equal(1, JsonDocument.Parse(last.Json).RootElement.GetProperty("d").GetInt64());
        Assert.Equal(1, discord.GatewayConnectionCount);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Sessions_started_lost_and_resumed_are_counted()
    {
        var seen = new List<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Name == "bot.websocket") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            if (values["platform"] == "discord") lock (seen) seen.Add(values["event"]!);
        });
        listener.Start();
        using var metrics = new Bot.Core.Chat.BotMetrics();
        await using var discord = await FakeDiscordServer.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var plan = new GatewayPlan(discord.GatewayUrl, 1, discord.BotToken, GatewayIntents.Guilds, new IdentifyLimiter(1, clock));
        var shard = new GatewayShard(0, plan, new RecordingEvents(), clock, () => 0.5, NullLogger.Instance, metrics);
        using var stop = new CancellationTokenSource();
        var running = shard.RunAsync(stop.Token);
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1 && shard.IsReady, "the shard to identify");

        await discord.DropGatewayAsync();
        await Eventually.TrueAsync(() => discord.ResumeCount == 1, "a resume");

        // Other tests' shards count on the same meter name: this one's events are among what was seen.
        bool Seen(string e)
        {
            lock (seen) return seen.Contains(e);
        }

        await Eventually.TrueAsync(() => Seen("identified") && Seen("lost") && Seen("resumed"), "the three events counted");

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_server_heartbeat_request_is_answered_at_once()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (shards, _) = Shards(discord, clock, 1, 1, jitter: 0.5);
        using var stop = new CancellationTokenSource();
        var running = shards[0].RunAsync(stop.Token);
        await Eventually.TrueAsync(() => discord.ReadyShardCount == 1, "the shard to identify");

        await discord.RequestHeartbeatAsync();

        await Eventually.TrueAsync(() => Heartbeats(discord) == 1, "a heartbeat without the clock moving");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_heartbeat_without_ack_makes_the_next_beat_reconnect_and_resume()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.HeartbeatInterval = Interval;
        discord.WithholdHeartbeatAcks = true;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (shards, _) = Shards(discord, clock, 1, 1, jitter: 0);
        using var stop = new CancellationTokenSource();
        var running = shards[0].RunAsync(stop.Token);
        await Eventually.TrueAsync(() => Heartbeats(discord) == 1, "the first heartbeat");

        discord.WithholdHeartbeatAcks = false;
        clock.Advance(Interval);

        await Eventually.TrueAsync(() => discord.ResumeCount == 1 && discord.ReadyShardCount == 1, "a resume on a new connection");
        Assert.Equal(1, discord.IdentifyCount);
        Assert.Equal(2, discord.GatewayConnectionCount);
        Assert.Contains(discord.ClientCloses, c => c.Code is not (null or 1000 or 1001));
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Shards_identify_no_faster_than_max_concurrency_per_five_seconds()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        discord.GatewayShards = 4;
        discord.MaxConcurrency = 2;
        discord.GatewayClock = clock;
        var (shards, events) = Shards(discord, clock, 4, 2, jitter: 0.5);
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(shards.Select(s => s.RunAsync(stop.Token)));

        await Eventually.TrueAsync(() => discord.IdentifyCount == 2, "the first bucket pair");
        await Task.Delay(200);
        Assert.Equal(2, discord.IdentifyCount);
        // One per bucket (shard id modulo max_concurrency) in the first window.
        Assert.Equal([0, 1], discord.Identifies.Select(i => i.ShardId % 2).Order().ToArray());

        clock.Advance(IdentifyLimiter.Window);
        await Eventually.TrueAsync(() => discord.IdentifyCount == 4 && discord.ReadyShardCount == 4, "the other two, five seconds later");
        Assert.Empty(discord.GatewayProtocolErrors);

        // DMs and guild-less events go to shard 0; guild events to (guild_id >> 22) % shards.
        discord.DispatchEvent("TYPING_START", "{}", shard: 3);
        await Eventually.TrueAsync(() => events.Events.Contains((3, "TYPING_START")), "the event on shard 3");
        await stop.CancelAsync();
        await running;
    }
}
