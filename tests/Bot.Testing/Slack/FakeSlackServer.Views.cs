using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Testing.Slack;

/// <summary>
/// Modals and message shortcuts:
/// <list type="bullet">
/// <item><c>views.open</c> exchanges a trigger_id this fake handed out (in a slash command, a click, a shortcut or a submission)
/// once, and only within <see cref="TriggerLifetime"/> of <see cref="Clock"/>: an unknown one is <c>invalid_arguments</c>
/// ("invalid `trigger_id`"), a used one <c>exchanged_trigger_id</c>, an old one <c>expired_trigger_id</c>. The view is checked
/// against Slack's limits (type modal; title, submit and close plain_text of 24; 100 blocks; block_id 255 and unique;
/// callback_id 255; private_metadata 3,000; input labels 2,000; plain_text_input max_length 1–3,000 with initial_value
/// within it; placeholders 150; external_select options of 75 / 150) and refused with <c>invalid_arguments</c> and
/// Slack-style messages.</item>
/// <item><c>chat.getPermalink</c> answers for the bot's messages and those made with <see cref="PostUserMessage"/>.</item>
/// <item>Builders for the payloads that follow: <c>view_submission</c> (values as given: this fake does not play Slack's
/// client, which would refuse an empty required input or one over max_length), <c>message_action</c> and
/// <c>block_suggestion</c>, signed for HTTP or as Socket Mode envelopes.</item>
/// </list>
/// </summary>
public sealed partial class FakeSlackServer
{
    public static readonly TimeSpan TriggerLifetime = TimeSpan.FromSeconds(3);

    public const int MaxViewBlocks = 100;
    public const int MaxViewTitle = 24;
    public const int MaxPrivateMetadata = 3000;
    public const int MaxInputLength = 3000;
    public const int MaxPlaceholder = 150;
    public const int MaxInputLabel = 2000;
    public const int MaxOptionText = 75;
    public const int MaxOptionValue = 150;

    private readonly ConcurrentDictionary<string, IssuedTrigger> _triggers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exchangedTriggers = new(StringComparer.Ordinal);
    private readonly List<SlackOpenedView> _views = [];
    private readonly Dictionary<(string Channel, string Ts), UserMessage> _userMessages = [];
    private int _viewCounter;

    /// <summary>Modals views.open accepted, oldest first.</summary>
    public IReadOnlyList<SlackOpenedView> OpenedViews
    {
        get
        {
            lock (_gate)
                return _views.ToArray();
        }
    }

    /// <summary>
    /// A message someone (not the bot) posted in <paramref name="channelId"/>, for a shortcut to be used on; returns its ts
    /// (<paramref name="ts"/> when given, else a fresh one on <see cref="Clock"/>).
    /// </summary>
    public string PostUserMessage(string text, string channelId = DefaultChannelId, string userId = "U0BOB", string? ts = null, string? threadTs = null)
    {
        lock (_gate)
        {
            var messageTs = ts ?? NextTs();
            _userMessages[(channelId, messageTs)] = new UserMessage(userId, text, threadTs);
            return messageTs;
        }
    }

    /// <summary>A trigger_id as a payload would carry it, for tests that call views.open themselves.</summary>
    public string IssueTriggerId(string userId = DefaultUserId) => NextTriggerId(userId);

    /// <summary>The permalink chat.getPermalink gives for a message: <c>https://{domain}.slack.com/archives/{channel}/p{ts without the dot}</c>.</summary>
    public string PermalinkFor(string channelId, string ts, string? threadTs = null)
    {
        var link = $"https://{TeamDomain}.slack.com/archives/{channelId}/p{ts.Replace(".", "", StringComparison.Ordinal)}";
        return threadTs is null || threadTs == ts ? link : $"{link}?thread_ts={threadTs}&cid={channelId}";
    }

    /// <summary>A signed <c>view_submission</c> of <paramref name="view"/> with <paramref name="values"/> by block_id (a missing one is left empty).</summary>
    public HttpRequestMessage ViewSubmission(Uri botUrl, SlackOpenedView view, IReadOnlyDictionary<string, string?> values, string? userId = null) =>
        Interaction(botUrl, ViewSubmissionPayload(view, values, userId ?? view.UserId ?? DefaultUserId));

