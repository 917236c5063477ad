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
    /// <summary>users.info returns an object here; auth.test returns the bot's name as a string.</summary>
    public JsonElement? User { get; init; }
    public IReadOnlyList<HistoryMessage>? Messages { get; init; }
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
    public string? EventId { get; init; }
    public SlackEvent? Event { get; init; }
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
}

internal sealed record InteractionPayload
{
    public string? Type { get; init; }
    public SlackUserRef? User { get; init; }
    public SlackTeamRef? Team { get; init; }
    public SlackChannelRef? Channel { get; init; }
    public string? ResponseUrl { get; init; }
    public IReadOnlyList<BlockAction>? Actions { get; init; }
    public InteractionContainer? Container { get; init; }
}

internal sealed record SlackUserRef(string? Id);

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
internal sealed partial class SlackJson : JsonSerializerContext;

/// <summary>What Slack sends the bot: every string is read through <see cref="InboundStringConverter"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(InboundStringConverter)])]
[JsonSerializable(typeof(EventEnvelope))]
[JsonSerializable(typeof(InteractionPayload))]
internal sealed partial class SlackInboundJson : JsonSerializerContext;
