using System.Net;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests;

/// <summary>The bot running with Commands:Prefix=brief and Commands:Names:incident=case, against a fake Slack.</summary>
public sealed class RenamedSlackFixture : IAsyncLifetime
{
    public FakeSlackServer Slack { get; private set; } = null!;
    public RunningBot Bot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        Bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = Slack.SigningSecret,
            ["Slack:BotToken"] = Slack.BotToken,
            ["Slack:ApiBaseUrl"] = Slack.ApiBaseUrl.ToString(),
            ["Commands:Prefix"] = "brief",
            ["Commands:Names:incident"] = "case",
        });
    }

    public async Task DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary>Renamed commands end to end on Slack: the new names answer, the old ones do not, and what people read says the new names.</summary>
public class RenamedCommandsTests(RenamedSlackFixture fixture) : IClassFixture<RenamedSlackFixture>
{
    /// <summary>Every text of the reply (its fallback text and its blocks), one per line.</summary>
    private async Task<string> RunAsync(string command, string text)
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.SlashCommand(fixture.Bot.Url("slack/commands"), command, text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var texts = new List<string>();
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.String) texts.Add(element.GetString()!);
            else if (element.ValueKind == JsonValueKind.Array) foreach (var item in element.EnumerateArray()) Walk(item);
            else if (element.ValueKind == JsonValueKind.Object) foreach (var property in element.EnumerateObject()) Walk(property.Value);
        }

        Walk(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        return string.Join("\n", texts);
    }

    [Fact]
    public async Task A_command_under_its_own_name_is_answered()
    {
        var reply = await RunAsync("/case", "balloon");

        Assert.Contains("Chinese surveillance balloon", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_under_the_prefix_is_answered()
    {
        var reply = await RunAsync("/brief-timeline", "balloon");

        Assert.Contains("Timeline: Chinese surveillance balloon", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/incident")]
    [InlineData("/timeline")]
    [InlineData("/brief-incident")]
    public async Task An_old_name_is_not_answered_and_the_reply_names_the_new_ones(string oldName)
    {
        var reply = await RunAsync(oldName, "balloon");

        Assert.Contains($"This bot does not handle {oldName}.", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("South Carolina", reply, StringComparison.Ordinal);
        // Block Kit escapes the angle brackets of "<name>": the names are what matters.
        Assert.Contains("Try: /case ", reply, StringComparison.Ordinal);
        Assert.Contains("/brief-ask ", reply, StringComparison.Ordinal);
        Assert.Contains("/brief-onthisday ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hints_in_replies_use_the_new_names()
    {
        var reply = await RunAsync("/brief-timeline", "");

        Assert.Contains("/brief-timeline balloon", reply, StringComparison.Ordinal);
        Assert.Contains("/case list", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("/incident", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_buttons_still_work_because_they_carry_internal_commands()
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.BlockActions(fixture.Bot.Url("slack/interactivity"), "cmd-0", "timeline police-stations"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.HoldsAsync(
            () => fixture.Slack.Calls.FirstOrDefault(c => c.Method == FakeSlackServer.ResponseUrlMethod && c.Body.Contains("Timeline: Clandestine", StringComparison.Ordinal)),
            "the timeline");
    }
}
