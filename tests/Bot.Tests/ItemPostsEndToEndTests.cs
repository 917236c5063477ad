using System.Net.Http.Json;
using Bot.Cli;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Feeds;
using Bot.Core.Incidents.Editing;
using Bot.Playground;
using Bot.Storage;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Feeds;
using Bot.Testing.Slack;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Tests;

/// <summary>
/// Live posts of new feed items (<c>/briefing subscribe items &lt;incident&gt;</c>) through the real host: a feed server on
/// 127.0.0.1, the real fetcher and ingestor, the outbox and both fake platforms. Polls are made by the test (the
/// background poller is taken out) so each one happens exactly when the test says.
/// </summary>
public sealed class ItemPostsEndToEndTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private FakeDiscordServer _discord = null!;
    private FakeSlackServer _slack = null!;
    private FeedServer _feeds = null!;
    private RunningBot _bot = null!;
    private readonly List<FeedDocumentItem> _published = [];

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _feeds = await FeedServer.StartAsync();
        _feeds.Map("/news.xml", () => new FeedResponse(FeedDocuments.Rss("Harbour Post", [.. _published])));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = _discord.ApplicationId,
            ["Discord:PublicKey"] = _discord.PublicKeyHex,
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            ["Feeds:AllowPrivateAddresses"] = "true",
        }, services =>
        {
            foreach (var poller in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(FeedPoller)).ToList())
                services.Remove(poller);
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _feeds.DisposeAsync();
        await _slack.DisposeAsync();
        await _discord.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _bot.Services.GetRequiredService<T>();

    private static FeedDocumentItem Item(string id, string title, string published = "Mon, 06 Feb 2023 10:00:00 GMT") =>
        new(id, title, $"https://news.example/{id}", null, published);

    private Task<ChatMessage> Say(string platform, string workspace, string channel, string line, bool manager = true) =>
        Get<CommandRouter>().HandleAsync(new ChatRequest(line, new ChatContext
        {
            Platform = platform,
            Workspace = workspace,
            Channel = channel,
            User = "U1",
            CanManageBriefings = manager,
        }), None);

    private async Task<Feed> AddFeedAsync(FeedOwner owner, string? incident) =>
        (await Get<IFeedStore>().AddAsync(owner, _feeds.Url("/news.xml").ToString(), incident, 15, DateTimeOffset.UtcNow, None)).Feed;

    private async Task<FeedPollReport> PollAsync(Feed feed) =>
        await Get<FeedIngestor>().PollAsync(await Get<IFeedStore>().GetAsync(feed.Id, None) ?? feed, None);

    private async Task<long> ItemPostsAsync()
    {
        await using var connection = await Get<SqliteDatabase>().OpenAsync(None);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM deliveries WHERE item_id IS NOT NULL");
    }

    private IReadOnlyList<FakeMessage> DiscordPosts(string channel) => _discord.Messages.Where(m => m.ChannelId == channel).ToList();

    private IReadOnlyList<SlackPostedMessage> SlackPosts(string channel) => _slack.Messages.Where(m => m.Method == "chat.postMessage" && m.Channel == channel).ToList();

    [Fact]
    public async Task A_new_linked_item_is_posted_once_to_each_following_channel_on_both_platforms_and_never_again_when_it_changes()
    {
        string[] discordFollowers = ["9300000000000000001", "9300000000000000002"];
        const string OtherIncident = "9300000000000000003";
        const string Unsubscribed = "9300000000000000004";
        foreach (var channel in discordFollowers.Append(OtherIncident).Append(Unsubscribed)) _discord.AddChannel(channel);
        _slack.AddChannel("C0ITEMS");
        var subscribed = await Say("discord", "g1", discordFollowers[0], "briefing subscribe items balloon");
        await Say("discord", "g1", discordFollowers[1], "briefing subscribe items balloon");
        await Say("discord", "g1", OtherIncident, "briefing subscribe items tiktok");
        await Say("discord", "g1", Unsubscribed, "briefing subscribe items balloon");
        var unsubscribed = await Say("discord", "g1", Unsubscribed, "briefing unsubscribe items balloon");
        var refused = await Say("discord", "g1", OtherIncident, "briefing subscribe items balloon", manager: false);
        await Say("slack", "T1", "C0ITEMS", "briefing subscribe items balloon");
        var status = await Say("slack", "T1", "C0ITEMS", "briefing status");
        var discordFeed = await AddFeedAsync(new FeedOwner("discord", "g1"), "balloon");
        var slackFeed = await AddFeedAsync(new FeedOwner("slack", "T1"), "balloon");

        // The first fetch is the feeds' backlog: stored and linked, reported by the digest, not posted live.
        _published.Add(Item("hp-0", "Navy divers recover balloon debris near Myrtle Beach", "Sun, 05 Feb 2023 10:00:00 GMT"));
        Assert.Equal(1, (await PollAsync(discordFeed)).New);
        Assert.Equal(1, (await PollAsync(slackFeed)).New);
        Assert.Equal(0, await ItemPostsAsync());

        _published.Add(Item("hp-1", "FBI lab finishes its study of the balloon debris"));
        await PollAsync(discordFeed);
        await PollAsync(slackFeed);
        await Eventually.TrueAsync(() => discordFollowers.All(c => DiscordPosts(c).Count == 1) && SlackPosts("C0ITEMS").Count == 1, "the live posts");

        // The feed corrects the headline: the item is updated, and nobody gets it twice.
        _published[1] = Item("hp-1", "FBI lab finishes its study of the balloon debris (updated)");
        Assert.Equal(1, (await PollAsync(discordFeed)).Updated);
        Assert.Equal(1, (await PollAsync(slackFeed)).Updated);
        await Get<BriefingService>().RetryDueAsync(None);

        Assert.Contains("subscribed", subscribed.Title, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Unsubscribed", unsubscribed.Title);
        Assert.Contains("only people who can manage", refused.Text, StringComparison.Ordinal);
        Assert.Contains(status.Sections.SelectMany(s => s.Lines), l => l.Label == "items: balloon");
        Assert.Equal(3, await ItemPostsAsync());
        Assert.All(discordFollowers, c => Assert.Single(DiscordPosts(c)));
        Assert.Empty(DiscordPosts(OtherIncident));
        Assert.Empty(DiscordPosts(Unsubscribed));
        var slackPost = Assert.Single(SlackPosts("C0ITEMS"));
        var embed = DiscordPosts(discordFollowers[0])[0].Body.GetProperty("embeds")[0];
        Assert.Contains("New reporting", embed.GetProperty("title").GetString(), StringComparison.Ordinal);
        var card = embed.GetRawText();
        Assert.Contains("FBI lab finishes its study of the balloon debris", card, StringComparison.Ordinal);
        Assert.DoesNotContain("(updated)", card, StringComparison.Ordinal);
        Assert.Contains("https://news.example/hp-1", card, StringComparison.Ordinal);
        Assert.Contains("Harbour Post", card, StringComparison.Ordinal);
        Assert.Contains("https://news.example/hp-1", slackPost.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_item_an_editor_attaches_from_triage_is_posted_to_the_channels_following_that_incident()
    {
        _slack.AddChannel("C0TRIAGE");
        await Say("slack", "T1", "C0TRIAGE", "briefing subscribe items balloon");
        var feed = await AddFeedAsync(new FeedOwner("slack", "T1"), null);
        _published.Add(Item("hp-7", "Harbour festival draws record crowds"));
        var report = await PollAsync(feed);
        var waiting = Assert.Single(report.Items).Item;
        Assert.Empty(waiting.Incidents);

        var attached = await Get<FeedTriage>().AttachAsync(new FeedOwner("slack", "T1"), waiting.Id, "balloon", ContentAuthor.Cli, None);

        Assert.IsType<EditResult.Done>(attached);
        var post = await Eventually.HoldsAsync(() => SlackPosts("C0TRIAGE").SingleOrDefault(), "the post of the attached item");
        Assert.Contains("Harbour festival draws record crowds", post.Body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_answered_with_429_is_retried_and_still_posted_once()
    {
        const string Channel = "9300000000000000009";
        _discord.AddChannel(Channel);
        _slack.AddChannel("C0LIMITED");
        await Say("discord", "g1", Channel, "briefing subscribe items balloon");
        await Say("slack", "T1", "C0LIMITED", "briefing subscribe items balloon");
        var discordFeed = await AddFeedAsync(new FeedOwner("discord", "g1"), "balloon");
        var slackFeed = await AddFeedAsync(new FeedOwner("slack", "T1"), "balloon");
        _published.Add(Item("hp-0", "Balloon spotted over Montana"));
        await PollAsync(discordFeed);
        await PollAsync(slackFeed);
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.TooManyRequests(0.2));
        _slack.Script("chat.postMessage", ScriptedSlackResponse.RateLimited(1));

        _published.Add(Item("hp-2", "Balloon shot down off South Carolina"));
        await PollAsync(discordFeed);
        await PollAsync(slackFeed);

        await Eventually.TrueAsync(() => DiscordPosts(Channel).Count == 1 && SlackPosts("C0LIMITED").Count == 1, "the posts after the rate limits", TimeSpan.FromSeconds(30));
        await Get<BriefingService>().RetryDueAsync(None);
        Assert.Single(DiscordPosts(Channel));
        Assert.Single(SlackPosts("C0LIMITED"));
        Assert.Equal(2, _discord.Requests.Count(r => r.Path.EndsWith($"/channels/{Channel}/messages", StringComparison.Ordinal)));
        Assert.Contains(_slack.Calls, c => c.Method == "chat.postMessage" && c.Status == 429);
    }
}

/// <summary><c>bot subscriptions add|list|remove items --incident</c>: the operator's side of live posts.</summary>
public sealed class ItemPostsCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-items-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BotCli.RunAsync(args, output, error, new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(_folder, "bot.db"),
            ["Seeds:Path"] = RepoPaths.Seeds,
        });
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task An_items_subscription_is_added_listed_and_removed_by_incident()
    {
        string[] channel = ["--platform", "slack", "--workspace", "T1", "--channel", "C1"];

        var added = await Run(["subscriptions", "add", "items", "--incident", "balloon", .. channel]);
        var listed = await Run("subscriptions", "list");
        var removed = await Run(["subscriptions", "remove", "items", "--incident", "balloon", .. channel]);
        var after = await Run("subscriptions", "list");

        Assert.True(added.Code == 0, added.Output);
        Assert.Contains("slack/T1/C1 items balloon", listed.Output, StringComparison.Ordinal);
        Assert.Contains("Unsubscribed", removed.Output, StringComparison.Ordinal);
        Assert.Contains("No subscriptions.", after.Output, StringComparison.Ordinal);
    }
}

/// <summary>In the playground, <c>/briefing subscribe items balloon</c> typed in the chat brings the local workspace's new items to #briefings.</summary>
public sealed class ItemPostsPlaygroundTests : IAsyncLifetime
{
    private FeedServer _feeds = null!;
    private RunningBot _bot = null!;
    private readonly List<FeedDocumentItem> _published = [new("pg-0", "Navy divers recover balloon debris", "https://news.example/pg-0", null, "Sun, 05 Feb 2023 10:00:00 GMT")];

    public async Task InitializeAsync()
    {
        _feeds = await FeedServer.StartAsync();
        _feeds.Map("/local.xml", () => new FeedResponse(FeedDocuments.Rss("Harbour Post", [.. _published])));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Feeds:AllowPrivateAddresses"] = "true" }, services =>
        {
            foreach (var poller in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(FeedPoller)).ToList())
                services.Remove(poller);
        });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _feeds.DisposeAsync();
    }

    [Fact]
    public async Task A_new_item_on_a_followed_incident_appears_in_the_briefings_channel()
    {
        using var stop = new CancellationTokenSource();
        var briefings = _bot.Services.GetRequiredService<PlaygroundFeed>().Subscribe(stop.Token);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative))
        {
            Content = JsonContent.Create(new { text = "/briefing subscribe items balloon" }),
        };
        request.Headers.Add("Origin", _bot.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var answer = await _bot.Http.SendAsync(request);
        var store = _bot.Services.GetRequiredService<IFeedStore>();
        var ingestor = _bot.Services.GetRequiredService<FeedIngestor>();
        var (feed, _) = await store.AddAsync(FeedOwner.Local, _feeds.Url("/local.xml").ToString(), "balloon", 15, DateTimeOffset.UtcNow, CancellationToken.None);
        await ingestor.PollAsync(feed, CancellationToken.None);

        _published.Add(new("pg-1", "FBI lab finishes its study of the balloon debris", "https://news.example/pg-1", null, "Mon, 06 Feb 2023 10:00:00 GMT"));
        await ingestor.PollAsync((await store.GetAsync(feed.Id, CancellationToken.None))!, CancellationToken.None);

        Assert.Contains("Subscribed", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var post = await briefings.ReadAsync(timeout.Token);
        Assert.Contains("New reporting", post.Title, StringComparison.Ordinal);
        Assert.Equal("FBI lab finishes its study of the balloon debris", Assert.Single(Assert.Single(post.Sections).Lines).Text);
        Assert.False(briefings.TryRead(out _));
    }
}