    /// <summary>
    /// A <c>view_submission</c> as a Socket Mode envelope; returns the envelope id. accepts_response_payload is true, as
    /// Slack must set it for a submission's answer to reach it; false lets a test check that the client reads the flag.
    /// </summary>
    public string SendViewSubmission(SlackOpenedView view, IReadOnlyDictionary<string, string?> values, string? userId = null, bool acceptsResponsePayload = true) =>
        CreateEnvelope(Interactive, ViewSubmissionPayload(view, values, userId ?? view.UserId ?? DefaultUserId), acceptsResponsePayload);

    /// <summary>A signed <c>message_action</c>: <paramref name="userId"/> used the shortcut <paramref name="callbackId"/> on a message made with <see cref="PostUserMessage"/>.</summary>
    public HttpRequestMessage MessageShortcut(Uri botUrl, string callbackId, string messageTs, string channelId = DefaultChannelId, string userId = DefaultUserId) =>
        Interaction(botUrl, MessageShortcutPayload(callbackId, messageTs, channelId, userId));

    /// <summary>A <c>message_action</c> as a Socket Mode envelope (accepts_response_payload false, as for every shortcut).</summary>
    public string SendMessageShortcut(string callbackId, string messageTs, string channelId = DefaultChannelId, string userId = DefaultUserId) =>
        CreateEnvelope(Interactive, MessageShortcutPayload(callbackId, messageTs, channelId, userId), acceptsResponsePayload: false);

    /// <summary>A signed <c>block_suggestion</c>: someone typed <paramref name="value"/> in the external select of <paramref name="blockId"/>.</summary>
    public HttpRequestMessage BlockSuggestion(Uri botUrl, SlackOpenedView view, string blockId, string value, string? userId = null) =>
        Interaction(botUrl, BlockSuggestionPayload(view, blockId, value, userId ?? view.UserId ?? DefaultUserId));

    /// <summary>A <c>block_suggestion</c> as a Socket Mode envelope (accepts_response_payload true: the options travel in the ack).</summary>
    public string SendBlockSuggestion(SlackOpenedView view, string blockId, string value, string? userId = null) =>
        CreateEnvelope(Interactive, BlockSuggestionPayload(view, blockId, value, userId ?? view.UserId ?? DefaultUserId), acceptsResponsePayload: true);

    private HttpRequestMessage Interaction(Uri botUrl, JsonObject payload) =>
        Signed(botUrl, FormContentType, Encoding.UTF8.GetBytes("payload=" + Escape(payload.ToJsonString(ReplyJson))));

    private Reply OpenView(JsonObject args, List<string> warnings)
    {
        var triggerId = Str(args, "trigger_id");
        if (string.IsNullOrEmpty(triggerId) || !_triggers.TryGetValue(triggerId, out var trigger))
            return Fail("invalid_arguments", warnings, ["invalid `trigger_id`"]);
        if (_exchangedTriggers.Contains(triggerId))
            return Fail("exchanged_trigger_id", warnings);
        if (Clock.GetUtcNow() - trigger.IssuedAt > TriggerLifetime)
            return Fail("expired_trigger_id", warnings);

        var view = args["view"] switch
        {
            JsonObject inline => inline,
            JsonValue text when text.GetValueKind() == JsonValueKind.String => TryParseObject(text.GetValue<string>()),
            _ => null,
        };
        if (view is null)
            return Fail("invalid_arguments", warnings, ["[ERROR] missing required field: view"]);
        var messages = new List<string>();
        ValidateView(view, messages);
        if (messages.Count > 0)
            return Fail("invalid_arguments", warnings, messages);

        _exchangedTriggers.Add(triggerId);
        _viewCounter++;
        var viewId = string.Create(CultureInfo.InvariantCulture, $"V0FAKE{_viewCounter:D4}");
        var opened = (JsonObject)view.DeepClone();
        opened["id"] = viewId;
        opened["team_id"] = TeamId;
        opened["state"] = new JsonObject { ["values"] = new JsonObject() };
        opened["hash"] = string.Create(CultureInfo.InvariantCulture, $"{Clock.GetUtcNow().ToUnixTimeSeconds()}.{_viewCounter:D8}");
        opened["root_view_id"] = viewId;
        opened["app_id"] = AppId;
        opened["bot_id"] = BotId;
        using (var document = JsonDocument.Parse(opened.ToJsonString()))
            _views.Add(new SlackOpenedView(viewId, triggerId, trigger.UserId, document.RootElement.Clone(), Clock.GetUtcNow()));
        return Ok(new JsonObject { ["view"] = opened }, warnings);
    }

