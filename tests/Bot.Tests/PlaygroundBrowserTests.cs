using Bot.Testing;
using Microsoft.Playwright;

namespace Bot.Tests;

/// <summary>The playground in a real browser (Debian's Chromium, headless): type, click, read, screenshot.</summary>
public sealed class PlaygroundBrowserTests : IAsyncLifetime
{
    private RunningBot _bot = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>());
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
    }

    [Fact]
    public async Task A_newcomer_types_a_command_clicks_a_button_and_sees_the_digest_arrive()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_bot.BaseAddress.ToString());

        await page.FillAsync("#input", "/incident balloon");
        await page.PressAsync("#input", "Enter");
        var card = page.Locator("#chat .card").Last;
        await Assertions.Expect(card.Locator(".title")).ToContainTextAsync("Chinese surveillance balloon over the United States");
        await Assertions.Expect(card).ToContainTextAsync("4 Feb 2023");

        await card.GetByRole(AriaRole.Button, new() { Name = "Timeline" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chat .card").Last.Locator(".title")).ToContainTextAsync("Timeline: Chinese surveillance balloon");

        await page.FillAsync("#input", "/ask when was the balloon shot down?");
        await page.PressAsync("#input", "Enter");
        await Assertions.Expect(page.Locator("#chat .card").Last).ToContainTextAsync("4 February 2023");

        await page.ClickAsync("#digest-now");
        await Assertions.Expect(page.Locator("#briefings .card .title").First).ToContainTextAsync("Briefing — ");

        var screenshot = Path.Combine(AppContext.BaseDirectory, "playground.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    [Fact]
    public async Task On_a_phone_a_10000_character_word_wraps_instead_of_widening_the_page()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await page.GotoAsync(_bot.BaseAddress.ToString());

        await page.FillAsync("#input", "/incident " + new string('x', 10_000));
        await page.PressAsync("#input", "Enter");
        await Assertions.Expect(page.Locator("#chat .card")).ToHaveCountAsync(1);
        await page.FillAsync("#input", "/incident balloon");
        await page.PressAsync("#input", "Enter");
        await Assertions.Expect(page.Locator("#chat .card")).ToHaveCountAsync(2);

        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width} px wide in a 390 px window");
        Assert.True(await page.Locator("#input").IsVisibleAsync());
        Assert.True(await page.Locator("#digest-now").IsVisibleAsync());
    }

    [Fact]
    public async Task A_pressed_button_is_not_shown_as_if_the_user_had_typed_its_command()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(_bot.BaseAddress.ToString());
        await page.FillAsync("#input", "/ask when was the balloon shot down?");
        await page.PressAsync("#input", "Enter");
        var answer = page.Locator("#chat .card").Last;
        await Assertions.Expect(answer).ToContainTextAsync("4 February 2023");

        await answer.GetByRole(AriaRole.Button, new() { Name = "👍" }).ClickAsync();
        await Assertions.Expect(page.Locator("#chat .card")).ToHaveCountAsync(2);

        var said = await page.Locator("#chat .you").AllTextContentsAsync();
        Assert.Equal("you: /ask when was the balloon shot down?", said[0]);
        Assert.DoesNotContain(said, line => line.Contains("feedback", StringComparison.Ordinal));
        Assert.Equal("you pressed 👍", said[^1]);
    }
}
