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
        using var card = await _bot.Http.PostAsJsonAsync(new Uri("/playground/chat", UriKind.Relative), new { text = "incident balloon", conversation = "t1" });
        using var first = await _bot.Http.PostAsJsonAsync(new Uri("/playground/chat", UriKind.Relative), new { text = "ask which company did Wei Sun work for?", conversation = "t1" });
        using var followUp = await _bot.Http.PostAsJsonAsync(new Uri("/playground/chat", UriKind.Relative), new { text = "ask and when was he sentenced?", conversation = "t1" });

        using var cardJson = JsonDocument.Parse(await card.Content.ReadAsStringAsync());
        Assert.Equal("Chinese surveillance balloon over the United States", cardJson.RootElement.GetProperty("title").GetString());
        Assert.Equal("card", cardJson.RootElement.GetProperty("kind").GetString());
        Assert.Contains("2020", await followUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Odd_input_gets_a_reply_not_an_error()
    {
        using var empty = await _bot.Http.PostAsJsonAsync(new Uri("/playground/chat", UriKind.Relative), new { text = "" });
        using var huge = await _bot.Http.PostAsJsonAsync(new Uri("/playground/chat", UriKind.Relative), new { text = "ask " + string.Concat(Enumerable.Repeat("🎈", 5_000)) });
        using var broken = await _bot.Http.PostAsync(new Uri("/playground/chat", UriKind.Relative), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

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

        using var posted = await _bot.Http.PostAsync(new Uri("/playground/digest-now", UriKind.Relative), null);
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

        var presses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _bot.Http.PostAsync(new Uri("/playground/digest-now", UriKind.Relative), null)));
        using var later = await _bot.Http.PostAsync(new Uri("/playground/digest-now", UriKind.Relative), null);
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
