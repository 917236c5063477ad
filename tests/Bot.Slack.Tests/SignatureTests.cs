using System.Net;
using System.Text;
using Bot.Testing;

namespace Bot.Slack.Tests;

public class SignatureTests(SlackFixture fixture) : IClassFixture<SlackFixture>
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("command=%2Fincident&text=balloon&team_id=T0FAKE&channel_id=C0GENERAL&user_id=U0ALICE");

    private Uri Commands => fixture.Bot.Url("slack/commands");

    private string Now(int offsetSeconds = 0) => (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_correctly_signed_request_is_accepted()
    {
        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Commands, "application/x-www-form-urlencoded", Body, Now()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string> Forgeries() => ["wrong-secret", "changed-body", "stale", "future", "missing", "v1", "not-hex", "truncated"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_stale_signature_gets_401(string forgery)
    {
        var timestamp = forgery switch { "stale" => Now(-301), "future" => Now(301), _ => Now() };
        var body = Body;
        var signature = fixture.Slack.Sign(timestamp, body);
        switch (forgery)
        {
            case "wrong-secret":
                using (var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes("not-the-secret")))
                    signature = "v0=" + Convert.ToHexStringLower(hmac.ComputeHash(Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray()));
                break;
            case "changed-body":
                body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("balloon", "baloon", StringComparison.Ordinal));
                break;
            case "missing":
                signature = "";
                break;
            case "v1":
                signature = "v1=" + signature[3..];
                break;
            case "not-hex":
                signature = "v0=" + new string('z', 64);
                break;
            case "truncated":
                signature = signature[..40];
                break;
        }

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Commands, "application/x-www-form-urlencoded", body, timestamp, signature));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("slack/commands")]
    [InlineData("slack/events")]
    [InlineData("slack/interactivity")]
    public async Task Every_endpoint_refuses_unsigned_requests(string path)
    {
        using var response = await fixture.Bot.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Without_a_signing_secret_the_endpoints_refuse_everything()
    {
        await using var unconfigured = await RunningBot.StartAsync(new Dictionary<string, string?>());

        using var response = await unconfigured.Http.SendAsync(fixture.Slack.Signed(unconfigured.Url("slack/commands"), "application/x-www-form-urlencoded", Body, Now()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_unread()
    {
        var huge = new byte[1024 * 1024];
        Array.Fill(huge, (byte)'a');

        using var response = await fixture.Bot.Http.SendAsync(fixture.Slack.Signed(Commands, "application/x-www-form-urlencoded", huge, Now()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
