using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Discord;

public sealed partial class FakeDiscordServer
{
    private const string ApiPrefix = "/api/v10";
    private const int DefaultGlobalLimit = 50;
    // Generous so that ordinary tests never trip over a bucket they did not configure.
    private const int DefaultBucketLimit = 1000;
    private const double DefaultBucketSeconds = 1;
    private const int LoadingFlag = 1 << 7;
    private static readonly TimeSpan CallbackDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan WebhookTokenLifetime = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan NonceWindow = TimeSpan.FromMinutes(2);

    private static readonly Reply InvalidJson = Reply.Error(400, 50109, "The request body contains invalid JSON.");
    private static readonly Reply EmptyMessage = Reply.Error(400, 50006, "Cannot send an empty message");
    private static readonly Reply UnknownMessage = Reply.Error(404, 10008, "Unknown Message");
    private static readonly Reply UnknownInteraction = Reply.Error(404, 10062, "Unknown interaction");

    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _forbiddenChannels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredMessage> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string MessageId, DateTimeOffset At)> _nonces = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InteractionState> _interactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommandSet> _guildCommands = new(StringComparer.Ordinal);
    private readonly List<BucketConfig> _bucketConfigs = [];
    private readonly Dictionary<string, RateWindow> _windows = new(StringComparer.Ordinal);
    private CommandSet? _globalCommands;
    private RateWindow _global;
    private int _commandWrites;
    private ulong _lastSnowflake;

    private enum RouteKind
    {
        CreateMessage,
        GetMessage,
        EditMessage,
        DeleteMessage,
        Callback,
        Followup,
        GetOriginal,
        EditOriginal,
        DeleteOriginal,
        GetFollowup,
        EditFollowup,
        DeleteFollowup,
        GetCommands,
        PutCommands,
        GatewayBot,
        Gateway,
        CurrentUser,
    }

    public IReadOnlyList<JsonElement> GlobalCommands
    {
        get { lock (_gate) return _globalCommands?.Bodies ?? []; }
    }

    public IReadOnlyDictionary<string, IReadOnlyList<JsonElement>> GuildCommands
    {
        get
        {
            lock (_gate)
                return _guildCommands.ToDictionary(p => p.Key, p => p.Value.Bodies, StringComparer.Ordinal);
        }
    }

    public int CommandWrites
    {
        get { lock (_gate) return _commandWrites; }
    }

    public void AddChannel(string channelId)
    {
        lock (_gate) _channels.Add(channelId);
    }

    /// <summary>Answers every request on the channel with 403: 50013 Missing Permissions or 50001 Missing Access.</summary>
    public void ForbidChannel(string channelId, int code = 50013)
    {
        lock (_gate) _forbiddenChannels[channelId] = code;
    }

    /// <summary>
    /// Limits every method on paths matching <paramref name="routePattern"/>, per major parameter
    /// (channel id, webhook id + token). The window opens with its first request and lasts
    /// <paramref name="resetAfterSeconds"/> of real time or of <see cref="Clock"/> time, whichever passes first.
    /// </summary>
    public void SetBucket(string routePattern, int limit, double resetAfterSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resetAfterSeconds);
        var pattern = new RoutePattern(routePattern);
        var id = BucketId("configured " + pattern.Text);
        lock (_gate)
        {
            _bucketConfigs.RemoveAll(c => c.Id == id);
            _bucketConfigs.Add(new BucketConfig(pattern, id, limit, resetAfterSeconds));
            foreach (var key in _windows.Keys.Where(k => k.StartsWith(id + ":", StringComparison.Ordinal)).ToList())
                _windows.Remove(key);
        }
    }

    /// <summary>Requests per second across all bot routes; interaction callbacks and webhooks are exempt, as on Discord.</summary>
    public void SetGlobalLimit(int perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSecond);
        lock (_gate) _global = new RateWindow(perSecond, 1);
    }

    /// <summary>The current message object (after edits) for any message this server created, or null if unknown or deleted.</summary>
    public JsonElement? GetMessage(string messageId)
    {
        lock (_gate)
            return _messages.TryGetValue(messageId, out var stored) && !stored.Deleted ? JsonBits.ToElement(stored.Body) : null;
    }

    private Reply Dispatch(HttpRequest request, string method, string[]? segments, byte[] body)
    {
        var pathKnown = false;
        var route = segments is null ? null : Resolve(method, segments, out pathKnown);
        if (route is null)
        {
            var notFound = pathKnown ? Reply.Error(405, 0, "405: Method Not Allowed") : Reply.Error(404, 0, "404: Not Found");
            return notFound with { Rate = PeekRate(null) };
        }

        if (route.BotAuth && !string.Equals(request.Headers.Authorization.ToString(), "Bot " + BotToken, StringComparison.Ordinal))
            return Reply.Error(401, 0, "401: Unauthorized") with { Rate = PeekRate(route) };

        if (route.CountsGlobal)
        {
            var global = _global.Take(Clock);
            if (!global.Allowed) return RateLimited(global.ResetAfter, isGlobal: true) with { Rate = PeekRate(route) };
        }

        var (bucketId, window) = Bucket(route);
        var taken = window.Take(Clock);
        var rate = ToRateInfo(taken, bucketId);
        if (!taken.Allowed) return RateLimited(taken.ResetAfter, isGlobal: false) with { Rate = rate };

        return (CheckHeaders(request, method) ?? Handle(route, request, body)) with { Rate = rate };
    }

    private static Route? Resolve(string method, string[] s, out bool pathKnown)
    {
        pathKnown = true;
        method = method.ToUpperInvariant();
        RouteKind? kind;
        string template;
        var major = "";
        var botAuth = true;
        var countsGlobal = true;
        switch (s)
        {
            case ["channels", var channel, "messages"]:
                kind = method == "POST" ? RouteKind.CreateMessage : null;
                template = "/channels/*/messages";
                major = channel;
                break;
            case ["channels", var channel, "messages", _]:
                kind = method switch
                {
                    "GET" => RouteKind.GetMessage,
                    "PATCH" => RouteKind.EditMessage,
                    "DELETE" => RouteKind.DeleteMessage,
                    _ => null,
                };
                template = "/channels/*/messages/*";
                major = channel;
                break;
            case ["interactions", var id, var token, "callback"]:
                kind = method == "POST" ? RouteKind.Callback : null;
                template = "/interactions/*/*/callback";
                major = id + "/" + token;
                (botAuth, countsGlobal) = (false, false);
                break;
            case ["webhooks", var app, var token]:
                kind = method == "POST" ? RouteKind.Followup : null;
                template = "/webhooks/*/*";
                major = app + "/" + token;
                (botAuth, countsGlobal) = (false, false);
                break;
            case ["webhooks", var app, var token, "messages", "@original"]:
                kind = method switch
                {
                    "GET" => RouteKind.GetOriginal,
                    "PATCH" => RouteKind.EditOriginal,
                    "DELETE" => RouteKind.DeleteOriginal,
                    _ => null,
                };
                template = "/webhooks/*/*/messages/@original";
                major = app + "/" + token;
                (botAuth, countsGlobal) = (false, false);
                break;
            case ["webhooks", var app, var token, "messages", _]:
                kind = method switch
                {
                    "GET" => RouteKind.GetFollowup,
                    "PATCH" => RouteKind.EditFollowup,
                    "DELETE" => RouteKind.DeleteFollowup,
                    _ => null,
                };
                template = "/webhooks/*/*/messages/*";
                major = app + "/" + token;
                (botAuth, countsGlobal) = (false, false);
                break;
            case ["applications", _, "commands"]:
                kind = method switch { "GET" => RouteKind.GetCommands, "PUT" => RouteKind.PutCommands, _ => null };
                template = "/applications/*/commands";
                break;
            case ["applications", _, "guilds", var guild, "commands"]:
                kind = method switch { "GET" => RouteKind.GetCommands, "PUT" => RouteKind.PutCommands, _ => null };
                template = "/applications/*/guilds/*/commands";
                major = guild;
                break;
            case ["gateway", "bot"]:
                kind = method == "GET" ? RouteKind.GatewayBot : null;
                template = "/gateway/bot";
                break;
            case ["gateway"]:
                kind = method == "GET" ? RouteKind.Gateway : null;
                template = "/gateway";
                botAuth = false;
                break;
            case ["users", "@me"]:
                kind = method == "GET" ? RouteKind.CurrentUser : null;
                template = "/users/@me";
                break;
            default:
                pathKnown = false;
                return null;
        }
        return kind is { } found ? new Route(found, method, template, s, major, botAuth, countsGlobal) : null;
    }

    private static Reply? CheckHeaders(HttpRequest request, string method)
    {
        var errors = new ErrorTree();
        if (!request.Headers.UserAgent.ToString().StartsWith("DiscordBot (", StringComparison.Ordinal))
            errors.Add([], "USER_AGENT_INVALID", "User-Agent must look like \"DiscordBot ($url, $versionNumber)\"");
        else if (HttpMethods.IsPost(method) || HttpMethods.IsPatch(method) || HttpMethods.IsPut(method))
        {
            var mediaType = (request.ContentType ?? "").Split(';')[0].Trim();
            if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
                errors.Add([], "CONTENT_TYPE_INVALID",
                    "Expected \"Content-Type\" header to be one of {'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'}.");
        }
        return errors.IsEmpty ? null : Reply.Json(400, errors.ToBody());
    }

    private Reply Handle(Route route, HttpRequest request, byte[] body)
    {
        var s = route.Segments;
        return route.Kind switch
        {
            RouteKind.CreateMessage => CreateMessage(s[1], body),
            RouteKind.GetMessage or RouteKind.EditMessage or RouteKind.DeleteMessage => ChannelMessage(route.Kind, s[1], s[3], body),
            RouteKind.Callback => Callback(WantsResponse(request), s[1], s[2], body),
            RouteKind.Followup => Followup(s[1], s[2], body),
            RouteKind.GetOriginal or RouteKind.EditOriginal or RouteKind.DeleteOriginal => OriginalMessage(route.Kind, s[1], s[2], body),
            RouteKind.GetFollowup or RouteKind.EditFollowup or RouteKind.DeleteFollowup => FollowupMessage(route.Kind, s[1], s[2], s[4], body),
            RouteKind.GetCommands => GetCommands(s[1], s.Length == 5 ? s[3] : null),
            RouteKind.PutCommands => PutCommands(s[1], s.Length == 5 ? s[3] : null, body),
            RouteKind.GatewayBot => Reply.Json(200, new JsonObject
            {
                ["url"] = GatewayUrl.ToString(),
                ["shards"] = _gatewayShards,
                ["session_start_limit"] = new JsonObject
                {
                    ["total"] = 1000,
                    ["remaining"] = 999,
                    ["reset_after"] = 14400000,
                    ["max_concurrency"] = _maxConcurrency,
                },
            }),
            RouteKind.Gateway => Reply.Json(200, new JsonObject { ["url"] = GatewayUrl.ToString() }),
            RouteKind.CurrentUser => Reply.Json(200, BotUser()),
            _ => throw new UnreachableException(),
        };
    }

    private Reply CreateMessage(string channelId, byte[] body)
    {
        if (ChannelProblem(channelId) is { } problem) return problem;
        if (!JsonBits.TryParse(body, out var root)) return InvalidJson;
        var errors = new ErrorTree();
        MessageRules.Validate(root, [], errors, allowNonce: true);
        var hasReference = JsonBits.TryGet(root, "message_reference", out var reference) && reference.ValueKind != JsonValueKind.Null;
        if (hasReference && reference.ValueKind != JsonValueKind.Object)
            errors.Add(["message_reference"], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        if (!errors.IsEmpty) return Reply.Json(400, errors.ToBody());
        if (MessageRules.IsEmpty(root)) return EmptyMessage;

        JsonBits.TryGet(root, "nonce", out var nonceElement);
        var nonce = MessageRules.NonceText(nonceElement);
        var now = Clock.GetUtcNow();
        if (nonce is not null && JsonBits.Bool(root, "enforce_nonce") == true
            && _nonces.TryGetValue(nonce, out var seen) && now - seen.At <= NonceWindow)
        {
            var earlier = _messages[seen.MessageId];
            return earlier.Deleted ? UnknownMessage : Reply.Json(200, earlier.Body);
        }

        var (id, message) = CreateStored(0, channelId, root, fromWebhook: false);
        if (hasReference) AddReference(message, reference, channelId);
        if (nonce is not null)
        {
            message["nonce"] = JsonBits.ToNode(nonceElement);
            _nonces[nonce] = (id, now);
        }
        _createdMessages.Add(new FakeMessage(id, channelId, root, nonce));
        return Reply.Json(200, message);
    }

    /// <summary>
    /// Keeps a reply's <c>message_reference</c> as sent, with Discord's defaults filled in (type 0, the
    /// channel). A reply (type 0) makes the message type 19, REPLY. The referenced message is not looked
    /// up (the fake does not know users' messages), so <c>fail_if_not_exists</c> never fails.
    /// </summary>
    private static void AddReference(JsonObject message, JsonElement reference, string channelId)
    {
        var node = (JsonObject)JsonBits.ToNode(reference)!;
        node["type"] ??= 0;
        node["channel_id"] ??= channelId;
        message["message_reference"] = node;
        if (node["type"] is JsonValue type && type.TryGetValue<int>(out var referenceType) && referenceType == 0) message["type"] = 19;
    }

    private Reply ChannelMessage(RouteKind kind, string channelId, string messageId, byte[] body)
    {
        if (ChannelProblem(channelId) is { } problem) return problem;
        if (!_messages.TryGetValue(messageId, out var stored) || stored.Deleted || stored.ChannelId != channelId)
            return UnknownMessage;
        switch (kind)
        {
            case RouteKind.DeleteMessage:
                stored.Deleted = true;
                return Reply.NoContent;
            case RouteKind.EditMessage:
                return Edit(stored, body, out _);
            default:
                return Reply.Json(200, stored.Body);
        }
    }

    /// <summary>
    /// In HTTP mode Discord reads the bot's answer from the response to its own POST; that answer is
    /// the interaction's first callback. Tests hand it back here so that later edits of @original see
    /// it, exactly as the callback route would have.
    /// </summary>
    public int AcceptHttpResponse(string token, string responseJson)
    {
        lock (_gate) return Callback(false, _interactions.TryGetValue(token, out var state) ? state.Id ?? "" : "", token, System.Text.Encoding.UTF8.GetBytes(responseJson)).Status;
    }

    /// <summary>Called with the interaction token when a first callback is accepted (under the server's lock: keep it short). For load drivers.</summary>
    public Action<string>? CallbackObserved { get; set; }

    private static bool WantsResponse(HttpRequest request)
    {
        var withResponse = request.Query["with_response"].ToString();
        return string.Equals(withResponse, "true", StringComparison.OrdinalIgnoreCase) || withResponse == "1";
    }

    private Reply Callback(bool withResponse, string interactionId, string token, byte[] body)
    {
        if (!_interactions.TryGetValue(token, out var state)) return UnknownInteraction;
        if (state.CallbackType is not null) return Reply.Error(400, 40060, "Interaction has already been acknowledged.");
        if (Clock.GetUtcNow() - state.IssuedAt > CallbackDeadline) return UnknownInteraction;
        if (!JsonBits.TryParse(body, out var root)) return InvalidJson;
        var errors = new ErrorTree();
        var type = CallbackRules.Validate(root, errors, state.Type);
        if (!errors.IsEmpty) return Reply.Json(400, errors.ToBody());
        JsonBits.TryGet(root, "data", out var data);
        if (type == CallbackRules.ChannelMessage && MessageRules.IsEmpty(data)) return EmptyMessage;

        state.CallbackType = type;
        state.CallbackSeen.TrySetResult();
        _interactionResponses.Add(new FakeInteractionResponse(token, "callback", root));
        CallbackObserved?.Invoke(token);
        JsonObject? message = null;
        long flags = 0;
        switch (type)
        {
            case CallbackRules.ChannelMessage or CallbackRules.UpdateMessage:
                (state.OriginalId, message) = CreateStored(type == CallbackRules.ChannelMessage ? 20 : 0, state.ChannelId, data, fromWebhook: true);
                flags = Flags(message);
                break;
            case CallbackRules.DeferredChannelMessage:
                (state.OriginalId, message) = CreateStored(20, state.ChannelId, default, fromWebhook: true);
                flags = ((JsonBits.Integer(data, "flags") ?? 0) & CallbackRules.EphemeralFlag) | LoadingFlag;
                message["flags"] = flags;
                state.OriginalLoading = true;
                break;
        }

        if (!withResponse) return Reply.NoContent;

        var resource = new JsonObject { ["type"] = type };
        if (message is not null) resource["message"] = message.DeepClone();
        return Reply.Json(200, new JsonObject
        {
            ["interaction"] = new JsonObject
            {
                ["id"] = state.Id ?? interactionId,
                ["type"] = state.Type,
                ["activity_instance_id"] = null,
                ["response_message_id"] = message is null ? null : state.OriginalId,
                ["response_message_loading"] = type == CallbackRules.DeferredChannelMessage,
                ["response_message_ephemeral"] = (flags & CallbackRules.EphemeralFlag) != 0,
            },
            ["resource"] = resource,
        });
    }

    private Reply Followup(string app, string token, byte[] body)
    {
        if (!TryWebhook(app, token, out var state, out var problem)) return problem;
        if (!JsonBits.TryParse(body, out var root)) return InvalidJson;
        var errors = new ErrorTree();
        MessageRules.Validate(root, [], errors, allowNonce: false);
        if (!errors.IsEmpty) return Reply.Json(400, errors.ToBody());
        if (MessageRules.IsEmpty(root)) return EmptyMessage;

        _interactionResponses.Add(new FakeInteractionResponse(token, "followup", root));
        // Discord's legacy behaviour: the first followup after a type-5 defer fills in the deferred message.
        if (state.OriginalLoading && state.OriginalId is not null && _messages.TryGetValue(state.OriginalId, out var original) && !original.Deleted)
        {
            ApplyFields(original.Body, root);
            FinishLoading(state, original);
            return Reply.Json(200, original.Body);
        }
        var (id, message) = CreateStored(0, state.ChannelId, root, fromWebhook: true);
        state.FollowupIds.Add(id);
        return Reply.Json(200, message);
    }

    private Reply OriginalMessage(RouteKind kind, string app, string token, byte[] body)
    {
        if (!TryWebhook(app, token, out var state, out var problem)) return problem;
        // After a type-6 acknowledgement @original is the message the component sat on, which this server never saw.
        if (state.OriginalId is null && kind == RouteKind.EditOriginal && state.CallbackType == CallbackRules.DeferredUpdate)
            (state.OriginalId, _) = CreateStored(0, state.ChannelId, default, fromWebhook: true);
        if (state.OriginalId is null || !_messages.TryGetValue(state.OriginalId, out var stored) || stored.Deleted)
            return UnknownMessage;

        switch (kind)
        {
            case RouteKind.DeleteOriginal:
                stored.Deleted = true;
                state.OriginalLoading = false;
                return Reply.NoContent;
            case RouteKind.EditOriginal:
                var reply = Edit(stored, body, out var root);
                if (reply.Status != 200) return reply;
                FinishLoading(state, stored);
                _interactionResponses.Add(new FakeInteractionResponse(token, "edit-original", root));
                return Reply.Json(200, stored.Body);
            default:
                return Reply.Json(200, stored.Body);
        }
    }

    private Reply FollowupMessage(RouteKind kind, string app, string token, string messageId, byte[] body)
    {
        if (!TryWebhook(app, token, out var state, out var problem)) return problem;
        var isOriginal = messageId == state.OriginalId;
        if (!(isOriginal || state.FollowupIds.Contains(messageId)) || !_messages.TryGetValue(messageId, out var stored) || stored.Deleted)
            return UnknownMessage;

        switch (kind)
        {
            case RouteKind.DeleteFollowup:
                stored.Deleted = true;
                return Reply.NoContent;
            case RouteKind.EditFollowup:
                var reply = Edit(stored, body, out var root);
                if (reply.Status != 200) return reply;
                if (isOriginal) FinishLoading(state, stored);
                _interactionResponses.Add(new FakeInteractionResponse(token, isOriginal ? "edit-original" : "edit-followup", root));
                return Reply.Json(200, stored.Body);
            default:
                return Reply.Json(200, stored.Body);
        }
    }

    private Reply GetCommands(string app, string? guildId)
    {
        if (app != ApplicationId) return Reply.Error(403, 50001, "Missing Access");
        var set = guildId is null ? _globalCommands : _guildCommands.GetValueOrDefault(guildId);
        return Reply.Json(200, set?.Echo ?? new JsonArray());
    }

    private Reply PutCommands(string app, string? guildId, byte[] body)
    {
        if (app != ApplicationId) return Reply.Error(403, 50001, "Missing Access");
        if (!JsonBits.TryParse(body, out var root)) return InvalidJson;
        var errors = new ErrorTree();
        CommandRules.Validate(root, errors);
        if (!errors.IsEmpty) return Reply.Json(400, errors.ToBody());

        var commands = root.EnumerateArray().ToArray();
        var previous = guildId is null ? _globalCommands : _guildCommands.GetValueOrDefault(guildId);
        if (CommandRules.CanonicalSet(commands) != CommandRules.CanonicalSet(previous?.Bodies ?? []))
            _commandWrites++;

        var echo = new JsonArray();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            var node = (JsonObject)JsonBits.ToNode(command)!;
            var key = CommandRules.Key(command);
            var id = previous?.Ids.GetValueOrDefault(key) ?? NewSnowflake();
            ids[key] = id;
            node["id"] = id;
            node["application_id"] = ApplicationId;
            node["type"] ??= 1;
            node["version"] = NewSnowflake();
            if (guildId is not null) node["guild_id"] = guildId;
            if (!node.ContainsKey("default_member_permissions")) node["default_member_permissions"] = null;
            echo.Add(node);
        }

        var set = new CommandSet(commands, echo, ids);
        if (guildId is null) _globalCommands = set;
        else _guildCommands[guildId] = set;
        return Reply.Json(200, echo);
    }

    private Reply? ChannelProblem(string channelId)
    {
        if (_forbiddenChannels.TryGetValue(channelId, out var code))
            return Reply.Error(403, code, code == 50001 ? "Missing Access" : "Missing Permissions");
        return _channels.Contains(channelId) ? null : Reply.Error(404, 10003, "Unknown Channel");
    }

    private bool TryWebhook(string app, string token, [NotNullWhen(true)] out InteractionState? state, [NotNullWhen(false)] out Reply? problem)
    {
        problem = null;
        if (app != ApplicationId)
        {
            state = null;
            problem = Reply.Error(404, 10015, "Unknown Webhook");
            return false;
        }
        if (!_interactions.TryGetValue(token, out state) || Clock.GetUtcNow() - state.IssuedAt > WebhookTokenLifetime)
        {
            state = null;
            problem = Reply.Error(401, 50027, "Invalid Webhook Token");
            return false;
        }
        return true;
    }

    private Reply Edit(StoredMessage stored, byte[] body, out JsonElement root)
    {
        if (!JsonBits.TryParse(body, out root)) return InvalidJson;
        var errors = new ErrorTree();
        MessageRules.Validate(root, [], errors, allowNonce: false);
        if (!errors.IsEmpty) return Reply.Json(400, errors.ToBody());
        ApplyFields(stored.Body, root);
        stored.Body["edited_timestamp"] = Timestamp();
        return Reply.Json(200, stored.Body);
    }

    private static void FinishLoading(InteractionState state, StoredMessage original)
    {
        if (!state.OriginalLoading) return;
        original.Body["flags"] = Flags(original.Body) & ~(long)LoadingFlag;
        state.OriginalLoading = false;
    }

    private (string Id, JsonObject Body) CreateStored(int type, string? channelId, JsonElement source, bool fromWebhook)
    {
        var id = NewSnowflake();
        var message = new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["channel_id"] = channelId,
            ["author"] = BotUser(),
            ["content"] = "",
            ["embeds"] = new JsonArray(),
            ["components"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["mention_everyone"] = false,
            ["pinned"] = false,
            ["tts"] = false,
            ["flags"] = 0L,
            ["timestamp"] = Timestamp(),
            ["edited_timestamp"] = null,
        };
        if (fromWebhook)
        {
            message["webhook_id"] = ApplicationId;
            message["application_id"] = ApplicationId;
        }
        ApplyFields(message, source);
        _messages[id] = new StoredMessage(channelId, message);
        return (id, message);
    }

    private static void ApplyFields(JsonObject message, JsonElement source)
    {
        if (source.ValueKind != JsonValueKind.Object) return;
        foreach (var property in source.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "content":
                    message["content"] = value.ValueKind == JsonValueKind.String ? value.GetString() : "";
                    break;
                case "embeds" or "components" or "attachments":
                    message[property.Name] = value.ValueKind == JsonValueKind.Array ? JsonBits.ToNode(value) : new JsonArray();
                    break;
                case "flags":
                    message["flags"] = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var flags) ? flags : 0L;
                    break;
                case "tts":
                    message["tts"] = value.ValueKind == JsonValueKind.True;
                    break;
                case "poll":
                    message["poll"] = JsonBits.ToNode(value);
                    break;
            }
        }
    }

    private static long Flags(JsonObject message) =>
        message["flags"] is JsonValue value && value.TryGetValue<long>(out var flags) ? flags : 0;

    private JsonObject BotUser() => new()
    {
        ["id"] = ApplicationId,
        ["username"] = "FakeBot",
        ["discriminator"] = "0",
        ["global_name"] = null,
        ["avatar"] = null,
        ["bot"] = true,
    };

    private (string Id, RateWindow Window) Bucket(Route? route)
    {
        var configured = route is null ? null : _bucketConfigs.FindLast(c => c.Pattern.Matches(route.Segments));
        var id = configured?.Id ?? BucketId(route is null ? "unknown" : route.Method + " " + route.Template);
        var key = id + ":" + route?.Major;
        if (!_windows.TryGetValue(key, out var window))
        {
            window = configured is null
                ? new RateWindow(DefaultBucketLimit, DefaultBucketSeconds)
                : new RateWindow(configured.Limit, configured.Seconds);
            _windows[key] = window;
        }
        return (id, window);
    }

    private RateInfo PeekRate(Route? route)
    {
        var (id, window) = Bucket(route);
        return ToRateInfo(window.Peek(Clock), id);
    }

    private RateInfo ToRateInfo(RateSnapshot snapshot, string bucketId) =>
        new(snapshot.Limit, snapshot.Remaining, snapshot.ResetAfter, ResetEpoch(snapshot.ResetAfter), bucketId);

    private string ResetEpoch(double resetAfter) =>
        (Clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 + resetAfter).ToString("0.000", CultureInfo.InvariantCulture);

    private static string BucketId(string template) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template)))[..32];

    private static Reply RateLimited(double resetAfter, bool isGlobal)
    {
        var retryAfter = Math.Max(0.001, resetAfter);
        var body = $$"""{"message":"You are being rate limited.","retry_after":{{ScriptedResponse.FormatSeconds(retryAfter)}},"global":{{(isGlobal ? "true" : "false")}}}""";
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter)).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = isGlobal ? "global" : "user",
        };
        if (isGlobal) headers["X-RateLimit-Global"] = "true";
        return new Reply(429, body, Headers: headers);
    }

    private sealed record Route(RouteKind Kind, string Method, string Template, string[] Segments, string Major, bool BotAuth, bool CountsGlobal);

    private sealed record BucketConfig(RoutePattern Pattern, string Id, int Limit, double Seconds);

    private sealed record CommandSet(IReadOnlyList<JsonElement> Bodies, JsonArray Echo, IReadOnlyDictionary<string, string> Ids);

    private sealed class StoredMessage(string? channelId, JsonObject body)
    {
        public string? ChannelId { get; } = channelId;

        public JsonObject Body { get; } = body;

        public bool Deleted { get; set; }
    }

    private sealed class InteractionState(DateTimeOffset issuedAt)
    {
        public DateTimeOffset IssuedAt { get; } = issuedAt;

        public string? Id { get; set; }

        public int Type { get; set; } = 2;

        public string? ChannelId { get; set; }

        public int? CallbackType { get; set; }

        public string? OriginalId { get; set; }

        public bool OriginalLoading { get; set; }

        /// <summary>Completes with the first callback: webhook requests for a known interaction wait for it (see <see cref="CallbackWait"/>).</summary>
        public TaskCompletionSource CallbackSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HashSet<string> FollowupIds { get; } = new(StringComparer.Ordinal);
    }
}
