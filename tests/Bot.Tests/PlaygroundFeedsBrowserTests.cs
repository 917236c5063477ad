using Bot.Testing;
using Bot.Testing.Feeds;
using Microsoft.Playwright;

namespace Bot.Tests;

/// <summary>The playground's feeds pane in a real browser (Debian's Chromium, headless): add a feed in the chat, poll, see the items arrive.</summary>
public sealed class PlaygroundFeedsBrowserTests : IAsyncLifetime
{
    /// <summary>The host builds the seeds' sentence vectors as it starts, and other tests share the 2 cores: items can take a while.</summary>
    private const float Slow = 30_000;
    private RunningBot _bot = null!;
    private FeedServer _server = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _server = await FeedServer.StartAsync();
        _server.Map("/news.xml", new FeedResponse(FeedDocuments.Rss("Harbour Post",
        [
            new FeedDocumentItem("hp-1", "FBI lab finishes its study of the spy balloon debris", "https://news.example/1",
                "Investigators say the payload carried antennas.", "Mon, 06 Feb 2023 10:00:00 GMT"),
        ])));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Feeds:AllowPrivateAddresses"] = "true" }, PlaygroundFeedsTests.WithoutBackgroundPolling);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _bot.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_feed_added_in_the_chat_and_polled_shows_its_items_live_with_outlet_and_incident()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        await page.GotoAsync(_bot.BaseAddress.ToString());
        await Assertions.Expect(page.Locator("#feed-list")).ToContainTextAsync("No feeds yet");

        await page.FillAsync("#input", "/feeds add " + _server.Url("/news.xml"));
        await page.PressAsync("#input", "Enter");
        await Assertions.Expect(page.Locator("#feed-list .feed")).ToContainTextAsync(_server.Url("/news.xml").ToString());
        await page.ClickAsync("#feeds-poll");

        var item = page.Locator("#feed-items .item").First;
        await Assertions.Expect(item.Locator(".title")).ToHaveTextAsync("FBI lab finishes its study of the spy balloon debris", new() { Timeout = Slow });
        await Assertions.Expect(item).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("fresh"));
        await Assertions.Expect(item.Locator(".meta")).ToContainTextAsync("Harbour Post");
        await Assertions.Expect(item.Locator(".title")).ToHaveAttributeAsync("href", "https://news.example/1");
        await Assertions.Expect(page.Locator("#feed-list .feed .status")).ToHaveTextAsync("ok");
        await Assertions.Expect(page.Locator("#feeds-note")).ToContainTextAsync("1 new", new() { Timeout = Slow });

        // The linked incident is a button that opens the incident's card in the chat.
        await item.GetByRole(AriaRole.Button, new() { Name = "Chinese surveillance balloon over the United States" }).ClickAsync(new() { Timeout = Slow });
        await Assertions.Expect(page.Locator("#chat .card").Last.Locator(".title")).ToContainTextAsync("Chinese surveillance balloon over the United States");

        await page.ClickAsync("#digest-now");
        await Assertions.Expect(page.Locator("#briefings .card .title").First).ToContainTextAsync("Briefing — ");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "playground-feeds.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }
}
