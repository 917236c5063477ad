using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Protocol;

// Slack's JSON as it travels (snake_case). Blocks are built as JsonObject-free records so the
// serializer writes exactly the documented shapes; nothing here leaves the adapter.

internal sealed record TextObject(string Type, string Text)
{
    public bool? Emoji { get; init; }
    public bool? Verbatim { get; init; }

    public static TextObject Plain(string text) => new("plain_text", text) { Emoji = true };
    public static TextObject Mrkdwn(string text) => new("mrkdwn", text) { Verbatim = true };
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(HeaderBlock), "header")]
[JsonDerivedType(typeof(SectionBlock), "section")]
[JsonDerivedType(typeof(ContextBlock), "context")]
[JsonDerivedType(typeof(ActionsBlock), "actions")]
[JsonDerivedType(typeof(DividerBlock), "divider")]
[JsonDerivedType(typeof(InputBlock), "input")]
internal abstract record Block
{
    public string? BlockId { get; init; }
}

internal sealed record HeaderBlock(TextObject Text) : Block;

internal sealed record SectionBlock : Block
{
    public TextObject? Text { get; init; }
    public IReadOnlyList<TextObject>? Fields { get; init; }
}

internal sealed record ContextBlock(IReadOnlyList<TextObject> Elements) : Block;

internal sealed record ActionsBlock(IReadOnlyList<ButtonElement> Elements) : Block;

internal sealed record DividerBlock : Block;

internal sealed record ButtonElement(TextObject Text, string ActionId, string Value)
{
    public string Type => "button";
}

/// <summary>One question of a modal: a label and the element that takes the answer.</summary>
internal sealed record InputBlock(TextObject Label, InputElement Element) : Block
{
    public bool? Optional { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(PlainTextInput), "plain_text_input")]
[JsonDerivedType(typeof(ExternalSelect), "external_select")]
internal abstract record InputElement(string ActionId)
{
    public TextObject? Placeholder { get; init; }
}

internal sealed record PlainTextInput(string ActionId) : InputElement(ActionId)
{
    public bool? Multiline { get; init; }
    public int? MaxLength { get; init; }
    public string? InitialValue { get; init; }
}

/// <summary>A menu whose options the bot supplies as people type (block_suggestion).</summary>
internal sealed record ExternalSelect(string ActionId) : InputElement(ActionId)
{
    public int? MinQueryLength { get; init; }
    public SlackOption? InitialOption { get; init; }
}

internal sealed record SlackOption(TextObject Text, string Value);

/// <summary>A modal for views.open.</summary>
internal sealed record SlackView
{
    public string Type => "modal";
    public required string CallbackId { get; init; }
    public required TextObject Title { get; init; }
    public required TextObject Submit { get; init; }
    public required TextObject Close { get; init; }
    public string? PrivateMetadata { get; init; }
    public required IReadOnlyList<Block> Blocks { get; init; }
}

internal sealed record ViewsOpenRequest(string TriggerId, SlackView View);

/// <summary>The answer to a block_suggestion: the menu's options.</summary>
internal sealed record OptionsResponse(IReadOnlyList<SlackOption> Options);

/// <summary>The answer to a view_submission that keeps the modal open with a message under each field at fault.</summary>
internal sealed record ViewErrorsResponse(IReadOnlyDictionary<string, string> Errors)
{
    public string ResponseAction => "errors";
}

/// <summary>
/// What a modal carries back in private_metadata: the command its submission runs, and where the person was, so the
/// result can be posted there.
/// </summary>
internal sealed record FormMetadata(string? Command, string? Channel, string? Thread);

/// <summary>A message body for chat.postMessage, chat.update, response_url and immediate replies.</summary>
internal sealed record SlackMessage
{
    public string? Channel { get; init; }
    public string? User { get; init; }
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
    public required string Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public string? ResponseType { get; init; }
    public bool? ReplaceOriginal { get; init; }
    public bool? UnfurlLinks { get; init; }
    public bool? UnfurlMedia { get; init; }
    public MessageMetadata? Metadata { get; init; }
}

/// <summary>Slack message metadata: lets the bot recognise its own scheduled posts in channel history.</summary>
internal sealed record MessageMetadata(string EventType, Dictionary<string, string> EventPayload);

internal sealed record HistoryMessage
{
    public string? Ts { get; init; }
    public string? BotId { get; init; }
    public MessageMetadata? Metadata { get; init; }
}

internal sealed record SlackResponse
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public string? Warning { get; init; }
    public string? Channel { get; init; }
    public string? Ts { get; init; }
    public string? MessageTs { get; init; }
    public string? UserId { get; init; }
    public string? BotId { get; init; }
    public string? TeamId { get; init; }
    public string? Url { get; init; }
    public string? Permalink { get; init; }
    /// <summary>users.info returns an object here; auth.test returns the bot's name as a string.</summary>
    public JsonElement? User { get; init; }
    public IReadOnlyList<HistoryMessage>? Messages { get; init; }
}