    private Reply Permalink(JsonObject args, List<string> warnings)
    {
        var channel = Str(args, "channel");
        var ts = Str(args, "message_ts");
        if (string.IsNullOrEmpty(channel) || !_channels.ContainsKey(channel))
            return Fail("channel_not_found", warnings);
        if (string.IsNullOrEmpty(ts))
            return Fail("message_not_found", warnings);
        string? threadTs;
        if (_userMessages.TryGetValue((channel, ts), out var userMessage))
            threadTs = userMessage.ThreadTs;
        else if (_posted.TryGetValue((channel, ts), out var posted))
            threadTs = posted.ThreadTs;
        else
            return Fail("message_not_found", warnings);
        return Ok(new JsonObject { ["channel"] = channel, ["permalink"] = PermalinkFor(channel, ts, threadTs) }, warnings);
    }

    private static void ValidateView(JsonObject view, List<string> errors)
    {
        if (Str(view, "type") != "modal")
            errors.Add(ViewError("must be one of: modal, home", "/view/type"));
        CheckPlainText(view["title"], "/view/title", MaxViewTitle, required: true, errors);
        CheckPlainText(view["submit"], "/view/submit", MaxViewTitle, required: false, errors);
        CheckPlainText(view["close"], "/view/close", MaxViewTitle, required: false, errors);
        CheckLength(view, "callback_id", "/view", SlackBlockKitValidator.MaxId, errors);
        CheckLength(view, "external_id", "/view", SlackBlockKitValidator.MaxId, errors);
        CheckLength(view, "private_metadata", "/view", MaxPrivateMetadata, errors);

        if (view["blocks"] is not JsonArray blocks)
        {
            errors.Add(ViewError("missing required field: blocks", "/view"));
            return;
        }

        if (blocks.Count > MaxViewBlocks)
            errors.Add(ViewError($"no more than {MaxViewBlocks} items allowed", "/view/blocks"));
        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        var hasInput = false;
        for (var i = 0; i < blocks.Count; i++)
        {
            var pointer = $"/view/blocks/{i}";
            if (blocks[i] is not JsonObject block)
            {
                errors.Add(ViewError("must be an object", pointer));
                continue;
            }

            if (block["block_id"] is { } idNode)
            {
                var id = idNode is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
                if (id is null || id.Length is 0 or > SlackBlockKitValidator.MaxId)
                    errors.Add(ViewError($"must be between 1 and {SlackBlockKitValidator.MaxId} characters", pointer + "/block_id"));
                else if (!blockIds.Add(id))
                    errors.Add(ViewError("duplicate block_id", pointer + "/block_id"));
            }

            if (Str(block, "type") == "input")
            {
                hasInput = true;
                CheckInput(block, pointer, errors);
            }
            else
            {
                // Other blocks as in a message, one at a time (the message limit of 50 blocks does not apply here).
                var inner = new List<string>();
                SlackBlockKitValidator.Validate(new JsonArray(block.DeepClone()), inner);
                errors.AddRange(inner.Select(e => e.Replace("[json-pointer:/blocks/0", $"[json-pointer:{pointer}", StringComparison.Ordinal)));
            }
        }

        if (hasInput && view["submit"] is null)
            errors.Add(ViewError("must provide submit when the view has input blocks", "/view/submit"));
    }

    private static void CheckInput(JsonObject block, string pointer, List<string> errors)
    {
        CheckPlainText(block["label"], pointer + "/label", MaxInputLabel, required: true, errors);
        if (block["element"] is not JsonObject element)
        {
            errors.Add(ViewError("missing required field: element", pointer));
            return;
        }

        var elementPointer = pointer + "/element";
        CheckLength(element, "action_id", elementPointer, SlackBlockKitValidator.MaxId, errors);
        CheckPlainText(element["placeholder"], elementPointer + "/placeholder", MaxPlaceholder, required: false, errors);
        switch (Str(element, "type"))
        {
            case "plain_text_input":
                var maxLength = MaxInputLength;
                if (element["max_length"] is { } maxNode)
                {
                    if (maxNode is JsonValue maxValue && maxValue.TryGetValue<int>(out var max) && max is >= 1 and <= MaxInputLength)
                        maxLength = max;
                    else
                        errors.Add(ViewError($"must be between 1 and {MaxInputLength}", elementPointer + "/max_length"));
                }

                if (element["initial_value"] is { } initial)
                {
                    var text = initial is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
                    if (text is null)
                        errors.Add(ViewError("must be a string", elementPointer + "/initial_value"));
                    else if (text.Length > maxLength)
                        errors.Add(ViewError($"must be less than {maxLength + 1} characters", elementPointer + "/initial_value"));
                }

                break;
            case "external_select":
                if (element["min_query_length"] is { } minQuery && !(minQuery is JsonValue minValue && minValue.TryGetValue<int>(out var min) && min >= 0))
                    errors.Add(ViewError("must be a non-negative integer", elementPointer + "/min_query_length"));
                if (element["initial_option"] is { } option)
                    CheckOption(option, elementPointer + "/initial_option", errors);
                break;
            case null:
                errors.Add(ViewError("missing required field: type", elementPointer));
                break;
            default:
                // Other input elements exist (datepicker, static_select, …); the bot sends none, so the fake leaves them unchecked.
                break;
        }
    }

