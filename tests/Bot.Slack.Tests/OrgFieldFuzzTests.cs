using System.Net;
using System.Text;
using Bot.Slack.Tests.Fuzz;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests;

/// <summary>
/// The org-wide install fields (team, enterprise, team_id, enterprise_id, is_enterprise_install and the authorizations
/// they sit in) null, missing, of the wrong type, empty, huge or with lone surrogates, on properly signed events, slash
/// commands and interactions (<see cref="OrgFieldShapes"/>): each is answered 200 or 400, never 5xx, nothing logs an
/// error, and the host answers the next ordinary request. Forged and stale signatures over the same shapes get 401.
/// </summary>
public class OrgFieldFuzzTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private static int _serial;

    public static IEnumerable<object[]> EventCases => OrgFieldShapes.EventCases();
    public static IEnumerable<object[]> InteractionCases => OrgFieldShapes.InteractionCases();
    public static IEnumerable<object[]> CommandCases => OrgFieldShapes.CommandCases();

    [Theory]
    [MemberData(nameof(EventCases))]
    public async Task An_event_with_an_odd_org_field_gets_200_or_400(string kind, string path, string shape)
    {
        var body = OrgFieldShapes.Event(kind, Interlocked.Increment(ref _serial), path, OrgFieldShapes.JsonValue(shape));

        await SendsAndKeepsServingAsync("slack/events", "application/json", Encoding.UTF8.GetBytes(body), HttpStatusCode.OK, HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(InteractionCases))]
    public async Task An_interaction_with_an_odd_org_field_gets_200_or_400(string kind, string path, string shape)
    {
        var json = OrgFieldShapes.Interaction(kind, Interlocked.Increment(ref _serial), path, OrgFieldShapes.JsonValue(shape), fixture.Slack.CreateResponseUrl());
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(json));

        await SendsAndKeepsServingAsync("slack/interactivity", "application/x-www-form-urlencoded", body, HttpStatusCode.OK, HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(CommandCases))]
    public async Task A_slash_command_with_an_odd_org_field_gets_a_polite_answer(string field, string shape)
    {
        var serial = Interlocked.Increment(ref _serial);
        var (command, text) = serial % 2 == 0 ? ("/incident", "balloon") : ("/briefing", "subscribe items balloon");
        var body = OrgFieldShapes.Command(command, text, field, OrgFieldShapes.FormValue(shape), fixture.Slack.CreateResponseUrl(), serial);

        var answer = await SendsAndKeepsServingAsync("slack/commands", "application/x-www-form-urlencoded", body, HttpStatusCode.OK);
        Assert.DoesNotContain("Something went wrong", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slack/events", "lone surrogate")]
    [InlineData("slack/events", "10,000 characters")]
    [InlineData("slack/interactivity", "object with null id")]
    [InlineData("slack/commands", "emoji")]
    public async Task Odd_org_fields_under_a_forged_or_stale_signature_get_401(string path, string shape)
    {
        var body = path switch
        {
            "slack/events" => Encoding.UTF8.GetBytes(OrgFieldShapes.Event("app_uninstalled", Interlocked.Increment(ref _serial), "enterprise_id", OrgFieldShapes.JsonValue(shape))),
            "slack/interactivity" => Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(OrgFieldShapes.Interaction("block_actions", 1, "enterprise", OrgFieldShapes.JsonValue(shape), fixture.Slack.CreateResponseUrl()))),
            _ => OrgFieldShapes.Command("/incident", "balloon", "enterprise_id", OrgFieldShapes.FormValue(shape), fixture.Slack.CreateResponseUrl(), 1),
        };
        var contentType = path == "slack/events" ? "application/json" : "application/x-www-form-urlencoded";
        var stale = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        using (var forged = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(fixture.Bot.Url(path), contentType, body, signatureOverride: "v0=" + new string('0', 64))))
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using (var old = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(fixture.Bot.Url(path), contentType, body, stale)))
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await StillServesAsync();
    }

    /// <summary>Sends the signed body, checks the status is one of <paramref name="allowed"/>, and that nothing failed or stopped; returns the answer.</summary>
    private async Task<string> SendsAndKeepsServingAsync(string path, string contentType, byte[] body, params HttpStatusCode[] allowed)
    {
        var logsBefore = fixture.Logs.Entries.Count;
        using var request = fixture.Slack.Signed(fixture.Bot.Url(path), contentType, body);
        using var response = await fixture.Bot.Http.SendAsync(request);
        var answer = await response.Content.ReadAsStringAsync();

        Assert.True(allowed.Contains(response.StatusCode), $"got {(int)response.StatusCode}: {Core.Text.TextClipper.Clip(answer, 300)}");
        await fixture.BackgroundWorkDoneAsync();
        var errors = fixture.Logs.Entries.Skip(logsBefore).Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} errors logged, e.g.\n{string.Join('\n', errors.Take(3).Select(e => Core.Text.TextClipper.Clip(e.Text, 600)))}");
        await StillServesAsync();
        return answer;
    }

    private async Task StillServesAsync()
    {
        using var check = await fixture.Bot.Http.SendAsync(fixture.Slack.UrlVerification(fixture.Bot.Url("slack/events"), "still-alive"));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("still-alive", await check.Content.ReadAsStringAsync());
    }
}
