using System.Text.Json;
using Bot.Core.Chat;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>A fake Discord and the real bot host wired to it.</summary>
public class DiscordFixture : IAsyncLifetime
{
    public FakeDiscordServer Discord { get; private set; } = null!;
    /// <summary>Interactions in Discord's own shapes (see Bot.Testing/Discord/Samples).</summary>
    public DiscordInteractions Interactions { get; private set; } = null!;
    public RunningBot Bot { get; private set; } = null!;
    public SlowCommand Slow { get; } = new();
    public LogCapture Logs { get; } = new();
    private int _interactions;

    public Uri Endpoint => Bot.Url("discord/interactions");

    /// <summary>Settings beyond the Discord ones, for fixtures that need more.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Discord = await FakeDiscordServer.StartAsync();
        Interactions = new DiscordInteractions(Discord.ApplicationId);
        var settings = new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = Discord.ApplicationId,
            ["Discord:PublicKey"] = Discord.PublicKeyHex,
            ["Discord:BotToken"] = Discord.BotToken,
            ["Discord:ApiBaseUrl"] = Discord.ApiBaseUrl.ToString().TrimEnd('/'),
            ["Discord:DeferAfterMilliseconds"] = "200",
        };
        foreach (var (key, value) in MoreSettings) settings[key] = value;
        Bot = await RunningBot.StartAsync(settings, services =>
        {
            services.AddSingleton<ICommandHandler>(Slow);
            services.AddSingleton<ICommandHandler>(new ExplodingCommand(Discord.BotToken));
            services.AddSingleton<ICommandHandler>(new UnopenableFormCommand());
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    /// <summary>Log lines of the Discord adapter's last-resort guards: each one is an exception that escaped real handling.</summary>
    public IReadOnlyList<LogLine> GuardLines() =>
        Logs.Lines.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error
            && l.Category is "Bot.Discord.Inbound.InteractionHandler" or "Bot.Discord.Inbound.DiscordInteractionEndpoint").ToList();

    public async Task DisposeAsync()
    {
        Slow.Release();
        await Bot.DisposeAsync();
        await Discord.DisposeAsync();
    }

    /// <summary>An interaction as Discord sends it from a guild channel, with a fresh id and token.</summary>
    public string Interaction(int type, object data, string permissions = "0")
    {
        var n = Interlocked.Increment(ref _interactions);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = $"9000000000000{n:D5}",
            ["application_id"] = Discord.ApplicationId,
            ["type"] = type,
            ["data"] = data,
            ["guild_id"] = "7000000000000000001",
            ["channel_id"] = "7100000000000000001",
            ["member"] = new { user = new { id = "7200000000000000001", username = "alice" }, permissions },
            ["token"] = $"interaction-token-{n}-{Guid.NewGuid():N}",
            ["version"] = 1,
            ["locale"] = "en-GB",
        });
    }

    public string SlashCommand(string name, params (string Name, object Value)[] options) =>
        Interaction(2, new { id = "8000000000000000001", name, type = 1, options = options.Select(o => new { name = o.Name, type = 3, value = o.Value }).ToArray() });

    /// <summary>"/incident show name:…", the card, as Discord sends the subcommand.</summary>
    public string ShowIncident(string name) =>
        Interaction(2, new { id = "8000000000000000001", name = "incident", type = 1, options = new[] { new { name = "show", type = 1, options = new[] { new { name = "name", type = 3, value = name } } } } });

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body, string? ContentType)> SendAsync(string json)
    {
        using var response = await Discord.SendInteractionAsync(Bot.Http, Endpoint, json);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Signs and posts <paramref name="json"/> exactly as given (lone-surrogate escapes and all),
    /// without registering its token on the fake: for payloads the fake itself could not read.
    /// </summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> SendRawAsync(string json, string? timestamp = null)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        // Signed now by the real clock (the fake's stands still), so a long fuzz on a busy machine never turns stale.
        timestamp ??= TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (signedAt, signature) = Discord.Sign(body, timestamp);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", signature);
        request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", signedAt);
        using var response = await Bot.Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Task<T> EventuallyAsync<T>(Func<T?> probe, string what) => Eventually.HoldsAsync(probe, what);
}

/// <summary>
/// "/explode": broken where the router's own safety net does not reach (the adapter asks it whether
/// its answers may be cached), with a secret in its message, to exercise the adapter's last-resort guard.
/// </summary>
public sealed class ExplodingCommand(string secret) : ICommandHandler
{
    public IReadOnlyList<string> Names => ["explode"];
    public string Usage => "/explode";
    public bool AnswersFromContentOnly => throw new InvalidOperationException($"exploded while holding {secret}");

    public Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new ChatMessage { Title = "Unreachable" });
}

/// <summary>"/unopenable": answers with a form whose submit command is longer than a modal's custom_id may be.</summary>
public sealed class UnopenableFormCommand : ICommandHandler
{
    public IReadOnlyList<string> Names => ["unopenable"];
    public string Usage => "/unopenable";

    public Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new ChatMessage
        {
            Kind = MessageKind.Notice,
            Text = "Fill in the form.",
            Form = new ChatForm("unopenable save " + new string('x', 90), "Too long to submit", [new FormField("text", "Text")]),
        });
}
