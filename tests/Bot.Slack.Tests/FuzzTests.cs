using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Bot.Slack.Tests.Fuzz;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests;

/// <summary>
/// Ten thousand signed but malformed requests per endpoint, mutated from real payload shapes with a fixed seed: never a
/// 5xx, nothing the bot started afterwards fails, nothing is logged as an error, and the host still answers.
/// </summary>
public class FuzzTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private const int PerEndpoint = 10_000;
    private const int InFlight = 4;

    [Fact]
    public Task Ten_thousand_malformed_slash_commands_never_get_a_5xx() =>
        FuzzAsync("slack/commands", "application/x-www-form-urlencoded", 20230204, (fuzzer, i) => fuzzer.Command(i));

    [Fact]
    public Task Ten_thousand_malformed_events_never_get_a_5xx() =>
        FuzzAsync("slack/events", "application/json", 20230209, (fuzzer, i) => fuzzer.Event(i));

    [Fact]
    public Task Ten_thousand_malformed_interactions_never_get_a_5xx() =>
        FuzzAsync("slack/interactivity", "application/x-www-form-urlencoded", 20230213, (fuzzer, i) => fuzzer.Interaction(i));

    private async Task FuzzAsync(string path, string contentType, int seed, Func<SlackPayloadFuzzer, int, byte[]> make)
    {
        var fuzzer = new SlackPayloadFuzzer(seed, fixture.Slack.CreateResponseUrl());
        var bodies = Enumerable.Range(0, PerEndpoint).Select(i => make(fuzzer, i)).ToArray();
        var logsBefore = fixture.Logs.Entries.Count;
        var url = fixture.Bot.Url(path);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var failures = new ConcurrentQueue<string>();
        var next = -1;

        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < bodies.Length; i = Interlocked.Increment(ref next))
            {
                using var request = fixture.Slack.Signed(url, contentType, bodies[i], timestamp);
                using var response = await fixture.Bot.Http.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                    failures.Enqueue($"#{i} got {(int)response.StatusCode}: {Core.Text.TextClipper.Clip(Encoding.UTF8.GetString(bodies[i]), 300)}");
            }
        }));

        Assert.True(failures.IsEmpty, $"{failures.Count} requests got a 5xx, e.g.\n{string.Join('\n', failures.Take(5))}");
        await fixture.BackgroundWorkDoneAsync();
        var errors = fixture.Logs.Entries.Skip(logsBefore).Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} errors logged, e.g.\n{string.Join('\n', errors.Take(3).Select(e => Core.Text.TextClipper.Clip(e.Text, 600)))}");

        using var check = await fixture.Bot.Http.SendAsync(fixture.Slack.UrlVerification(fixture.Bot.Url("slack/events"), "still-alive"));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("still-alive", await check.Content.ReadAsStringAsync());
        using var command = await fixture.Bot.Http.SendAsync(fixture.Slack.SlashCommand(fixture.Bot.Url("slack/commands"), "/incident", "balloon"));
        Assert.Contains("Chinese surveillance balloon", await command.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
