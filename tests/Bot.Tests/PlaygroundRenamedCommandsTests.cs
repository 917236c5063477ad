using System.Net.Http.Json;
using System.Text.Json;
using Bot.Testing;

namespace Bot.Tests;

/// <summary>The playground with Commands:Prefix=brief and Commands:Names:incident=case: typed under the new names, pressed as before.</summary>
public sealed class PlaygroundRenamedCommandsTests : IAsyncLifetime
{
    private RunningBot _bot = null!;

    public async Task InitializeAsync() => _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
    {
        ["Commands:Prefix"] = "brief",
        ["Commands:Names:incident"] = "case",
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private async Task<JsonElement> ChatAsync(object input)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative)) { Content = JsonContent.Create(input) };
        request.Headers.Add("Origin", _bot.BaseAddress.GetLeftPart(UriPartial.Authority));
        using var response = await _bot.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Typed_commands_answer_under_the_new_names_only()
    {
        var renamed = await ChatAsync(new { text = "case balloon" });
        var prefixed = await ChatAsync(new { text = "brief-timeline balloon" });
        var old = await ChatAsync(new { text = "incident balloon" });

        Assert.Equal("card", renamed.GetProperty("kind").GetString());
        Assert.StartsWith("Timeline:", prefixed.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal("error", old.GetProperty("kind").GetString());
        Assert.Contains("/case <name>", old.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/incident ", old.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pressed_buttons_send_internal_commands_and_still_work()
    {
        var pressed = await ChatAsync(new { text = "timeline balloon", pressed = true });

        Assert.StartsWith("Timeline:", pressed.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_and_the_page_show_the_new_names()
    {
        var help = await ChatAsync(new { text = "help" });
        var page = await _bot.Http.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("/brief-ask <question>", help.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("placeholder=\"/case balloon\"", page, StringComparison.Ordinal);
        Assert.Contains("try /case balloon, /brief-timeline balloon, /brief-onthisday 02-04", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/incident", page, StringComparison.Ordinal);
    }
}
