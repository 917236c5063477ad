using System.Diagnostics;
using Bot.Core.Briefings;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Benchmarks;

/// <summary>
/// "fanout": 1,000 subscriptions (half Discord, half Slack) due at the same minute, delivered by the
/// real host to the fake platforms on 127.0.0.1; reports the wall time, posts per channel and 429s.
/// </summary>
public static class FanOutRun
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var count = args.Number("--subscriptions", 1000);
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:PublicKey"] = discord.PublicKeyHex,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Slack:SigningSecret"] = slack.SigningSecret,
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        });
        var store = bot.Services.GetRequiredService<ISubscriptionStore>();
        var subscriptions = new List<Subscription>();
        for (var i = 0; i < count; i++)
        {
            var discordSide = i % 2 == 0;
            var channel = discordSide ? $"8{i:D18}" : $"C0FAN{i:D6}";
            if (discordSide) discord.AddChannel(channel);
            else slack.AddChannel(channel);
            subscriptions.Add(await store.SaveAsync(new Subscription
            {
                Platform = discordSide ? "discord" : "slack",
                Workspace = "w",
                Channel = channel,
                Kind = BriefingKind.Digest,
                TimeZone = "UTC",
            }, CancellationToken.None));
        }

        var briefings = bot.Services.GetRequiredService<BriefingService>();
        var due = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        // As Quartz would: every trigger fires at once, the outbox and the platform clients do the pacing.
        await Task.WhenAll(subscriptions.Select(s => Task.Run(() => briefings.RunDueAsync(s.Id, due, CancellationToken.None))));
        await briefings.RetryDueAsync(CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var discordPosts = discord.Messages.Count;
        var slackPosts = slack.Messages.Count(m => m.Method == "chat.postMessage");
        var discordChannels = discord.Messages.Select(m => m.ChannelId).Distinct().Count();
        var slackChannels = slack.Messages.Where(m => m.Method == "chat.postMessage").Select(m => m.Channel).Distinct().Count();
        var discordShare = (count + 1) / 2;
        Console.WriteLine("| subscriptions | wall time | Discord posts (channels) | Slack posts (channels) | Discord 401/403/429 | Slack 429 | floor at 50/s for Discord |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {count} | {elapsed.TotalSeconds:F1} s | {discordPosts} ({discordChannels}) | {slackPosts} ({slackChannels}) | {discord.InvalidRequestCount} | {slack.Calls.Count(c => c.Status == 429)} | {discordShare / 50.0:F1} s |");
        return discordPosts == discordShare && slackPosts == count - discordShare ? 0 : 1;
    }
}