    private static void CheckOption(JsonNode node, string pointer, List<string> errors)
    {
        if (node is not JsonObject option)
        {
            errors.Add(ViewError("must be an object", pointer));
            return;
        }

        CheckPlainText(option["text"], pointer + "/text", MaxOptionText, required: true, errors);
        var value = Str(option, "value");
        if (string.IsNullOrEmpty(value) || value.Length > MaxOptionValue)
            errors.Add(ViewError($"must be between 1 and {MaxOptionValue} characters", pointer + "/value"));
    }

    private static void CheckPlainText(JsonNode? node, string pointer, int maxLength, bool required, List<string> errors)
    {
        if (node is null)
        {
            if (required)
                errors.Add(ViewError("missing required field", pointer));
            return;
        }

        if (node is not JsonObject text || Str(text, "type") != "plain_text")
        {
            errors.Add(ViewError("must be a plain_text text object", pointer));
            return;
        }

        var value = Str(text, "text");
        if (string.IsNullOrEmpty(value))
            errors.Add(ViewError("must be more than 0 characters", pointer + "/text"));
        else if (value.Length > maxLength)
            errors.Add(ViewError($"must be less than {maxLength + 1} characters", pointer + "/text"));
    }

    private static void CheckLength(JsonObject owner, string name, string pointer, int maxLength, List<string> errors)
    {
        if (owner[name] is not { } node)
            return;
        var value = node is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : null;
        if (value is null)
            errors.Add(ViewError("must be a string", $"{pointer}/{name}"));
        else if (value.Length > maxLength)
            errors.Add(ViewError($"must be less than {maxLength + 1} characters", $"{pointer}/{name}"));
    }

    private static string ViewError(string message, string pointer) => $"[ERROR] {message} [json-pointer:{pointer}]";

    private static JsonObject? TryParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private JsonObject UserObject(string userId) => new()
    {
        ["id"] = userId,
        ["username"] = userId.ToLowerInvariant(),
        ["name"] = userId.ToLowerInvariant(),
        ["team_id"] = TeamId,
    };

    /// <summary>The view as Slack sends it back: the opened view with its current state.</summary>
    private static JsonObject ViewWithState(SlackOpenedView view, JsonObject values)
    {
        var copy = (JsonObject)JsonNode.Parse(view.View.GetRawText())!;
        copy["state"] = new JsonObject { ["values"] = values };
        copy["previous_view_id"] = null;
        copy["clear_on_close"] = false;
        copy["notify_on_close"] = false;
        copy["external_id"] = "";
        copy["app_installed_team_id"] = copy["team_id"]?.DeepClone();
        return copy;
    }

