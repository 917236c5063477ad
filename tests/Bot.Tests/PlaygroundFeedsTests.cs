using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Core.Feeds;
using Bot.Testing;
using Bot.Testing.Feeds;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests;

/// <summary>
/// The playground's feeds pane over HTTP: the snapshot of the local workspace's feeds and items, "poll now", and the
/// event stream that sends a new snapshot when items arrive. A real host, the real fetcher, a feed server on 127.0.0.1.
/// </summary>
public sealed class PlaygroundFeedsTests : IAsyncLifetime
{
    private RunningBot _bot = null!;
    private FeedServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _server.Map("/news.xml", new FeedResponse(FeedDocuments.Rss("Harbour Post",
        [
            new FeedDocumentItem("hp-1", "FBI lab finishes its study of the spy balloon debris", "https://news.example/1",
                "Investigators say the payload carried antennas.", "Mon, 06 Feb 2023 10:00:00 GMT"),
            new FeedDocumentItem("hp-2", "Harbour festival draws record crowds", "https://news.example/2", null, "Tue, 07 Feb 2023 10:00:00 GMT"),
        ])));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Feeds:AllowPrivateAddresses"] = "true" }, WithoutBackgroundPolling);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Only "poll now" fetches, so what each poll found is the test's to count.</summary>
    internal static void WithoutBackgroundPolling(IServiceCollection services)
    {
        foreach (var poller in services.Where(d => d.ImplementationType == typeof(FeedPoller)).ToList()) services.Remove(poller);
    }

    /// <summary>A POST as the page's own script sends it: the browser adds the page's origin.</summary>
    private Task<HttpResponseMessage> PostAsync(string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("Origin", _bot.BaseAddress.GetLeftPart(UriPartial.Authority));
        return _bot.Http.SendAsync(request);
    }

    private async Task<JsonElement> SnapshotAsync()
    {
        using var document = JsonDocument.Parse(await _bot.Http.GetStringAsync(new Uri("/playground/feeds", UriKind.Relative)));
        return document.RootElement.Clone();
    }

    private async Task AddFeedAsync(string path)
    {
        using var added = await PostAsync("/playground/chat", JsonContent.Create(new { text = "feeds add " + _server.Url(path) }));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    [Fact]
    public async Task With_no_feeds_the_snapshot_is_empty_and_says_feeds_are_polled()
    {
        var snapshot = await SnapshotAsync();

        Assert.True(snapshot.GetProperty("polling").GetBoolean());
        Assert.Empty(snapshot.GetProperty("feeds").EnumerateArray());
        Assert.Empty(snapshot.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Poll_now_fetches_the_local_feeds_and_the_snapshot_shows_feed_and_items_with_their_incidents()
    {
        await AddFeedAsync("/news.xml");

        using var polled = await PostAsync("/playground/feeds/poll", null);
        using var summary = JsonDocument.Parse(await polled.Content.ReadAsStringAsync());
        var snapshot = await SnapshotAsync();

        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
        Assert.Equal(1, summary.RootElement.GetProperty("feeds").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("new").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("toTriage").GetInt32());
        var feed = Assert.Single(snapshot.GetProperty("feeds").EnumerateArray());
        Assert.Equal("Harbour Post", feed.GetProperty("outlet").GetString());
        Assert.Equal("ok", feed.GetProperty("status").GetString());
        Assert.Equal(_server.Url("/news.xml").ToString(), feed.GetProperty("url").GetString());
        var items = snapshot.GetProperty("items").EnumerateArray().ToList();
        // Both arrived in the same poll: the later date first.
        Assert.Equal(["Harbour festival draws record crowds", "FBI lab finishes its study of the spy balloon debris"], items.Select(i => i.GetProperty("title").GetString()));
        Assert.Equal("pending", items[0].GetProperty("triage").GetString());
        var incident = Assert.Single(items[1].GetProperty("incidents").EnumerateArray());
        Assert.Equal("balloon", incident.GetProperty("slug").GetString());
        Assert.Equal("Chinese surveillance balloon over the United States", incident.GetProperty("title").GetString());
        Assert.Equal("Harbour Post", items[1].GetProperty("outlet").GetString());
        Assert.Equal("https://news.example/1", items[1].GetProperty("link").GetString());
        Assert.Equal(new DateTimeOffset(2023, 2, 6, 10, 0, 0, TimeSpan.Zero), items[1].GetProperty("publishedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_failing_feed_shows_its_error_and_a_switched_off_one_its_reason()
    {
        await AddFeedAsync("/gone.xml");
        await AddFeedAsync("/news.xml");
        using var polled = await PostAsync("/playground/feeds/poll", null);
        var store = _bot.Services.GetRequiredService<IFeedStore>();
        var news = (await store.ListAsync(FeedOwner.Local, CancellationToken.None)).Single(f => f.Url.EndsWith("/news.xml", StringComparison.Ordinal));
        await store.SaveStatusAsync(news.Id, new FeedStatus(null, null, null, DateTimeOffset.UtcNow.AddHours(1), 30, DateTimeOffset.UtcNow.AddDays(-1),
            "HTTP 500", "failing for a day: HTTP 500", DateTimeOffset.UtcNow), CancellationToken.None);

        var feeds = (await SnapshotAsync()).GetProperty("feeds").EnumerateArray().ToDictionary(f => f.GetProperty("url").GetString()!.Split('/')[^1]);

        Assert.Contains("\"problems\":[\"", await polled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("failing", feeds["gone.xml"].GetProperty("status").GetString());
        Assert.Contains("404", feeds["gone.xml"].GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal("off", feeds["news.xml"].GetProperty("status").GetString());
        Assert.Equal("failing for a day: HTTP 500", feeds["news.xml"].GetProperty("disabledReason").GetString());
    }

    [Fact]
    public async Task The_event_stream_sends_a_snapshot_at_once_and_another_when_items_arrive()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stream = await _bot.Http.GetAsync(new Uri("/playground/feeds/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(timeout.Token));

        var first = await NextSnapshotAsync(reader, timeout.Token);
        await AddFeedAsync("/news.xml");
        using var polled = await PostAsync("/playground/feeds/poll", null);
        JsonElement latest;
        do latest = await NextSnapshotAsync(reader, timeout.Token);
        while (latest.GetProperty("items").GetArrayLength() == 0);

        Assert.Empty(first.GetProperty("feeds").EnumerateArray());
        Assert.Contains(latest.GetProperty("items").EnumerateArray(), i => i.GetProperty("title").GetString() == "FBI lab finishes its study of the spy balloon debris");
    }

    [Fact]
    public async Task Poll_now_is_refused_from_another_site()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/feeds/poll", UriKind.Relative));
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await _bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_server.Requests);
    }

    private static async Task<JsonElement> NextSnapshotAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            using var document = JsonDocument.Parse(line["data: ".Length..]);
            return document.RootElement.Clone();
        }

        throw new EndOfStreamException("The event stream ended.");
    }
}
