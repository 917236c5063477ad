using Bot.Core.Feeds;
using Bot.Storage.Feeds;
using Bot.Storage.Postgres;
using Bot.Testing;
using Bot.Testing.Feeds;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests;

/// <summary>
/// Two bot hosts on one PostgreSQL database, as two instances behind a load balancer: what one took in, the other
/// knows (a Slack retry, a thread's incident, a claimed feed). Counted in the fake Slack's and the feed server's records.
/// One PostgreSQL cluster for the class (<see cref="PostgresFixture"/>); every test gets its own database on it.
/// </summary>
public sealed class TwoInstancesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private string _connectionString = null!;
    private FakeSlackServer _slack = null!;
    private FeedServer _feeds = null!;
    private RunningBot _a = null!;
    private RunningBot _b = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _feeds = await FeedServer.StartAsync();
        _feeds.Map("/news.xml", new FeedResponse(FeedDocuments.Rss("Harbour Post",
        [
            new FeedDocumentItem("hp-1", "FBI lab finishes its study of the balloon debris", "https://news.example/1", null, "Mon, 06 Feb 2023 10:00:00 GMT"),
        ])));
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = _connectionString,
            ["Answers:Embeddings"] = "false",
            ["Feeds:AllowPrivateAddresses"] = "true",
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString().TrimEnd('/'),
        };
        // One after the other: the first migrates and seeds, the second finds it done (as a rolling start would).
        _a = await RunningBot.StartAsync(settings);
        _b = await RunningBot.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        await _feeds.DisposeAsync();
        await _slack.DisposeAsync();
        await postgres.Server.DropDatabaseAsync(_connectionString);
    }

    private static string Mention(string text, string ts, string? threadTs = null) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "app_mention",
            ["user"] = "U0ALICE",
            ["text"] = text,
            ["ts"] = ts,
            ["channel"] = "C0GENERAL",
            ["event_ts"] = ts,
            ["thread_ts"] = threadTs,
        }.Where(p => p.Value is not null).ToDictionary());

    private async Task SendAsync(RunningBot bot, string mention, string? eventId = null, int? retryNum = null)
    {
        using var response = await bot.Http.SendAsync(_slack.EventCallback(bot.Url("slack/events"), mention, eventId, retryNum, retryNum is null ? null : "http_timeout"));
        response.EnsureSuccessStatusCode();
    }

    private Task<SlackPostedMessage> ReplyAsync(string threadTs, int index = 0) =>
        Eventually.HoldsAsync(() => _slack.Messages.Where(m => m.ThreadTs == threadTs).Skip(index).FirstOrDefault(), $"reply {index + 1} in thread {threadTs}",
            TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_Slack_retry_landing_on_the_other_instance_is_answered_once()
    {
        var mention = Mention("<@U0BOT> where is safeguard defenders based?", "1700000400.000100");

        await SendAsync(_a, mention, eventId: "Ev400");
        await SendAsync(_b, mention, eventId: "Ev400", retryNum: 1);
        await ReplyAsync("1700000400.000100");
        // A later mention through B, answered: B has long finished with the retry it received before.
        await SendAsync(_b, Mention("<@U0BOT> incident tiktok", "1700000401.000100"), eventId: "Ev401");
        await ReplyAsync("1700000401.000100");

        Assert.Single(_slack.Messages, m => m.ThreadTs == "1700000400.000100");
    }

    [Fact]
    public async Task A_follow_up_asked_through_the_other_instance_knows_the_thread_s_incident()
    {
        await SendAsync(_a, Mention("<@U0BOT> which company did Wei Sun work for?", "1700000200.000100"), eventId: "Ev200");
        await ReplyAsync("1700000200.000100");
        var thread = new Bot.Core.Chat.ChatContext
        {
            Platform = "slack",
            Workspace = _slack.TeamId,
            Channel = "C0GENERAL",
            User = "U0ALICE",
            Thread = "1700000200.000100",
        };
        // The thread's incident as instance B reads it: what A remembered (in-process memory would know nothing here).
        var known = await _b.Services.GetRequiredService<Bot.Core.Answers.ConversationMemory>().LastIncidentAsync(thread, CancellationToken.None);

        await SendAsync(_b, Mention("<@U0BOT> and when was he sentenced?", "1700000201.000100", threadTs: "1700000200.000100"), eventId: "Ev201");

        var reply = await ReplyAsync("1700000200.000100", index: 1);
        Assert.Equal("wei-sun", known);
        Assert.Contains("2020", reply.Body.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_due_feed_is_fetched_by_one_instance_only()
    {
        await using var database = new PostgresDatabase(_connectionString);
        var store = new SqlFeedStore(database);
        var (feed, _) = await store.AddAsync(new FeedOwner("slack", "T0TEST"), _feeds.Url("/news.xml").ToString(), "balloon", 15, DateTimeOffset.UtcNow, CancellationToken.None);

        // Both instances run a round at once (their background pollers may join in: they claim the same way).
        await Task.WhenAll(new[] { _a, _b }.Select(bot => Task.Run(() => bot.Services.GetRequiredService<FeedRound>().RunAsync(50, CancellationToken.None))));
        await Eventually.TrueAsync(() => store.GetAsync(feed.Id, CancellationToken.None).GetAwaiter().GetResult()?.LastFetchedAt is not null,
            "the feed's status saved by whoever polled it", TimeSpan.FromSeconds(30));
        // Polled and saved: it is due again only after its interval, so no round of either instance fetches it now.
        await Task.WhenAll(new[] { _a, _b }.Select(bot => bot.Services.GetRequiredService<FeedRound>().RunAsync(50, CancellationToken.None)));

        Assert.Equal(1, _feeds.Hits("/news.xml"));
    }
}
