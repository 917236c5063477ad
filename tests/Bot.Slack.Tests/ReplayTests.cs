using System.Net;
using System.Text.Json;
using Bot.Core.Briefings;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests;

/// <summary>A signed request sent again within its five minutes: commands and buttons do not run twice, events are answered once.</summary>
public class ReplayTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private Uri Commands => fixture.Bot.Url("slack/commands");
    private Uri Interactivity => fixture.Bot.Url("slack/interactivity");

    [Fact]
    public async Task A_replayed_subscribe_after_an_unsubscribe_does_nothing()
    {
        fixture.Slack.AddAdmin("U0ADMIN");
        using var subscribe = fixture.Slack.SlashCommand(Commands, "/briefing", "subscribe digest 09:00 Europe/Paris", userId: "U0ADMIN");
        using var replay = await CopyAsync(subscribe);

        var subscribed = await fixture.AnswerAsync(subscribe);
        var unsubscribed = await fixture.AnswerAsync(fixture.Slack.SlashCommand(Commands, "/briefing", "unsubscribe digest", userId: "U0ADMIN"));
        using var replayed = await fixture.Bot.Http.SendAsync(replay);
        await fixture.BackgroundWorkDoneAsync();

        Assert.Contains("Subscribed", subscribed, StringComparison.Ordinal);
        Assert.Contains("Unsubscribed", unsubscribed, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal("", await replayed.Content.ReadAsStringAsync());
        var subscriptions = fixture.Bot.Services.GetRequiredService<ISubscriptionStore>();
        Assert.Empty(await subscriptions.ListAsync("slack", fixture.Slack.TeamId, FakeSlackServer.DefaultChannelId, CancellationToken.None));
    }

    [Fact]
    public async Task A_replayed_button_press_runs_once()
    {
        using var press = fixture.Slack.BlockActions(Interactivity, "cmd-0", "incident balloon");
        using var replay = await CopyAsync(press);
        var answerPath = await ResponseUrlPathAsync(press);

        using var first = await fixture.Bot.Http.SendAsync(press);
        using var again = await fixture.Bot.Http.SendAsync(replay);
        // A press after them: once it is answered, a second run of the first would have been too.
        using var marker = fixture.Slack.BlockActions(Interactivity, "cmd-0", "incident tiktok");
        var markerPath = await ResponseUrlPathAsync(marker);
        await fixture.Bot.Http.SendAsync(marker);
        await fixture.EventuallyAsync(() => fixture.Slack.Calls.FirstOrDefault(c => c.Path == markerPath), "the marker's answer");
        await fixture.BackgroundWorkDoneAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(fixture.Slack.Calls, c => c.Path == answerPath);
    }

    [Fact]
    public async Task A_replayed_event_is_still_acknowledged_and_answered_once()
    {
        var mention = """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon","ts":"1700001000.000100","channel":"C0GENERAL"}""";
        using var delivery = fixture.Slack.EventCallback(fixture.Bot.Url("slack/events"), mention, eventId: "Ev0REPLAY1");
        using var replay = await CopyAsync(delivery);

        using var first = await fixture.Bot.Http.SendAsync(delivery);
        using var again = await fixture.Bot.Http.SendAsync(replay);
        await fixture.EventuallyAsync(() => fixture.Slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700001000.000100"), "the reply");
        await fixture.BackgroundWorkDoneAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(fixture.Slack.Messages, m => m.ThreadTs == "1700001000.000100");
    }

    private static async Task<HttpRequestMessage> CopyAsync(HttpRequestMessage original)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Content = new ByteArrayContent(await original.Content!.ReadAsByteArrayAsync()) };
        foreach (var (name, values) in original.Headers) copy.Headers.TryAddWithoutValidation(name, values);
        foreach (var (name, values) in original.Content.Headers) copy.Content.Headers.TryAddWithoutValidation(name, values);
        return copy;
    }

    private static async Task<string> ResponseUrlPathAsync(HttpRequestMessage press)
    {
        var form = QueryHelpers.ParseQuery(await press.Content!.ReadAsStringAsync());
        using var payload = JsonDocument.Parse(form["payload"].ToString());
        return new Uri(payload.RootElement.GetProperty("response_url").GetString()!).AbsolutePath;
    }
}

/// <summary>The bot stopped and started again on the same store still knows which events it has answered.</summary>
public sealed class EventLogRestartTests
{
    [Fact]
    public async Task An_event_delivered_again_after_a_restart_is_answered_once()
    {
        await using var slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        slack.AddChannel("C0MARKER");
        var folder = Directory.CreateTempSubdirectory("bot-restart-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(folder, "bot.db"),
            ["Slack:SigningSecret"] = slack.SigningSecret,
            ["Slack:BotToken"] = slack.BotToken,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
        };
        const string mention = """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident balloon","ts":"1700001100.000100","channel":"C0GENERAL"}""";
        try
        {
            await using (var bot = await RunningBot.StartAsync(settings))
            {
                await bot.Http.SendAsync(slack.EventCallback(bot.Url("slack/events"), mention, eventId: "Ev0RESTART1"));
                await Eventually.HoldsAsync(() => slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700001100.000100"), "the first answer");
            }

            await using (var bot = await RunningBot.StartAsync(settings))
            {
                // Slack redelivers what it thinks went unanswered: same event id, with the retry headers.
                await bot.Http.SendAsync(slack.EventCallback(bot.Url("slack/events"), mention, eventId: "Ev0RESTART1", retryNum: 1, retryReason: "http_timeout"));
                await bot.Http.SendAsync(slack.EventCallback(bot.Url("slack/events"),
                    """{"type":"app_mention","user":"U0ALICE","text":"<@U0BOT> incident tiktok","ts":"1700001101.000100","channel":"C0MARKER"}"""));
                await Eventually.HoldsAsync(() => slack.Messages.FirstOrDefault(m => m.ThreadTs == "1700001101.000100"), "the marker's answer");
                await Eventually.TrueAsync(() => bot.Services.GetRequiredService<Bot.Core.Chat.BackgroundWork>().Count == 0, "background work to finish");
            }

            Assert.Single(slack.Messages, m => m.ThreadTs == "1700001100.000100");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
