using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Discord.Inbound;
using Bot.Discord.Tests.Fuzzing;
using Bot.Testing.Discord;

namespace Bot.Discord.Tests.Inbound;

/// <summary>Signed but malformed interactions by the ten thousand: every answer is a 400 or a valid response, and the host stays up.</summary>
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
        var valid = fixture.ShowIncident("balloon");
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < 10_000; i++)
        {
            var body = Mutate(valid, random, i);
            var (timestamp, signature) = fixture.Discord.Sign(body, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
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

    /// <summary>
    /// Real interaction shapes the structural fuzz starts from: commands, subcommands, autocomplete, a
    /// button, a ping, and the editing ones: a form opened, submitted in both shapes, and the message command.
    /// </summary>
    private IEnumerable<string> Seeds() =>
    [
        fixture.ShowIncident("balloon"),
        fixture.SlashCommand("timeline", ("incident", "hikvision")),
        fixture.SlashCommand("incidents"),
        fixture.Interaction(2, new { id = "8000000000000000002", name = "briefing", type = 1, options = new[] { new { name = "status", type = 1, options = Array.Empty<object>() } } }),
        fixture.Interaction(4, new
        {
            id = "8000000000000000001", name = "incident", type = 1,
            options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = "hik", focused = true } } } },
        }),
        fixture.Interaction(4, new
        {
            id = "8000000000000000002", name = "briefing", type = 1,
            options = new[] { new { name = "subscribe", type = 1, options = new object[] { new { name = "kind", type = 3, value = "digest" }, new { name = "timezone", type = 3, value = "paris", focused = true } } } },
        }),
        fixture.Interaction(3, new { custom_id = "timeline balloon", component_type = 2 }),
        fixture.Interaction(1, new { }),
        fixture.Interactions.SlashCommand("incident", "edit", DiscordInvoker.ServerManager, ("name", "balloon")),
        fixture.Interactions.ModalSubmit(EditForm, new Dictionary<string, string> { ["status"] = "Fuzzed." }, DiscordInvoker.ServerManager),
        fixture.Interactions.ModalSubmit(EditForm, by: DiscordInvoker.ServerManager, legacyRows: true),
        fixture.Interactions.MessageCommand("Add to incident", "7100000000000001234", "Debris found", new DateTimeOffset(2023, 2, 6, 21, 0, 0, TimeSpan.Zero), DiscordInvoker.ServerManager),
    ];

    /// <summary>A modal as the bot sends it for /incident edit, to submit back.</summary>
    private static readonly JsonElement EditForm = JsonDocument.Parse("""
        {"custom_id":"incident save edit balloon 1","title":"Edit balloon","components":[
          {"type":18,"label":"Title","component":{"type":4,"custom_id":"title","style":1,"max_length":200,"required":true,"value":"Chinese surveillance balloon over the United States"}},
          {"type":18,"label":"Status","component":{"type":4,"custom_id":"status","style":1,"max_length":300,"required":false}}]}
        """).RootElement.Clone();

    [Fact]
    public async Task Ten_thousand_structurally_malformed_interactions_get_400_or_a_valid_response()
    {
        var random = new Random(20260204);
        var mutator = new PayloadMutator(random);
        var seeds = Seeds().Select(s => JsonNode.Parse(s)!).ToList();
        var guarded = fixture.GuardLines().Count;
        var statuses = new Dictionary<int, int>();
        var answeredTypes = new Dictionary<int, int>();

        // Made in order from the seed, sent a few at a time (the machine has cores to spare while one waits), checked in order.
        var payloads = Enumerable.Range(0, 10_000).Select(i => mutator.Mutate(seeds[i % seeds.Count], DiscordInteractionEndpoint.MaxBodyBytes)).ToList();
        var answers = new (HttpStatusCode Status, string Body)[payloads.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, payloads.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => answers[i] = await fixture.SendRawAsync(payloads[i]));

        for (var i = 0; i < payloads.Count; i++)
        {
            var (json, (status, body)) = (payloads[i], answers[i]);
            statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
            var what = $"payload {i} got {(int)status}: {Core.Text.TextClipper.Clip(json, 300)}";
            Assert.True((int)status is 200 or 400 or 413, what);
            if (status != HttpStatusCode.OK) continue;
            Assert.True(FakeDiscordServer.InteractionResponseProblem(body) is null, $"{what}\nanswered {body}");
            var answered = JsonDocument.Parse(body).RootElement.GetProperty("type").GetInt32();
            answeredTypes[answered] = answeredTypes.GetValueOrDefault(answered) + 1;
            Assert.True(ExpectedResponseTypes(json).Contains(answered), $"{what}\nanswered with type {answered}");
        }

        // Each answer came from the code meant for it, not from the last-resort guard; no token was logged on the way.
        Assert.Equal(guarded, fixture.GuardLines().Count);
        Assert.DoesNotContain(fixture.Logs.Lines, l => $"{l.Message} {l.Exception}".Contains("interaction-token-", StringComparison.Ordinal));
        Assert.True(statuses.GetValueOrDefault(200) > 1000 && statuses.GetValueOrDefault(400) > 1000,
            $"the generator should reach both answers often: {string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}"))}");
        // The editing seeds were reached too: forms opened as modals, and checked as Discord would.
        Assert.True(answeredTypes.GetValueOrDefault(9) > 10, $"modals answered: {string.Join(", ", answeredTypes.Select(p => $"{p.Key}×{p.Value}"))}");
        var (pingStatus, pong, _) = await fixture.SendAsync(fixture.Interaction(1, new { }));
        Assert.Equal(HttpStatusCode.OK, pingStatus);
        Assert.Equal(1, pong.GetProperty("type").GetInt32());
    }

    /// <summary>What Discord accepts in answer to the interaction type the payload claims; any answer when it cannot be told (the payload may be mangled).</summary>
    private static int[] ExpectedResponseTypes(string json)
    {
        JsonElement type;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("type", out type)) return AnyResponse;
            type = type.Clone();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a property name that is not text (a lone surrogate): the type cannot be told.
            return AnyResponse;
        }

        return type.ValueKind == JsonValueKind.Number && type.TryGetInt32(out var number)
            ? number switch
            {
                1 => [1],
                4 => [8],
                // A modal answers commands and buttons, never a modal submission.
                5 => [4, 5],
                _ => [4, 5, 6, 7, 9],
            }
            : AnyResponse;
    }

    private static readonly int[] AnyResponse = [1, 4, 5, 6, 7, 8, 9];

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
