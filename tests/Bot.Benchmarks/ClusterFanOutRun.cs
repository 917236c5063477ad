using System.Diagnostics;
using System.Globalization;
using Bot.Core.Briefings;
using Bot.Storage.Briefings;
using Bot.Storage.Postgres;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Benchmarks;

/// <summary>
/// "cluster-fanout": N channels (half Discord, half Slack) subscribed to the same minute, delivered by 1, 2 and 3
/// real <c>bot.dll</c> processes on one throw-away PostgreSQL against the fake Discord and Slack in this process.
/// Per instance count: when each platform's last digest arrived after the due minute, posts per second, the fake
/// Discord's 429s and any channel posted twice. The fake Discord enforces Discord's global 50 requests/s and the
/// instances share a 45/s budget in the store, so the Discord half cannot finish sooner than its count / 45.
/// </summary>
public static class ClusterFanOutRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static async Task<int> RunAsync(Arguments args)
    {
        var channels = args.Number("--channels", 2000);
        var lead = TimeSpan.FromSeconds(args.Number("--lead", 45));
        var counts = args.Text("--instances", "1,2,3").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToList();
        if (!File.Exists(BotProcess.DefaultDll))
        {
            Console.Error.WriteLine($"cluster-fanout: {BotProcess.DefaultDll} is missing: dotnet build -c Release src/Bot");
            return 2;
        }

        Console.Error.WriteLine("cluster-fanout: starting a throw-away PostgreSQL 15");
        await using var postgres = await PostgresServer.StartAsync();
        var rows = new List<string>();
        var failed = false;
        foreach (var count in counts)
        {
            var (row, ok) = await RunOnceAsync(postgres, count, channels, lead);
            rows.Add(row);
            failed |= !ok;
            Console.Error.WriteLine($"cluster-fanout: {row}");
        }

        Console.WriteLine();
        Console.WriteLine($"Fan-out of {channels:N0} channels ({(channels + 1) / 2:N0} Discord, {channels / 2:N0} Slack) due the same minute, bot.dll processes on one PostgreSQL 15 (fsync off), fakes in this process; the shared Discord budget is 45/s under the fake's global 50/s.");
        Console.WriteLine();
        Console.WriteLine("| instances | ready before due | first post | Discord done | Slack done | last post | posts/s (due → last) | Discord posts/s | Discord 429 | Slack 429 | double posts | load average (start → end) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows) Console.WriteLine(row);
        return failed ? 1 : 0;
    }

    private static async Task<(string Row, bool Ok)> RunOnceAsync(PostgresServer postgres, int instances, int channels, TimeSpan lead)
    {
        var loadAtStart = LoadAverage();
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        var connectionString = await postgres.CreateDatabaseAsync();
        try
        {
            await using (var database = new PostgresDatabase(connectionString))
            {
                await new PostgresMigrator(database, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);
                var due = NextMinuteAtLeast(lead);
                var store = new SqlSubscriptionStore(database, TimeProvider.System);
                for (var i = 0; i < channels; i++)
                {
                    var onDiscord = i % 2 == 0;
                    var channel = onDiscord ? $"73{i:D16}" : $"C0FAN{i:D6}";
                    if (onDiscord) discord.AddChannel(channel);
                    else slack.AddChannel(channel);
                    // Created now, not yesterday: no start-up catch-up posts an earlier day.
                    await store.SaveAsync(new Subscription
                    {
                        Platform = onDiscord ? "discord" : "slack",
                        Workspace = "w",
                        Channel = channel,
                        Kind = BriefingKind.Digest,
                        LocalTime = new TimeOnly(due.Hour, due.Minute),
                        TimeZone = "UTC",
                    }, CancellationToken.None);
                }

                Console.Error.WriteLine($"cluster-fanout: {instances} instance(s), {channels} subscriptions due {due:HH:mm:ss} UTC");
                return await FanOutAsync(connectionString, discord, slack, instances, channels, due, loadAtStart);
            }
        }
        finally
        {
            await postgres.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<(string Row, bool Ok)> FanOutAsync(
        string connectionString, FakeDiscordServer discord, FakeSlackServer slack, int instances, int channels, DateTimeOffset due, string loadAtStart)
    {
        var discordShare = (channels + 1) / 2;
        var slackShare = channels / 2;
        // Start-up (migrate, sync every subscription into Quartz) is watched, not waited for: on a busy machine it
        // can outlast the due minute, and the start-up catch-up then fires the digests late; the row says so.
        await using var cluster = await BotCluster.StartAsync(connectionString, discord, slack, instances, waitUntilHealthy: false);
        var healthy = cluster.WaitHealthyAsync().ContinueWith(_ => DateTimeOffset.UtcNow, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        DateTimeOffset? firstPost = null, discordDone = null, slackDone = null;
        var giveUp = due + TimeSpan.FromMinutes(4);
        while ((discordDone is null || slackDone is null) && DateTimeOffset.UtcNow < giveUp)
        {
            if (cluster.Instances.All(i => i.HasExited)) break;
            var now = DateTimeOffset.UtcNow;
            if (firstPost is null && discord.Messages.Count + slack.Messages.Count > 0) firstPost = now;
            if (discordDone is null && discord.Messages.Count >= discordShare) discordDone = now;
            if (slackDone is null && SlackPosts(slack).Count >= slackShare) slackDone = now;
            await Task.Delay(Poll);
        }

        // Room for a second post to one channel to show before counting.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var readyAt = healthy.IsCompletedSuccessfully ? healthy.Result : (DateTimeOffset?)null;
        var discordPosts = discord.Messages;
        var slackPosts = SlackPosts(slack);
        var doubles = discordPosts.Count - discordPosts.Select(m => m.ChannelId).Distinct().Count()
            + slackPosts.Count - slackPosts.Select(m => m.Channel).Distinct().Count();
        var slack429 = slack.Calls.Count(c => c.Status == 429);
        var complete = discordDone is not null && slackDone is not null;
        if (!complete) Console.Error.WriteLine($"cluster-fanout: incomplete: {discordPosts.Count}/{discordShare} Discord, {slackPosts.Count}/{slackShare} Slack\n{cluster.Output}");

        var last = complete ? (discordDone > slackDone ? discordDone : slackDone)!.Value : DateTimeOffset.UtcNow;
        var total = (last - due).TotalSeconds;
        var overall = complete && total > 0 ? Inv($"{channels / total:0}") : "–";
        var discordRate = discordDone is { } d && d > due ? Inv($"{discordShare / (d - due).TotalSeconds:0.0}") : "–";
        var row = Inv($"| {instances} | {Ready(readyAt, due)} | {Since(firstPost, due)} | {Since(discordDone, due)} | {Since(slackDone, due)} | {Since(complete ? last : null, due)} | {overall} | {discordRate} | {discord.RateLimitedCount} | {slack429} | {doubles} | {loadAtStart} → {LoadAverage()} |");
        return (row, complete && doubles == 0);
    }

    private static List<SlackPostedMessage> SlackPosts(FakeSlackServer slack) => [.. slack.Messages.Where(m => m.Method == "chat.postMessage")];

    private static string Since(DateTimeOffset? at, DateTimeOffset due) => at is { } value ? Inv($"{(value - due).TotalSeconds:0.0} s") : "not done";

    private static string Ready(DateTimeOffset? at, DateTimeOffset due) => at is { } value
        ? value <= due ? Inv($"{(due - value).TotalSeconds:0} s") : Inv($"**{(value - due).TotalSeconds:0} s late**")
        : "not ready";

    /// <summary>A UTC minute at least <paramref name="lead"/> away: subscriptions have minute precision.</summary>
    private static DateTimeOffset NextMinuteAtLeast(TimeSpan lead)
    {
        var earliest = DateTimeOffset.UtcNow + lead;
        var minute = new DateTimeOffset(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, earliest.Minute, 0, TimeSpan.Zero);
        return minute < earliest ? minute.AddMinutes(1) : minute;
    }

    /// <summary>The 1-minute figure and the two others, as /proc/loadavg gives them.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
