using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Testing;

namespace Bot.Tests;

public sealed class PlaygroundTests : IAsyncLifetime
{
    private RunningBot _bot = null!;

    public async Task InitializeAsync() => _bot = await RunningBot.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    /// <summary>A POST as the page's own script sends it: the browser adds the page's origin.</summary>
    private Task<HttpResponseMessage> PostAsync(string path, HttpContent? content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Add("Origin", _bot.BaseAddress.GetLeftPart(UriPartial.Authority));
        return _bot.Http.SendAsync(request);
    }

    [Fact]
    public async Task Local_mode_serves_the_playground_page()
    {
        var html = await _bot.Http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("#chat", html, StringComparison.Ordinal);
        Assert.Contains("#briefings", html, StringComparison.Ordinal);
        Assert.Contains("Post today's digest now", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chat_runs_commands_through_the_router_and_follows_a_thread()
    {
        using var card = await PostAsync("/playground/chat", JsonContent.Create(new { text = "incident balloon", conversation = "t1" }));
        using var first = await PostAsync("/playground/chat", JsonContent.Create(new { text = "ask which company did Wei Sun work for?", conversation = "t1" }));
        using var followUp = await PostAsync("/playground/chat", JsonContent.Create(new { text = "ask and when was he sentenced?", conversation = "t1" }));

        using var cardJson = JsonDocument.Parse(await card.Content.ReadAsStringAsync());
        Assert.Equal("Chinese surveillance balloon over the United States", cardJson.RootElement.GetProperty("title").GetString());
        Assert.Equal("card", cardJson.RootElement.GetProperty("kind").GetString());
        Assert.Contains("2020", await followUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incidents_are_created_through_the_form_and_shown_at_once()
    {
        using var opened = await PostAsync("/playground/chat", JsonContent.Create(new { text = "incident new" }));
        using var openedJson = JsonDocument.Parse(await opened.Content.ReadAsStringAsync());
        var form = openedJson.RootElement.GetProperty("form");
        var fields = form.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();

        using var saved = await PostAsync("/playground/chat", JsonContent.Create(new
        {
            text = form.GetProperty("submitCommand").GetString(),
            form = new Dictionary<string, string?> { ["title"] = "Drone over the harbour", ["category"] = "Airspace", ["summary"] = "A drone flew over the harbour.", ["slug"] = null, ["aliases"] = null },
        }));
        using var card = await PostAsync("/playground/chat", JsonContent.Create(new { text = "incident drone over the harbour" }));

        Assert.Equal(["title", "slug", "category", "summary", "aliases"], fields);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        using var cardJson = JsonDocument.Parse(await card.Content.ReadAsStringAsync());
        Assert.Equal("Drone over the harbour", cardJson.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Odd_input_gets_a_reply_not_an_error()
    {
        using var empty = await PostAsync("/playground/chat", JsonContent.Create(new { text = "" }));
        using var huge = await PostAsync("/playground/chat", JsonContent.Create(new { text = "ask " + string.Concat(Enumerable.Repeat("🎈", 5_000)) }));
        using var broken = await PostAsync("/playground/chat", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(HttpStatusCode.OK, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task Post_digest_now_appears_live_in_the_briefings_channel()
    {
        using var events = await _bot.Http.GetAsync(new Uri("/playground/briefings", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        using var posted = await PostAsync("/playground/digest-now", null);
        string? line;
        do line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        using var message = JsonDocument.Parse(line!["data: ".Length..]);
        Assert.StartsWith("Briefing — ", message.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
    }
}

public sealed class PlaygroundDigestNowTests : IAsyncLifetime
{
    private RunningBot _bot = null!;

    public async Task InitializeAsync() => _bot = await RunningBot.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Post_digest_now_pressed_again_and_again_posts_todays_digest_once()
    {
        using var events = await _bot.Http.GetAsync(new Uri("/playground/briefings", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        var presses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PressAsync()));
        using var later = await PressAsync();
        // Every press has returned, and each sends before it answers: whatever they posted is in the feed before this marker.
        _bot.Services.GetRequiredService<Bot.Playground.PlaygroundFeed>().Publish(new Core.Chat.ChatMessage { Title = "marker" });

        var titles = new List<string>();
        while (titles.LastOrDefault() != "marker")
        {
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (!line!.StartsWith("data: ", StringComparison.Ordinal)) continue;
            using var message = JsonDocument.Parse(line["data: ".Length..]);
            titles.Add(message.RootElement.GetProperty("title").GetString()!);
        }

        Assert.All(presses, p => Assert.Equal(HttpStatusCode.Accepted, p.StatusCode));
        Assert.Single(titles, t => t.StartsWith("Briefing — ", StringComparison.Ordinal));
        var delivery = Assert.Single(await _bot.Services.GetRequiredService<Core.Briefings.IDeliveryStore>()
            .RecentAsync(Bot.Playground.PlaygroundEndpoints.BriefingsChannel, 10, CancellationToken.None));
        Assert.Equal(Core.Briefings.DeliveryStatus.Sent, delivery.Delivery.Status);
        foreach (var press in presses) press.Dispose();
    }

    /// <summary>The page's own button: a same-origin POST (anything else is refused).</summary>
    private async Task<HttpResponseMessage> PressAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/digest-now", UriKind.Relative));
        request.Headers.Add("Origin", _bot.BaseAddress.GetLeftPart(UriPartial.Authority));
        return await _bot.Http.SendAsync(request);
    }
}

public sealed class PlaygroundOffWithPlatformsTests
{
    [Fact]
    public async Task With_a_platform_configured_nothing_is_served_at_the_root()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Slack:SigningSecret"] = "s", ["Slack:BotToken"] = "xoxb-1" });

        using var response = await bot.Http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>The playground has no login: it stays on the machine it runs on, and only its own page may post to it.</summary>
public sealed class PlaygroundGuardTests : IAsyncLifetime
{
    private RunningBot _bot = null!;

    public async Task InitializeAsync() => _bot = await RunningBot.StartAsync(new Dictionary<string, string?>());

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private string Origin => _bot.BaseAddress.GetLeftPart(UriPartial.Authority);

    private static HttpRequestMessage Chat(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative))
        {
            Content = JsonContent.Create(new { text = "incident balloon" }),
        };
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        return request;
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("attacker.example:5080")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task A_foreign_host_header_is_refused(string host)
    {
        // What a page on another domain sends after pointing that domain at 127.0.0.1 (DNS rebinding).
        using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        page.Headers.Host = host;
        using var chat = Chat(("Origin", "http://" + host), ("Sec-Fetch-Site", "same-origin"));
        chat.Headers.Host = host;

        using var pageResponse = await _bot.Http.SendAsync(page);
        using var chatResponse = await _bot.Http.SendAsync(chat);

        Assert.Equal(HttpStatusCode.BadRequest, pageResponse.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, chatResponse.StatusCode);
    }

    [Fact]
    public async Task Localhost_names_are_served()
    {
        foreach (var host in new[] { "localhost", "127.0.0.1", "[::1]", $"localhost:{_bot.BaseAddress.Port}" })
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            page.Headers.Host = host;
            using var response = await _bot.Http.SendAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, host);
        }
    }

    [Fact]
    public async Task A_cross_site_post_is_forbidden()
    {
        using var otherOrigin = await _bot.Http.SendAsync(Chat(("Origin", "http://evil.example")));
        using var crossSite = await _bot.Http.SendAsync(Chat(("Sec-Fetch-Site", "cross-site"), ("Origin", "http://evil.example")));
        using var sameSiteOtherPort = await _bot.Http.SendAsync(Chat(("Sec-Fetch-Site", "same-site"), ("Origin", "http://127.0.0.1:1")));
        using var nullOrigin = await _bot.Http.SendAsync(Chat(("Origin", "null")));
        using var unnamed = await _bot.Http.SendAsync(Chat());
        using var digest = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/digest-now", UriKind.Relative));
        digest.Headers.Add("Origin", "http://evil.example");
        using var digestResponse = await _bot.Http.SendAsync(digest);

        Assert.All(new[] { otherOrigin, crossSite, sameSiteOtherPort, nullOrigin, unnamed, digestResponse },
            r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
    }

    [Fact]
    public async Task A_same_origin_post_works()
    {
        using var byOrigin = await _bot.Http.SendAsync(Chat(("Origin", Origin)));
        using var byFetchMetadata = await _bot.Http.SendAsync(Chat(("Sec-Fetch-Site", "same-origin")));
        using var byBoth = await _bot.Http.SendAsync(Chat(("Sec-Fetch-Site", "same-origin"), ("Origin", Origin)));

        Assert.All(new[] { byOrigin, byFetchMetadata, byBoth }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Contains("Chinese surveillance balloon", await byOrigin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

/// <summary>Local mode on an address other machines can reach (the Docker image listens on 0.0.0.0).</summary>
public sealed class PlaygroundOnANetworkAddressTests
{
    private static async Task<(WebApplication App, HttpClient Http, string Folder)> StartOnAllInterfacesAsync(Dictionary<string, string?> settings)
    {
        var folder = Directory.CreateTempSubdirectory("bot-host-").FullName;
        settings["Storage:Path"] = Path.Combine(folder, "bot.db");
        settings["Seeds:Path"] = RepoPaths.Seeds;
        settings["Logging:LogLevel:Default"] = "Warning";
        var app = Bot.Hosting.BotHost.Build(["--urls", "http://0.0.0.0:0"], settings);
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return (app, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") }, folder);
    }

    private static async Task StopAsync(WebApplication app, HttpClient http, string folder)
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_playground_is_off_without_Playground_AllowRemote()
    {
        var (app, http, folder) = await StartOnAllInterfacesAsync([]);
        try
        {
            Assert.Contains(app.Urls, u => u.Contains("0.0.0.0", StringComparison.Ordinal));
            using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
            using var chat = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative)) { Content = JsonContent.Create(new { text = "incident balloon" }) };
            chat.Headers.Add("Sec-Fetch-Site", "same-origin");
            using var chatResponse = await http.SendAsync(chat);
            using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));

            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, chatResponse.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            await StopAsync(app, http, folder);
        }
    }

    [Fact]
    public async Task Playground_AllowRemote_serves_it_to_any_host_but_still_only_to_its_own_page()
    {
        var (app, http, folder) = await StartOnAllInterfacesAsync(new() { ["Playground:AllowRemote"] = "true" });
        try
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
            page.Headers.Host = "bot.example.org";
            using var pageResponse = await http.SendAsync(page);
            using var crossSite = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative)) { Content = JsonContent.Create(new { text = "incident balloon" }) };
            crossSite.Headers.Host = "bot.example.org";
            crossSite.Headers.Add("Origin", "https://evil.example");
            using var crossSiteResponse = await http.SendAsync(crossSite);
            using var sameSite = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative)) { Content = JsonContent.Create(new { text = "incident balloon" }) };
            sameSite.Headers.Host = "bot.example.org";
            sameSite.Headers.Add("Origin", "https://bot.example.org");
            using var sameSiteResponse = await http.SendAsync(sameSite);

            Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, crossSiteResponse.StatusCode);
            Assert.Equal(HttpStatusCode.OK, sameSiteResponse.StatusCode);
        }
        finally
        {
            await StopAsync(app, http, folder);
        }
    }
}