    private JsonObject ViewSubmissionPayload(SlackOpenedView view, IReadOnlyDictionary<string, string?> values, string userId)
    {
        var state = new JsonObject();
        foreach (var block in view.View.GetProperty("blocks").EnumerateArray())
        {
            if (!block.TryGetProperty("type", out var type) || type.GetString() != "input" || !block.TryGetProperty("block_id", out var blockIdElement))
                continue;
            var blockId = blockIdElement.GetString()!;
            var element = block.GetProperty("element");
            var elementType = element.GetProperty("type").GetString();
            var actionId = element.TryGetProperty("action_id", out var action) ? action.GetString()! : "fake-action";
            var value = values.TryGetValue(blockId, out var given) ? given : null;
            var entry = new JsonObject { ["type"] = elementType };
            if (elementType == "external_select")
                entry["selected_option"] = value is null ? null : new JsonObject
                {
                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = value, ["emoji"] = true },
                    ["value"] = value,
                };
            else
                entry["value"] = value;
            state[blockId] = new JsonObject { [actionId] = entry };
        }

        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = TeamDomain },
            ["user"] = UserObject(userId),
            ["api_app_id"] = AppId,
            ["token"] = VerificationToken,
            ["trigger_id"] = NextTriggerId(userId),
            ["view"] = ViewWithState(view, state),
            ["response_urls"] = new JsonArray(),
            ["is_enterprise_install"] = false,
            ["enterprise"] = null,
        };
    }

    private JsonObject MessageShortcutPayload(string callbackId, string messageTs, string channelId, string userId)
    {
        UserMessage? message;
        lock (_gate)
            _userMessages.TryGetValue((channelId, messageTs), out message);
        if (message is null)
            throw new ArgumentException("Post the message with PostUserMessage first.", nameof(messageTs));

        var inner = new JsonObject
        {
            ["client_msg_id"] = Guid.NewGuid().ToString("D"),
            ["type"] = "message",
            ["text"] = message.Text,
            ["user"] = message.UserId,
            ["ts"] = messageTs,
            ["team"] = TeamId,
        };
        if (message.ThreadTs is not null)
            inner["thread_ts"] = message.ThreadTs;
        return new JsonObject
        {
            ["type"] = "message_action",
            ["token"] = VerificationToken,
            ["action_ts"] = string.Create(CultureInfo.InvariantCulture, $"{Clock.GetUtcNow().ToUnixTimeSeconds()}.{Random.Shared.Next(1_000_000):D6}"),
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = TeamDomain },
            ["user"] = UserObject(userId),
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = ChannelName(channelId) },
            ["is_enterprise_install"] = false,
            ["enterprise"] = null,
            ["callback_id"] = callbackId,
            ["trigger_id"] = NextTriggerId(userId),
            ["response_url"] = CreateResponseUrl(channelId, messageTs: null),
            ["message_ts"] = messageTs,
            ["message"] = inner,
        };
    }

    private JsonObject BlockSuggestionPayload(SlackOpenedView view, string blockId, string value, string userId)
    {
        var block = view.View.GetProperty("blocks").EnumerateArray()
            .FirstOrDefault(b => b.TryGetProperty("block_id", out var id) && id.GetString() == blockId);
        var actionId = block.ValueKind == JsonValueKind.Object && block.GetProperty("element").TryGetProperty("action_id", out var action)
            ? action.GetString()!
            : "fake-action";
        return new JsonObject
        {
            ["type"] = "block_suggestion",
            ["user"] = UserObject(userId),
            ["container"] = new JsonObject { ["type"] = "view", ["view_id"] = view.ViewId },
            ["api_app_id"] = AppId,
            ["token"] = VerificationToken,
            ["action_id"] = actionId,
            ["block_id"] = blockId,
            ["value"] = value,
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = TeamDomain },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["view"] = ViewWithState(view, new JsonObject()),
        };
    }

    private sealed record IssuedTrigger(DateTimeOffset IssuedAt, string? UserId);

    private sealed record UserMessage(string UserId, string Text, string? ThreadTs);
}

/// <summary>
/// A modal views.open accepted. <paramref name="View"/> is the view as the fake answered it (with its id, hash and an empty
/// state); <paramref name="UserId"/> is whose trigger opened it.
/// </summary>
public sealed record SlackOpenedView(string ViewId, string TriggerId, string? UserId, JsonElement View, DateTimeOffset At)
{
    public string? CallbackId => View.TryGetProperty("callback_id", out var id) ? id.GetString() : null;

    public string? PrivateMetadata => View.TryGetProperty("private_metadata", out var metadata) ? metadata.GetString() : null;

    public string Title => View.GetProperty("title").GetProperty("text").GetString()!;

    /// <summary>The input blocks by block_id.</summary>
    public IReadOnlyDictionary<string, JsonElement> Inputs => View.GetProperty("blocks").EnumerateArray()
        .Where(b => b.GetProperty("type").GetString() == "input" && b.TryGetProperty("block_id", out _))
        .ToDictionary(b => b.GetProperty("block_id").GetString()!, b => b, StringComparer.Ordinal);

    /// <summary>Each plain_text_input's initial_value, by block_id (inputs without one are left out).</summary>
    public IReadOnlyDictionary<string, string> InitialValues => Inputs
        .Where(i => i.Value.GetProperty("element").TryGetProperty("initial_value", out _))
        .ToDictionary(i => i.Key, i => i.Value.GetProperty("element").GetProperty("initial_value").GetString()!, StringComparer.Ordinal);
}
