using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Discord.Inbound;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Gateway;

/// <summary>
/// What the bot does with gateway events: interactions go through the same handler as the HTTP
/// endpoint and are answered with the callback route; a message that mentions the bot (or a DM) is
/// run as a command or asked as a question, and answered as a reply.
/// </summary>
internal sealed partial class GatewayEventHandler(
    InteractionHandler interactions,
    CommandRouter router,
    DiscordRestClient rest,
    BackgroundWork background,
    ILogger<GatewayEventHandler> logger,
    Bot.Core.Installations.IWorkspacePauses? pauses = null,
    IInboundEventLog? seen = null) : IGatewayEvents
{
    /// <summary>How long the store remembers an interaction or message id: far beyond any resume's replay.</summary>
    public static readonly TimeSpan RememberEventsFor = TimeSpan.FromDays(1);

    private const int MaxTextLength = 2000;
    private readonly RecentIds _interactionIds = new();
    private readonly RecentIds _messageIds = new();
    /// <summary>The bot's user id and the two ways message text mentions it, set from READY.</summary>
    private volatile BotMention? _bot;

    private sealed record BotMention(string UserId)
    {
        public string Plain { get; } = $"<@{UserId}>";
        public string WithNickname { get; } = $"<@!{UserId}>";
    }

    /// <summary>User, role and channel mentions as Discord writes them in message text.</summary>
    [GeneratedRegex(@"<(?:@[!&]?|#)\d+>")]
    private static partial Regex MentionMarkup();

    public void OnDispatch(int shardId, string eventName, JsonElement data)
    {
        if (eventName is not ("READY" or "INTERACTION_CREATE" or "MESSAGE_CREATE" or "GUILD_CREATE" or "GUILD_DELETE")) return;
        try
        {
            var json = Readable(data);
            switch (eventName)
            {
                case "READY":
                    // A READY that names no user leaves the bot's identity as it was rather than forgetting it.
                    if (JsonSerializer.Deserialize(json, GatewayJson.Default.ReadyData)?.User?.Id is { } userId) _bot = new BotMention(userId);
                    break;
                case "INTERACTION_CREATE":
                    OnInteraction(shardId, JsonSerializer.Deserialize(json, DiscordJson.Default.Interaction));
                    break;
                case "MESSAGE_CREATE":
                    OnMessage(JsonSerializer.Deserialize(json, GatewayJson.Default.GatewayMessage));
                    break;
                case "GUILD_CREATE" or "GUILD_DELETE":
                    OnGuild(eventName, JsonSerializer.Deserialize(json, GatewayJson.Default.GatewayGuild));
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One odd event must not take the shard down with it. The exception text is enough: a stack
            // trace would add nothing, and the event itself (tokens included) is never logged.
            logger.LogWarning("Discord gateway shard {Shard}: unreadable {Event} ({Error}: {Message})", shardId, eventName, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>The event's JSON with lone surrogates repaired; a missing or non-object <c>d</c> is refused.</summary>
    private static ReadOnlySpan<byte> Readable(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) throw new JsonException($"event data is {data.ValueKind}, not an object");
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
        return UnstorableEscapes.Repaired(raw) ?? raw;
    }

    private void OnInteraction(int shardId, Interaction? interaction)
    {
        if (interaction is not { Id: { } id, Token: { } token } || !Enum.IsDefined(interaction.Type)) return;
        if (!Snowflake.IsValid(id))
        {
            // Its callback route could not be built; Discord never sends such an id.
            logger.LogWarning("Discord gateway shard {Shard}: ignored an interaction whose id is not a snowflake", shardId);
            return;
        }

        if (!_interactionIds.FirstTime(id)) return;

        background.Start("Discord gateway interaction", async ct =>
        {
            if (!await FirstTimeInStoreAsync("interaction:" + id, ct)) return;
            var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var response = await interactions.RespondAsync(interaction, ct, delivered.Task);
            try
            {
                await rest.InteractionCallbackAsync(id, token, response, ct);
                delivered.TrySetResult();
            }
            catch (DiscordApiException ex) when (ex.Code == 40060)
            {
                // Already answered, by an earlier process or connection; answering twice is what must not happen.
                logger.LogDebug("Discord interaction {Id} was already acknowledged", id);
                delivered.TrySetCanceled(ct);
            }
            catch (Exception ex)
            {
                // A deferred answer waiting for this callback must not wait forever.
                delivered.TrySetException(ex);
                throw;
            }
        });
    }

    private void OnMessage(GatewayMessage? message)
    {
        if (message is not { Id: { } id, ChannelId: { } channel, Author: { Id: { } author } } || message.Author.Bot == true || message.WebhookId is not null) return;
        // Every guild message arrives (most without text): the common case must cost next to nothing.
        var bot = _bot;
        if (bot is null || author == bot.UserId) return;
        var isDm = message.GuildId is null;
        var mentioned = message.Mentions?.Any(m => m?.Id == bot.UserId) == true
            || message.Content?.Contains(bot.Plain, StringComparison.Ordinal) == true
            || message.Content?.Contains(bot.WithNickname, StringComparison.Ordinal) == true;
        if (!mentioned && !isDm) return;
        if (!Snowflake.IsValid(channel))
        {
            // The reply's route is built from it; Discord never sends such an id.
            logger.LogWarning("Discord gateway: ignored a message whose channel id is not a snowflake");
            return;
        }

        if (!_messageIds.FirstTime(id)) return;

        var content = message.Content ?? string.Empty;
        var text = MentionMarkup().Replace(content.Length > MaxTextLength ? content[..MaxTextLength] : content, " ").Trim();
        var context = new ChatContext
        {
            Platform = "discord",
            Workspace = message.GuildId ?? "dm",
            Channel = channel,
            User = author,
            Thread = channel,
        };
        var request = router.ForMention(text, context);
        background.Start("Discord mention", async ct =>
        {
            if (!await FirstTimeInStoreAsync("message:" + id, ct)) return;
            var answer = await router.HandleAsync(request, ct);
            var reply = DiscordMessageRenderer.Render(answer, ephemeral: false) with { MessageReference = new MessageReference(id) };
            try
            {
                // The message id as nonce: a replayed MESSAGE_CREATE or a retried send yields the same reply, not a second one.
                await rest.CreateMessageAsync(channel, reply, Nonce(id), ct);
            }
            catch (DiscordApiException ex)
            {
                logger.LogWarning("Could not answer a mention in {Channel}: {Error}", channel, ex.Message);
            }
        });
    }

    /// <summary>
    /// The bot joined (or is back in) a guild: its paused subscriptions resume. It left or was removed: they pause. A
    /// GUILD_DELETE marked unavailable is an outage on Discord's side, not a removal, and changes nothing.
    /// </summary>
    private void OnGuild(string eventName, GatewayGuild? guild)
    {
        if (pauses is null || guild?.Id is not { } id || !Snowflake.IsValid(id)) return;
        if (eventName == "GUILD_DELETE" && guild.Unavailable == true) return;
        background.Start($"Discord {eventName}", async ct =>
        {
            var count = eventName == "GUILD_CREATE"
                ? await pauses.ResumeWorkspaceAsync("discord", id, ct)
                : await pauses.PauseWorkspaceAsync("discord", id, "the bot was removed from the guild", ct);
            if (count > 0) logger.LogInformation("Discord {Event} for guild {Guild}: {Count} subscription(s) {Change}", eventName, id, count, eventName == "GUILD_CREATE" ? "resumed" : "paused");
        });
    }

    /// <summary>
    /// The in-memory check sees this process only; the store also sees a replay after a restart and an event another
    /// instance took (two sessions on one shard while instances hand over). True when the store cannot say: answering
    /// twice beats never answering.
    /// </summary>
    private async Task<bool> FirstTimeInStoreAsync(string key, CancellationToken cancellationToken)
    {
        if (seen is null) return true;
        try
        {
            return await seen.FirstTimeAsync("discord", [key], RememberEventsFor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not check the store for an earlier delivery of Discord {Key} ({Error}); answering it", key, ex.GetType().Name);
            return true;
        }
    }

    private static string Nonce(string messageId) => messageId.Length <= 25 ? messageId : messageId[^25..];
}
