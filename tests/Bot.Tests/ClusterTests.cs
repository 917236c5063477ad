using System.Diagnostics;
using Bot.Core.Briefings;
using Bot.Storage.Briefings;
using Bot.Storage.Postgres;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Bot.Tests;

/// <summary>
/// Several real bot processes on one PostgreSQL, forming a Quartz cluster, against the fake Discord and
/// Slack; instances are killed with SIGKILL. Timings are printed, never asserted.
/// One PostgreSQL cluster for the class (<see cref="PostgresFixture"/>); every test gets its own database on it.
/// </summary>
public sealed class ClusterTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private FakeDiscordServer _discord = null!;
    private FakeSlackServer _slack = null!;
    private string _connectionString = null!;
    private PostgresDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        _database = new PostgresDatabase(_connectionString);
        await new PostgresMigrator(_database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await postgres.Server.DropDatabaseAsync(_connectionString);
        await _slack.DisposeAsync();
        await _discord.DisposeAsync();
    }

    [Fact]
    public async Task An_instance_killed_while_holding_a_scheduled_post_leaves_it_to_another_which_posts_it_once()
    {
        await using var cluster = await BotCluster.StartAsync(_connectionString, _discord, _slack, count: 2,
            new Dictionary<string, string> { ["Logging__LogLevel__Quartz"] = "Information" });
        const string channel = "710000000000000001";
        _discord.AddChannel(channel);
        // Made after start-up, so the periodic sync (every 30 s, on one instance) is what schedules it.
        var due = NextMinuteAtLeast(TimeSpan.FromSeconds(50));
        var subscription = await SubscribeAsync("discord", channel, due);

        var holder = await Eventually.HoldsAsync(() => HolderOf(subscription.Id), "an instance to acquire the trigger", TimeSpan.FromSeconds(120));
        var killedAt = DateTimeOffset.UtcNow;
        await cluster[holder].KillHardAsync();
        Assert.Empty(_discord.Messages);

        try
        {
            await Eventually.TrueAsync(() => _discord.Messages.Count > 0, "the post from the surviving instance", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{await SchedulerStateAsync()}\n{cluster.Output}", ex);
        }

        var arrived = DateTimeOffset.UtcNow;
        // Room for a second post to show before counting.
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Single(_discord.Messages);
        Assert.Equal(channel, _discord.Messages[0].ChannelId);
        output.WriteLine(
            $"Failover: {holder} held the trigger and was killed {(due - killedAt).TotalSeconds:0.0} s before it was due; " +
            $"the post arrived {(arrived - due).TotalSeconds:0.0} s after its due time " +
            "(Scheduler:CheckinInterval 1 s, CheckinMisfireThreshold 1 s).");
    }

    [Fact]
    public async Task Three_instances_and_one_killed_mid_fan_out_post_every_channel_exactly_once()
    {
        const int perPlatform = 250;
        for (var i = 0; i < perPlatform; i++)
        {
            _discord.AddChannel($"72{i:D16}");
            _slack.AddChannel($"C0CLUSTER{i:D4}");
        }

        // Made before start-up: three instances starting together each sync 500 subscriptions into Quartz.
        var due = NextMinuteAtLeast(TimeSpan.FromSeconds(90));
        for (var i = 0; i < perPlatform; i++)
        {
            await SubscribeAsync("discord", $"72{i:D16}", due);
            await SubscribeAsync("slack", $"C0CLUSTER{i:D4}", due);
        }

        await using var cluster = await BotCluster.StartAsync(_connectionString, _discord, _slack, count: 3,
            new Dictionary<string, string> { ["Logging__LogLevel__Quartz"] = "Information", ["Logging__LogLevel__Bot.Jobs"] = "Information" },
            // On a busy machine the instances' start-up (each syncs and catches up 500 subscriptions) can outlast
            // the due minute; the fan-out is watched from the start, not from when all three are healthy.
            waitUntilHealthy: false);
        try
        {
            await Eventually.TrueAsync(() => Posted() >= 100, "the fan-out to be under way", TimeSpan.FromSeconds(300));
            var victim = await BusiestInstanceAsync() ?? BotCluster.InstanceId(0);
            var postedBeforeKill = Posted();
            await cluster[victim].KillHardAsync();
            output.WriteLine($"Killed {victim} with {postedBeforeKill} of {2 * perPlatform} posts out.");

            await Eventually.TrueAsync(() => DiscordChannels().Count == perPlatform && SlackChannels().Count == perPlatform,
                "every channel's digest", TimeSpan.FromSeconds(240));
            var done = DateTimeOffset.UtcNow;
            // Room for a duplicate to show before counting.
            await Task.Delay(TimeSpan.FromSeconds(5));

            Assert.True(postedBeforeKill < 2 * perPlatform, "the kill should have come mid fan-out");
            Assert.All(DiscordChannels(), c => Assert.Equal(1, c.Value));
            Assert.All(SlackChannels(), c => Assert.Equal(1, c.Value));
            output.WriteLine($"All {2 * perPlatform} digests out {(done - due).TotalSeconds:0.0} s after their due time.");
            // The instances share one Discord budget in the store (on by default with PostgreSQL); the killed
            // instance's places free after their lease, so it costs rate for a while but never a 429.
            Assert.Equal(0, _discord.RateLimitedCount);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\n{await SchedulerStateAsync()}\n{cluster.Output}", ex);
        }
    }

    private int Posted() => _discord.Messages.Count + _slack.Messages.Count(m => m.Method == "chat.postMessage");

    private Dictionary<string, int> DiscordChannels() => _discord.Messages.GroupBy(m => m.ChannelId).ToDictionary(g => g.Key, g => g.Count());

    private Dictionary<string, int> SlackChannels() =>
        _slack.Messages.Where(m => m.Method == "chat.postMessage").GroupBy(m => m.Channel).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A UTC minute at least <paramref name="lead"/> away: subscriptions have minute precision.</summary>
    private static DateTimeOffset NextMinuteAtLeast(TimeSpan lead)
    {
        var earliest = DateTimeOffset.UtcNow + lead;
        var minute = new DateTimeOffset(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, earliest.Minute, 0, TimeSpan.Zero);
        return minute < earliest ? minute.AddMinutes(1) : minute;
    }

    /// <summary>Created now (not yesterday), so no instance's start-up catch-up posts an earlier day.</summary>
    private async Task<Subscription> SubscribeAsync(string platform, string channel, DateTimeOffset due) =>
        await new SqlSubscriptionStore(_database, TimeProvider.System).SaveAsync(new Subscription
        {
            Platform = platform,
            Workspace = "w",
            Channel = channel,
            Kind = BriefingKind.Digest,
            LocalTime = new TimeOnly(due.Hour, due.Minute),
            TimeZone = "UTC",
        }, CancellationToken.None);

    /// <summary>The instance that has acquired (or is running) the subscription's trigger, if any.</summary>
    private string? HolderOf(long subscriptionId)
    {
        using var connection = _database.OpenConnection();
        return connection.QueryFirstOrDefault<string>(
            "SELECT instance_name FROM qrtz_fired_triggers WHERE trigger_name = @name",
            new { name = $"subscription-{subscriptionId}" });
    }

    /// <summary>Quartz's tables and the outbox, for a failing test's message.</summary>
    private async Task<string> SchedulerStateAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        var lines = new List<string>();
        foreach (var sql in new[]
                 {
                     "SELECT instance_name, last_checkin_time, checkin_interval FROM qrtz_scheduler_state",
                     "SELECT trigger_name, trigger_state, next_fire_time, misfire_instr FROM qrtz_triggers ORDER BY trigger_name LIMIT 20",
                     "SELECT instance_name, trigger_name, state, fired_time, sched_time, requests_recovery FROM qrtz_fired_triggers LIMIT 20",
                     "SELECT subscription_id, local_date, status, attempts, last_error FROM deliveries ORDER BY id LIMIT 20",
                 })
        {
            lines.Add(sql);
            foreach (IDictionary<string, object?> row in await connection.QueryAsync(sql))
                lines.Add("  " + string.Join(", ", row.Select(c => $"{c.Key}={c.Value}")));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The instance holding the most triggers right now: killing it leaves the most to take over.</summary>
    private async Task<string?> BusiestInstanceAsync()
    {
        await using var connection = await _database.OpenAsync(CancellationToken.None);
        return await connection.QueryFirstOrDefaultAsync<string>(
            "SELECT instance_name FROM qrtz_fired_triggers GROUP BY instance_name ORDER BY count(*) DESC LIMIT 1");
    }
}
