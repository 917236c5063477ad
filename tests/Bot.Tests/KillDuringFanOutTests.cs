using System.Diagnostics;
using Bot.Core.Briefings;
using Bot.Storage;
using Bot.Storage.Briefings;
using Bot.Storage.Migrations;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests;

/// <summary>The real bot as a child process, killed hard in the middle of a 200-channel fan-out, then started again.</summary>
public sealed class KillDuringFanOutTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-kill-").FullName;
    private FakeDiscordServer _discord = null!;
    private FakeSlackServer _slack = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _discord.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Every_channel_ends_with_exactly_one_digest()
    {
        var databasePath = Path.Combine(_folder, "bot.db");
        await SubscribeChannelsAsync(databasePath);

        using (var first = StartBot(databasePath))
        {
            // Let part of the fan-out happen, then pull the plug: no shutdown, no flush.
            await WaitForAsync(() => Posted() >= 40, TimeSpan.FromSeconds(60), "the fan-out to start");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var postedBeforeRestart = Posted();
        using var second = StartBot(databasePath);
        try
        {
            await WaitForAsync(() => DiscordChannels().Count == 100 && SlackChannels().Count == 100, TimeSpan.FromSeconds(120), "every channel");
            // Give any duplicate a chance to show before counting.
            await Task.Delay(2000);
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }

        Assert.True(postedBeforeRestart < 200, "the kill should have come mid fan-out");
        Assert.All(DiscordChannels(), c => Assert.Equal(1, c.Value));
        Assert.All(SlackChannels(), c => Assert.Equal(1, c.Value));
        Assert.Equal(100, DiscordChannels().Count);
        Assert.Equal(100, SlackChannels().Count);
    }

    private int Posted() => _discord.Messages.Count + _slack.Messages.Count(m => m.Method == "chat.postMessage");

    private Dictionary<string, int> DiscordChannels() => _discord.Messages.GroupBy(m => m.ChannelId).ToDictionary(g => g.Key, g => g.Count());

    private Dictionary<string, int> SlackChannels() =>
        _slack.Messages.Where(m => m.Method == "chat.postMessage").GroupBy(m => m.Channel).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>200 subscriptions made yesterday, due two minutes ago: the bot's start-up catch-up sends them all at once.</summary>
    private async Task SubscribeChannelsAsync(string databasePath)
    {
        var database = new SqliteDatabase(databasePath);
        await new Migrator(database, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var store = new SqlSubscriptionStore(database, new FakeTimeProvider(now.AddDays(-1)));
        var due = TimeOnly.FromDateTime(now.AddMinutes(-2).UtcDateTime);
        for (var i = 0; i < 100; i++)
        {
            _discord.AddChannel($"7{i:D18}");
            _slack.AddChannel($"C0KILL{i:D4}");
            await store.SaveAsync(new Subscription { Platform = "discord", Workspace = "w", Channel = $"7{i:D18}", Kind = BriefingKind.Digest, LocalTime = new TimeOnly(due.Hour, due.Minute), TimeZone = "UTC" }, CancellationToken.None);
            await store.SaveAsync(new Subscription { Platform = "slack", Workspace = "w", Channel = $"C0KILL{i:D4}", Kind = BriefingKind.Digest, LocalTime = new TimeOnly(due.Hour, due.Minute), TimeZone = "UTC" }, CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private Process StartBot(string databasePath)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "bot.dll"), "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(arg);
        var environment = new Dictionary<string, string>
        {
            ["Storage__Path"] = databasePath,
            ["Seeds__Path"] = RepoPaths.Seeds,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Discord__ApplicationId"] = _discord.ApplicationId,
            ["Discord__PublicKey"] = _discord.PublicKeyHex,
            ["Discord__BotToken"] = _discord.BotToken,
            ["Discord__ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
            ["Slack__SigningSecret"] = _slack.SigningSecret,
            ["Slack__BotToken"] = _slack.BotToken,
            ["Slack__ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            // A claim left by the killed process is retried after 3 s instead of 2 minutes.
            ["Delivery__SendLeaseSeconds"] = "3",
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(deadline) > limit) throw new TimeoutException($"Timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
