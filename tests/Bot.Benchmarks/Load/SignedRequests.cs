using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Bot.Benchmarks.Load;

/// <summary>One request body with its signature headers, built and signed before any timing starts.</summary>
internal sealed record PreparedRequest(byte[] Body, KeyValuePair<string, string>[] Headers)
{
    public HttpRequestMessage ToMessage(Uri uri, string contentType)
    {
        var content = new ByteArrayContent(Body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content, Version = System.Net.HttpVersion.Version11 };
        foreach (var (name, value) in Headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }
}

/// <summary>
/// What one measured scenario sends: a path, a pool of pre-signed requests, and what a good answer
/// must contain (checked on every response) or must not contain (checked once, before the load).
/// </summary>
internal sealed record Scenario(
    string Name,
    string Target,
    string Path,
    string ContentType,
    PreparedRequest[] Pool,
    byte[] ExpectedMarker,
    string[] SanityMustContain,
    string[] SanityMustNotContain,
    int DistinctVariants);

/// <summary>
/// The keys of one run: a fresh Ed25519 key pair (Discord) and a random signing secret (Slack),
/// and the payloads the platforms would send. Signing is done here, never inside the measured loop.
/// </summary>
internal sealed class RequestSigner : IDisposable
{
    public const string DiscordApplicationId = "1100000000000000001";

    /// <summary>Seed slugs for /incident; each resolves by exact slug.</summary>
    public static readonly string[] IncidentSlugs = ["balloon", "huawei-zte", "tiktok", "police-stations", "surveillance-cameras", "chip-export-controls"];

    /// <summary>What someone has typed so far into the focused option.</summary>
    public static readonly string[] AutocompletePrefixes = ["ball", "hua", "tik", "pol", "surv", "chip", "cyber", "spy", "xu", "came"];

    private static readonly string[] AnswerFailures = ["No such incident", "Several incidents match", "Something went wrong", "does not handle", "took too long"];

    private readonly Key _discordKey;
    private readonly byte[] _slackKey;
    private long _sequence;

    public RequestSigner()
    {
        _discordKey = Key.Create(SignatureAlgorithm.Ed25519);
        DiscordPublicKeyHex = Convert.ToHexStringLower(_discordKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        SlackSigningSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _slackKey = Encoding.UTF8.GetBytes(SlackSigningSecret);
    }

    public string DiscordPublicKeyHex { get; }

    public string SlackSigningSecret { get; }

    public Scenario DiscordIncident(string target, int size, bool bare) => new(
        "Discord /incident", target, "/discord/interactions", "application/json",
        Pool(size, i => SignDiscord(DiscordCommandJson(IncidentSlugs[i % IncidentSlugs.Length]))),
        bare ? "{\"type\":1}"u8.ToArray() : "\"type\":4"u8.ToArray(),
        bare ? ["{\"type\":1}"] : ["\"type\":4", "\"embeds\""],
        bare ? [] : AnswerFailures,
        IncidentSlugs.Length);

    public Scenario DiscordAutocomplete(string target, int size) => new(
        "Discord autocomplete", target, "/discord/interactions", "application/json",
        Pool(size, i => SignDiscord(DiscordAutocompleteJson(AutocompletePrefixes[i % AutocompletePrefixes.Length]))),
        "\"type\":8"u8.ToArray(),
        ["\"type\":8", "\"choices\":[{"],
        [],
        AutocompletePrefixes.Length);

    public Scenario SlackIncident(string target, int size, bool bare) => new(
        "Slack /incident", target, "/slack/commands", "application/x-www-form-urlencoded",
        Pool(size, i => SignSlack(SlackCommandForm(IncidentSlugs[i % IncidentSlugs.Length]))),
        bare ? BareServer.SlackReply : "\"blocks\""u8.ToArray(),
        bare ? [Encoding.UTF8.GetString(BareServer.SlackReply)] : ["\"blocks\""],
        bare ? [] : AnswerFailures,
        IncidentSlugs.Length);

    private static PreparedRequest[] Pool(int size, Func<int, PreparedRequest> build)
    {
        var pool = new PreparedRequest[size];
        for (var i = 0; i < size; i++) pool[i] = build(i);
        return pool;
    }

    /// <summary>Discord signs <c>timestamp + body</c> with Ed25519; the timestamp is Unix seconds, now.</summary>
    private PreparedRequest SignDiscord(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = Now();
        var signed = new byte[timestamp.Length + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        body.CopyTo(signed, timestamp.Length);
        var signature = Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(_discordKey, signed));
        return new PreparedRequest(body, [new("X-Signature-Ed25519", signature), new("X-Signature-Timestamp", timestamp)]);
    }

    /// <summary>Slack signs <c>v0:{timestamp}:{body}</c> with HMAC-SHA256 of the signing secret.</summary>
    private PreparedRequest SignSlack(string form)
    {
        var body = Encoding.UTF8.GetBytes(form);
        var timestamp = Now();
        var basis = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(body).ToArray();
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_slackKey, basis));
        return new PreparedRequest(body, [new("X-Slack-Request-Timestamp", timestamp), new("X-Slack-Signature", signature)]);
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private string Snowflake() => (1_300_000_000_000_000_000L + Interlocked.Increment(ref _sequence)).ToString(CultureInfo.InvariantCulture);

