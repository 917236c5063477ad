using System.Text.Json;
using System.Threading.Channels;
using Bot.Core.Briefings;
using Bot.Core.Chat;

namespace Bot.Playground;

/// <summary>
/// Local mode's browser playground: one page, a chat that runs commands through the same router as
/// the platforms, a #briefings channel fed live (server-sent events) and the local feeds with their newest items
/// (<see cref="PlaygroundFeeds"/>). No logic of its own.
/// </summary>
public static class PlaygroundEndpoints
{
    public const string Platform = "local";
    public const string BriefingsChannel = "briefings";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <param name="Form">The values of a submitted form (see <see cref="ChatForm"/>), by field id.</param>
    /// <param name="Pressed">A button or a form sent the text: it is an internal command line, not one a person typed under a public name.</param>
    public sealed record ChatInput(string? Text, string? Conversation, Dictionary<string, string?>? Form = null, bool Pressed = false);

    private const int MaxFormFields = 10;
    private const int MaxFormValue = 4000;

    public static IServiceCollection AddPlayground(this IServiceCollection services)
    {
        services.AddOptions<PlaygroundOptions>().BindConfiguration(PlaygroundOptions.Section);
        services.AddSingleton<PlaygroundGuard>();
        services.AddSingleton<PlaygroundFeed>();
        services.AddSingleton<IBriefingSender, PlaygroundBriefingSender>();
        return services;
    }

    /// <summary>Every playground endpoint passes the <see cref="PlaygroundGuard"/> first.</summary>
    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder routes)
    {
        var guard = routes.ServiceProvider.GetRequiredService<PlaygroundGuard>();
        var endpoints = routes.MapGroup("").AddEndpointFilter(guard.FilterAsync);
        endpoints.MapGet("/", (CommandNames names) => Results.Content(PlaygroundPage.For(names), "text/html; charset=utf-8"));
        endpoints.MapPost("/playground/chat", async (ChatInput input, CommandRouter router, CommandNames names, CancellationToken ct) =>
        {
            var text = (input.Text ?? string.Empty).Trim();
            if (text.Length > 4000) text = text[..4000];
            var context = new ChatContext
            {
                Platform = Platform,
                Workspace = "local",
                Channel = "chat",
                User = "you",
                Thread = string.IsNullOrWhiteSpace(input.Conversation) ? "chat" : input.Conversation[..Math.Min(64, input.Conversation.Length)],
                CanManageBriefings = true,
                CanEditContent = true,
                UserName = "you (playground)",
            };
            var form = input.Form?.Take(MaxFormFields).ToDictionary(
                f => f.Key, f => f.Value is { Length: > MaxFormValue } text ? text[..MaxFormValue] : f.Value ?? string.Empty, StringComparer.Ordinal);
            var commandLine = input.Pressed || form is not null ? text : names.InternalLine(text);
            var message = commandLine is null
                ? router.UnknownCommand(text.Split(' ', 2)[0], context)
                : await router.HandleAsync(new ChatRequest(commandLine, context) { Form = form }, ct);
            return Results.Json(message, Json);
        });
        endpoints.MapPost("/playground/digest-now", async (BriefingService briefings, ISubscriptionStore subscriptions, TimeProvider time, CancellationToken ct) =>
        {
            // Today's digest for #briefings goes through the outbox like a scheduled one: one delivery per
            // channel and local date, claimed once, so pressing twice (or the schedule later) posts it once.
            var subscription = (await subscriptions.ListAsync(Platform, "local", BriefingsChannel, ct)).FirstOrDefault(s => s.Kind == BriefingKind.Digest)
                ?? await subscriptions.SaveAsync(new Subscription { Platform = Platform, Workspace = "local", Channel = BriefingsChannel, Kind = BriefingKind.Digest }, ct);
            await briefings.RunDueAsync(subscription.Id, time.GetUtcNow(), ct);
            return Results.Accepted();
        });
        endpoints.MapGet("/playground/briefings", async (HttpContext http, PlaygroundFeed feed, CancellationToken ct) =>
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            var reader = feed.Subscribe(ct);
            await http.Response.WriteAsync(": connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            try
            {
                await foreach (var message in reader.ReadAllAsync(ct))
                {
                    await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(message, Json)}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
        });
        PlaygroundFeeds.Map(endpoints);
        return routes;
    }
}

/// <summary>Fans #briefings posts out to every open page.</summary>
public sealed class PlaygroundFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ChatMessage>> _listeners = [];

    public ChannelReader<ChatMessage> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ChatMessage>(new BoundedChannelOptions(50) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate) _listeners.Add(channel);
        cancellationToken.Register(() =>
        {
            lock (_gate) _listeners.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    public void Publish(ChatMessage message)
    {
        lock (_gate)
            foreach (var listener in _listeners)
                listener.Writer.TryWrite(message);
    }
}

/// <summary>Scheduled briefings subscribed in the playground appear in its #briefings channel.</summary>
internal sealed class PlaygroundBriefingSender(PlaygroundFeed feed) : IBriefingSender
{
    public string Platform => PlaygroundEndpoints.Platform;

    public Task<string?> SendAsync(Subscription subscription, Delivery delivery, bool uncertain, CancellationToken cancellationToken)
    {
        feed.Publish(delivery.Message!);
        return Task.FromResult<string?>($"local-{delivery.Id}");
    }
}
