using System.Net;
using System.Text;

namespace Bot.Slack.Tests;

/// <summary>Ten thousand signed but malformed requests across the three endpoints: never a 5xx, and the host stays up.</summary>
public class FuzzTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private static readonly string[] Fragments = ["&", "=", "%", "%ZZ", "+", "payload", "{", "\"", "\u0000", "🎈", "<!channel>", "' OR 1=1 --", "NEAR(", "%C3%28"];

    [Fact]
    public async Task Ten_thousand_malformed_signed_requests_never_get_a_5xx()
    {
        var random = new Random(20230209);
        string[] paths = ["slack/commands", "slack/events", "slack/interactivity"];
        const string command = "command=%2Fincident&text=balloon&team_id=T0FAKE&channel_id=C0GENERAL&user_id=U0ALICE&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fnowhere";
        const string eventJson = "{\"type\":\"event_callback\",\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\",\"text\":\"hi\",\"ts\":\"1.2\",\"channel\":\"C1\"}}";
        const string interaction = "payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%22value%22%3A%22incident+balloon%22%7D%5D%7D";

        for (var i = 0; i < 10_000; i++)
        {
            var which = i % 3;
            var seed = which switch { 0 => command, 1 => eventJson, _ => interaction };
            var body = Mutate(seed, random, i);
            using var request = fixture.Slack.Signed(fixture.Bot.Url(paths[which]), which == 1 ? "application/json" : "application/x-www-form-urlencoded", body, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await fixture.Bot.Http.SendAsync(request);
            var status = (int)response.StatusCode;
            Assert.True(status is >= 200 and < 500, $"request {i} to {paths[which]} got {status}: {Core.Text.TextClipper.Clip(Encoding.UTF8.GetString(body), 200)}");
        }

        using var check = await fixture.Bot.Http.SendAsync(fixture.Slack.UrlVerification(fixture.Bot.Url("slack/events"), "still-alive"));
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal("still-alive", await check.Content.ReadAsStringAsync());
    }

    private static byte[] Mutate(string seed, Random random, int i)
    {
        switch (i % 6)
        {
            case 0:
                return Encoding.UTF8.GetBytes(seed[..random.Next(seed.Length)]);
            case 1:
                var bytes = Encoding.UTF8.GetBytes(seed);
                for (var k = 0; k < 1 + random.Next(6); k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2:
                var position = random.Next(seed.Length);
                return Encoding.UTF8.GetBytes(seed[..position] + Fragments[random.Next(Fragments.Length)] + seed[position..]);
            case 3:
                return Encoding.UTF8.GetBytes(seed.Replace("balloon", Uri.EscapeDataString(new string((char)random.Next(32, 0x2FFF), random.Next(1, 5000))), StringComparison.Ordinal));
            case 4:
                return Encoding.UTF8.GetBytes(string.Join('&', Enumerable.Range(0, random.Next(0, 50)).Select(k => $"f{k}={Fragments[random.Next(Fragments.Length)]}")));
            default:
                return [];
        }
    }
}