/// <summary>oauth.v2.access's answer: the bot token for the team, or for the whole org when is_enterprise_install.</summary>
internal sealed record OAuthAccessResponse
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public string? AccessToken { get; init; }
    public string? TokenType { get; init; }
    public string? BotUserId { get; init; }
    public string? AppId { get; init; }
    public OAuthParty? Team { get; init; }
    public OAuthParty? Enterprise { get; init; }
    public bool IsEnterpriseInstall { get; init; }
}

internal sealed record OAuthParty
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

internal sealed record SlackUser
{
    public string? Id { get; init; }
    public bool IsAdmin { get; init; }
    public bool IsOwner { get; init; }
    public bool IsBot { get; init; }
}

internal sealed record EventEnvelope
{
    public string? Type { get; init; }
    public string? Challenge { get; init; }
    public string? TeamId { get; init; }
    public string? EnterpriseId { get; init; }
    public string? EventId { get; init; }
    public SlackEvent? Event { get; init; }
    public IReadOnlyList<EventAuthorization?>? Authorizations { get; init; }
}

internal sealed record SlackEvent
{
    public string? Type { get; init; }
    public string? Subtype { get; init; }
    public string? User { get; init; }
    public string? BotId { get; init; }
    public string? Text { get; init; }
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
    public string? Channel { get; init; }
    public string? ChannelType { get; init; }

    /// <summary>tokens_revoked: the user and bot tokens revoked, by kind.</summary>
    public RevokedTokens? Tokens { get; init; }
}

/// <summary>One installation an event is delivered for (Slack sends one; the rest are behind apps.event.authorizations.list).</summary>
internal sealed record EventAuthorization
{
    public string? EnterpriseId { get; init; }
    public string? TeamId { get; init; }
    public bool IsEnterpriseInstall { get; init; }
}

internal sealed record RevokedTokens
{
    public IReadOnlyList<string?>? Oauth { get; init; }
    public IReadOnlyList<string?>? Bot { get; init; }
}

/// <summary>
/// Every interactive payload the bot reads: block_actions (buttons), message_action (message shortcuts),
/// view_submission (a modal's Save) and block_suggestion (an external select asking for options).
/// </summary>
internal sealed record InteractionPayload
{
    public string? Type { get; init; }
    public SlackUserRef? User { get; init; }
    public SlackTeamRef? Team { get; init; }
    public SlackTeamRef? Enterprise { get; init; }
    public SlackChannelRef? Channel { get; init; }
    public string? ResponseUrl { get; init; }
    public string? TriggerId { get; init; }
    public IReadOnlyList<BlockAction>? Actions { get; init; }
    public InteractionContainer? Container { get; init; }

    /// <summary>message_action: the shortcut's callback_id and the message it was used on.</summary>
    public string? CallbackId { get; init; }
    public ShortcutMessage? Message { get; init; }

    /// <summary>view_submission and block_suggestion: the modal.</summary>
    public ViewPayload? View { get; init; }

    /// <summary>block_suggestion: which menu asks, and what has been typed so far.</summary>
    public string? ActionId { get; init; }
    public string? BlockId { get; init; }
    public string? Value { get; init; }
}

internal sealed record SlackUserRef(string? Id)
{
    public string? Name { get; init; }
    public string? Username { get; init; }
    public string? TeamId { get; init; }
}

internal sealed record ShortcutMessage
{
    public string? Text { get; init; }
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
    public string? User { get; init; }
}

internal sealed record ViewPayload
{
    public string? Id { get; init; }
    public string? CallbackId { get; init; }
    public string? PrivateMetadata { get; init; }
    public ViewState? State { get; init; }
}

/// <summary>state.values[block_id][action_id]: what each input holds at submission.</summary>
internal sealed record ViewState
{
    public Dictionary<string, Dictionary<string, StateValue?>?>? Values { get; init; }
}

internal sealed record StateValue
{
    public string? Type { get; init; }
    public string? Value { get; init; }
    public SelectedOption? SelectedOption { get; init; }
}

internal sealed record SelectedOption
{
    public string? Value { get; init; }
}

internal sealed record SlackTeamRef(string? Id);

internal sealed record SlackChannelRef(string? Id);

internal sealed record InteractionContainer
{
    public string? Type { get; init; }
    public string? ThreadTs { get; init; }
    public string? MessageTs { get; init; }
}

internal sealed record BlockAction
{
    public string? ActionId { get; init; }
    public string? Value { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(SlackResponse))]
[JsonSerializable(typeof(SlackUser))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(ViewsOpenRequest))]
[JsonSerializable(typeof(OptionsResponse))]
[JsonSerializable(typeof(ViewErrorsResponse))]
[JsonSerializable(typeof(FormMetadata))]
internal sealed partial class SlackJson : JsonSerializerContext;

/// <summary>What Slack sends the bot: every string is read through <see cref="InboundStringConverter"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(InboundStringConverter)])]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(InteractionPayload))]
[JsonSerializable(typeof(FormMetadata))]
// oauth.v2.access's answer names the workspace the bot stores: it is read as warily as a request.
[JsonSerializable(typeof(OAuthAccessResponse))]
internal sealed partial class SlackInboundJson : JsonSerializerContext;
