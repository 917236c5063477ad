using Bot.Core.Briefings;
using Bot.Storage;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests;

/// <summary>Scheduled posts through the real host and both fake platforms.</summary>
public sealed class BriefingDeliveryTests : IAsyncLifetime
{
    private FakeDiscordServer _discord = null!;
    private FakeSlackServer _slack = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = _discord.ApplicationId,
            ["Discord:PublicKey"] = _discord.PublicKeyHex,
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _bot.Services.GetRequiredService<T>();

    private Task<Subscription> Subscribe(string platform, string channel) =>
        Get<ISubscriptionStore>().SaveAsync(new Subscription { Platform = platform, Workspace = "w", Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" }, CancellationToken.None);

    [Fact]
    public async Task Two_hundred_channels_due_at_once_each_get_exactly_one_digest_without_avoidable_429s()
    {
        var subscriptions = new List<Subscription>();
        for (var i = 0; i < 100; i++)
        {
            _discord.AddChannel($"90000000000000{i:D4}");
            _slack.AddChannel($"C0FAN{i:D4}");
            subscriptions.Add(await Subscribe("discord", $"90000000000000{i:D4}"));
            subscriptions.Add(await Subscribe("slack", $"C0FAN{i:D4}"));
        }

        var due = DateTimeOffset.UtcNow;
        var service = Get<BriefingService>();
        await Task.WhenAll(subscriptions.Select(s => Task.Run(() => service.RunDueAsync(s.Id, due, CancellationToken.None))));
        // A second wave for the same minute, as a restarted or duplicated trigger would send: nothing more is posted.
        await Task.WhenAll(subscriptions.Select(s => Task.Run(() => service.RunDueAsync(s.Id, due, CancellationToken.None))));

        Assert.Equal(100, _discord.Messages.Count);
        Assert.Equal(100, _discord.Messages.Select(m => m.ChannelId).Distinct().Count());
        var slackPosts = _slack.Messages.Where(m => m.Method == "chat.postMessage").ToList();
        Assert.Equal(100, slackPosts.Count);
        Assert.Equal(100, slackPosts.Select(m => m.Channel).Distinct().Count());
        // The issue allows the first 429 of a burst; the limiter counts a request until a second after its
        // response, so none should come at all.
        Assert.InRange(_discord.InvalidRequestCount, 0, 1);
        Assert.DoesNotContain(_slack.Calls, c => c.Status == 429);
        Assert.Contains("Briefing — ", _discord.Messages[0].Body.GetProperty("embeds")[0].GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Slack_digest_whose_first_attempt_went_through_is_not_posted_again()
    {
        _slack.AddChannel("C0ONCE");
        var subscription = await Subscribe("slack", "C0ONCE");
        var due = DateTimeOffset.UtcNow;
        await Get<BriefingService>().RunDueAsync(subscription.Id, due, CancellationToken.None);
        Assert.Single(_slack.Messages, m => m.Channel == "C0ONCE");

        // The process posted, then died before marking the delivery sent: put it back to pending, due now.
        var database = Get<SqliteDatabase>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("UPDATE deliveries SET status = 'pending', next_attempt_at = '2000-01-01T00:00:00.0000000Z', sent_at = NULL WHERE subscription_id = @id", new { id = subscription.Id });

        await Get<BriefingService>().RetryDueAsync(CancellationToken.None);

        Assert.Single(_slack.Messages, m => m.Channel == "C0ONCE");
        Assert.Contains(_slack.Calls, c => c.Method == "conversations.history");
        await using var check = await database.OpenAsync(CancellationToken.None);
        Assert.Equal("sent", await check.ExecuteScalarAsync<string>("SELECT status FROM deliveries WHERE subscription_id = @id", new { id = subscription.Id }));
    }

    [Fact]
    public async Task A_Discord_digest_resent_after_a_crash_returns_the_message_already_posted()
    {
        _discord.AddChannel("9100000000000000001");
        var subscription = await Subscribe("discord", "9100000000000000001");
        await Get<BriefingService>().RunDueAsync(subscription.Id, DateTimeOffset.UtcNow, CancellationToken.None);
        var database = Get<SqliteDatabase>();
        await using (var connection = await database.OpenAsync(CancellationToken.None))
            await connection.ExecuteAsync("UPDATE deliveries SET status = 'pending', next_attempt_at = '2000-01-01T00:00:00.0000000Z' WHERE subscription_id = @id", new { id = subscription.Id });

        await Get<BriefingService>().RetryDueAsync(CancellationToken.None);

        Assert.Single(_discord.Messages, m => m.ChannelId == "9100000000000000001");
        Assert.Equal(2, _discord.Requests.Count(r => r.Path.EndsWith("/channels/9100000000000000001/messages", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_channel_the_bot_cannot_post_in_marks_the_subscription_failing()
    {
        _discord.ForbidChannel("9200000000000000001");
        var subscription = await Subscribe("discord", "9200000000000000001");

        await Get<BriefingService>().RunDueAsync(subscription.Id, DateTimeOffset.UtcNow, CancellationToken.None);

        var saved = await Get<ISubscriptionStore>().GetAsync(subscription.Id, CancellationToken.None);
        Assert.NotNull(saved!.FailingSince);
        Assert.Contains("50013", saved.FailureReason, StringComparison.Ordinal);
        Assert.Single(_discord.Requests, r => r.Path.EndsWith("/channels/9200000000000000001/messages", StringComparison.Ordinal));
    }
}

public sealed class SchedulingTests
{
    [Fact]
    public async Task Subscriptions_get_a_trigger_in_their_zone_at_start_up_and_when_they_change()
    {
        var folder = Directory.CreateTempSubdirectory("bot-sched-").FullName;
        var databasePath = Path.Combine(folder, "bot.db");
        var database = new SqliteDatabase(databasePath);
        await new Bot.Storage.Migrations.Migrator(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<Bot.Storage.Migrations.Migrator>.Instance).MigrateAsync(CancellationToken.None);
        var existing = await new Bot.Storage.Briefings.SqlSubscriptionStore(database, TimeProvider.System).SaveAsync(new Subscription
        {
            Platform = "slack",
            Workspace = "w",
            Channel = "C1",
            Kind = BriefingKind.Digest,
            LocalTime = new TimeOnly(9, 0),
            TimeZone = "Europe/Paris",
        }, CancellationToken.None);

        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Storage:Path"] = databasePath });
        var scheduler = await bot.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler();
        var restored = await scheduler.GetTrigger(Bot.Jobs.QuartzBriefingScheduler.TriggerFor(existing.Id));
        var next = restored!.NextFireTimeUtc!.Value;

        Assert.Equal(BriefingClock.Next(existing, DateTimeOffset.UtcNow), next);
        Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(next, existing.Zone).DateTime));

        // A change made through the chat command reschedules at once.
        var router = bot.Services.GetRequiredService<Bot.Core.Chat.CommandRouter>();
        await router.HandleAsync(new Bot.Core.Chat.ChatRequest("briefing subscribe digest 07:45 America/New_York",
            new Bot.Core.Chat.ChatContext { Platform = "slack", Workspace = "w", Channel = "C1", CanManageBriefings = true }), CancellationToken.None);
        var moved = (await scheduler.GetTrigger(Bot.Jobs.QuartzBriefingScheduler.TriggerFor(existing.Id)))!.NextFireTimeUtc!.Value;
        Assert.Equal(new TimeOnly(7, 45), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(moved, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).DateTime));

        await router.HandleAsync(new Bot.Core.Chat.ChatRequest("briefing unsubscribe digest",
            new Bot.Core.Chat.ChatContext { Platform = "slack", Workspace = "w", Channel = "C1", CanManageBriefings = true }), CancellationToken.None);
        Assert.Null(await scheduler.GetTrigger(Bot.Jobs.QuartzBriefingScheduler.TriggerFor(existing.Id)));
    }
}

public sealed class ReadinessTests
{
    [Fact]
    public async Task Readiness_covers_each_enabled_platform()
    {
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

        using var response = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var entries = json.RootElement.GetProperty("entries");
        Assert.Equal("Healthy", entries.GetProperty("discord").GetProperty("status").GetString());
        Assert.Equal("Healthy", entries.GetProperty("slack").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_platform_refusing_the_token_makes_the_bot_not_ready()
    {
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        slack.Script("auth.test", ScriptedSlackResponse.Error("invalid_auth"));
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = slack.SigningSecret,
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        });

        using var response = await bot.Http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("invalid_auth", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