    /// <summary>An application command interaction (type 2) for <c>/incident show name:&lt;slug&gt;</c> from a guild member.</summary>
    private string DiscordCommandJson(string slug) =>
        $$$"""
        {"app_permissions":"562949953601536","application_id":"{{{DiscordApplicationId}}}","type":2,"id":"{{{Snowflake()}}}","token":"load-{{{Snowflake()}}}","version":1,"locale":"en-US","guild_id":"1200000000000000001","guild_locale":"en-US","channel_id":"1200000000000000002","channel":{"id":"1200000000000000002","type":0,"name":"briefings"},"member":{"user":{"id":"1200000000000000003","username":"load","global_name":"Load"},"roles":[],"permissions":"2248473465835073","nick":null},"data":{"id":"1200000000000000010","name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"{{{slug}}}"}]}]},"entitlements":[],"authorizing_integration_owners":{"0":"1200000000000000001"},"context":0}
        """;

    /// <summary>An autocomplete interaction (type 4): the "name" option is focused and partly typed.</summary>
    private string DiscordAutocompleteJson(string partial) =>
        $$$"""
        {"application_id":"{{{DiscordApplicationId}}}","type":4,"id":"{{{Snowflake()}}}","token":"load-{{{Snowflake()}}}","version":1,"locale":"en-US","guild_id":"1200000000000000001","channel_id":"1200000000000000002","member":{"user":{"id":"1200000000000000003","username":"load"},"roles":[],"permissions":"2248473465835073"},"data":{"id":"1200000000000000010","name":"incident","type":1,"options":[{"name":"show","type":1,"options":[{"name":"name","type":3,"value":"{{{partial}}}","focused":true}]}]}}
        """;

    /// <summary>A slash command as Slack posts it (form fields in Slack's order); response_url stays on loopback.</summary>
    private string SlackCommandForm(string slug)
    {
        var fields = new (string Name, string Value)[]
        {
            ("token", "load-verification-token"),
            ("team_id", "T0LOAD0001"),
            ("team_domain", "load"),
            ("channel_id", "C0LOAD0001"),
            ("channel_name", "briefings"),
            ("user_id", "U0LOAD0001"),
            ("user_name", "load"),
            ("command", "/incident"),
            ("text", slug),
            ("api_app_id", "A0LOAD0001"),
            ("is_enterprise_install", "false"),
            ("response_url", $"http://127.0.0.1:9/commands/T0LOAD0001/{Snowflake()}/load"),
            ("trigger_id", $"{Snowflake()}.load"),
        };
        return string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));
    }

    public void Dispose() => _discordKey.Dispose();
}
