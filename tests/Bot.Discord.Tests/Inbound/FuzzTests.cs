using System.Net;
using System.Text;

namespace Bot.Discord.Tests.Inbound;

/// <summary>Ten thousand signed but malformed interactions: every answer is a 2xx or 4xx, and the host stays up.</summary>
public class FuzzTests(DiscordFixture fixture) : IClassFixture<DiscordFixture>
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e309", "\"type\"", "\"data\"", "\"options\"", "\"value\"",
        "\"custom_id\"", "\"name\"", "\"incident\"", "\"\\ud800\"", "\"\\u0000\"", "🎈", "NEAR(", "' OR 1=1 --", "{\"type\":2}",
    ];

    [Fact]
    public async Task Ten_thousand_malformed_signed_payloads_never_get_a_5xx()
    {
        var random = new Random(20230204);
        var valid = fixture.SlashCommand("incident", ("name", "balloon"));
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < 10_000; i++)
        {
            var body = Mutate(valid, random, i);
            var (timestamp, signature) = fixture.Discord.Sign(body);
            using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Endpoint) { Content = new ByteArrayContent(body) };
            request.Headers.Add("X-Signature-Ed25519", signature);
            request.Headers.Add("X-Signature-Timestamp", timestamp);
            using var response = await fixture.Bot.Http.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            Assert.True(status is >= 200 and < 500, $"payload {i} got {status}: {Core.Text.TextClipper.Clip(Encoding.UTF8.GetString(body), 200)}");
        }

        var (pingStatus, pong, _) = await fixture.SendAsync(fixture.Interaction(1, new { }));
        Assert.Equal(HttpStatusCode.OK, pingStatus);
        Assert.Equal(1, pong.GetProperty("type").GetInt32());
        Assert.True(statuses.Count > 1, "the generator should reach more than one kind of answer");
    }

    private static byte[] Mutate(string valid, Random random, int i)
    {
        var text = valid;
        switch (i % 8)
        {
            case 0: // truncation
                return Encoding.UTF8.GetBytes(text[..random.Next(text.Length)]);
            case 1: // random byte flips, invalid UTF-8 included
                var bytes = Encoding.UTF8.GetBytes(text);
                for (var k = 0; k < 1 + random.Next(8); k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 2: // fragments spliced in
                var position = random.Next(text.Length);
                return Encoding.UTF8.GetBytes(text[..position] + Fragments[random.Next(Fragments.Length)] + text[position..]);
            case 3: // a value of the wrong type
                return Encoding.UTF8.GetBytes(text.Replace("\"balloon\"", random.Next(4) switch { 0 => "42", 1 => "null", 2 => "{\"a\":[1,2]}", _ => "[\"x\"]" }, StringComparison.Ordinal));
            case 4: // a different interaction type
                return Encoding.UTF8.GetBytes(text.Replace("\"type\":2", $"\"type\":{random.Next(-3, 12)}", StringComparison.Ordinal));
            case 5: // long and odd option text
                var value = string.Concat(Enumerable.Range(0, random.Next(1, 3000)).Select(_ => (char)random.Next(32, 0x2FFF)))
                    .Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);
                return Encoding.UTF8.GetBytes(text.Replace("balloon", value, StringComparison.Ordinal));
            case 6: // deep nesting
                var depth = random.Next(10, 200);
                return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
            default: // unknown command names and custom ids
                return Encoding.UTF8.GetBytes(text.Replace("\"name\":\"incident\"", $"\"name\":\"{Fragments[random.Next(Fragments.Length)].Replace("\"", "", StringComparison.Ordinal)}\"", StringComparison.Ordinal));
        }
    }
}
