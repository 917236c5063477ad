using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Discord.Protocol;

// Discord's JSON as it travels: snake_case, snowflakes as strings. Internal to the adapter;
// the core never sees these shapes.

internal enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

internal enum InteractionCallbackType
{
    Pong = 1,
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    DeferredUpdateMessage = 6,
    UpdateMessage = 7,
    ApplicationCommandAutocompleteResult = 8,
    Modal = 9,
}

/// <summary>Application command types (<c>data.type</c> of an APPLICATION_COMMAND).</summary>
internal static class CommandType
{
    public const int ChatInput = 1;
    public const int User = 2;
    public const int Message = 3;
}

internal sealed record Interaction
{
    public string? Id { get; init; }
    public string? ApplicationId { get; init; }
    public InteractionType Type { get; init; }
    public InteractionData? Data { get; init; }
    public string? GuildId { get; init; }
    public string? ChannelId { get; init; }
    public GuildMember? Member { get; init; }
    public DiscordUser? User { get; init; }
    public string? Token { get; init; }
    public int Version { get; init; }
    public string? Locale { get; init; }

    public string? InvokerId => Member?.User?.Id ?? User?.Id;
}

internal sealed record InteractionData
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public int? Type { get; init; }
    /// <summary>Elements may be null in what arrives: Discord never sends that, but a signed payload is not proof of sense.</summary>
    public List<CommandOption?>? Options { get; init; }
    public string? CustomId { get; init; }
    public int? ComponentType { get; init; }
    /// <summary>A message command's target: the id of the message it was used on.</summary>
    public string? TargetId { get; init; }
    public ResolvedData? Resolved { get; init; }
    /// <summary>A modal submission's inputs, each in a Label (<c>component</c>) or, in legacy modals, an action row (<c>components</c>).</summary>
    public List<SubmittedComponent?>? Components { get; init; }
}

internal sealed record ResolvedData
{
    public Dictionary<string, ResolvedMessage?>? Messages { get; init; }
}

internal sealed record ResolvedMessage
{
    public string? Id { get; init; }
    public string? ChannelId { get; init; }
    public string? Content { get; init; }
    /// <summary>ISO 8601, read by hand: an odd one must not make the whole interaction unreadable.</summary>
    public string? Timestamp { get; init; }
}

/// <summary>
/// One entry of a modal submission, of whichever shape: a text input (<c>custom_id</c>, <c>value</c>),
/// a Label around one, or an action row around several. The value stays raw JSON so a missing or
/// non-text value is answered politely instead of failing the whole interaction.
/// </summary>
internal sealed record SubmittedComponent
{
    public string? CustomId { get; init; }
    public JsonElement? Value { get; init; }
    public SubmittedComponent? Component { get; init; }
    public List<SubmittedComponent?>? Components { get; init; }
}

internal sealed record CommandOption
{
    public string? Name { get; init; }
    public int Type { get; init; }
    public JsonElement? Value { get; init; }
    public List<CommandOption?>? Options { get; init; }
    public bool? Focused { get; init; }
}

internal sealed record GuildMember
{
    public DiscordUser? User { get; init; }
    public string? Permissions { get; init; }
    public List<string?>? Roles { get; init; }
}

internal sealed record DiscordUser
{
    public string? Id { get; init; }
    public string? Username { get; init; }
    public string? GlobalName { get; init; }
    public bool? Bot { get; init; }
}

internal sealed record InteractionResponse(InteractionCallbackType Type, object? Data = null);

/// <summary>A modal: at most five Labels, each holding one text input (reference §3 and §4).</summary>
internal sealed record ModalPayload(string CustomId, string Title, IReadOnlyList<ModalLabel> Components);

internal sealed record ModalLabel(string Label, TextInput Component)
{
    public int Type => 18;
}

internal sealed record TextInput
{
    public int Type => 4;
    public required string CustomId { get; init; }
    /// <summary>1 short, 2 paragraph.</summary>
    public required int Style { get; init; }
    public required int MaxLength { get; init; }
    public required bool Required { get; init; }
    public string? Value { get; init; }
    public string? Placeholder { get; init; }
}

internal sealed record AutocompleteResult(IReadOnlyList<AutocompleteChoice> Choices);

internal sealed record AutocompleteChoice(string Name, string Value);

internal sealed record MessagePayload
{
    public string? Content { get; init; }
    public IReadOnlyList<Embed>? Embeds { get; init; }
    public IReadOnlyList<ActionRow>? Components { get; init; }
    public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;
    public int? Flags { get; init; }
    public string? Nonce { get; init; }
    public bool? EnforceNonce { get; init; }
    public MessageReference? MessageReference { get; init; }
}

/// <summary>Makes a message a reply; a reply to a message deleted meanwhile is still sent, as a plain message.</summary>
internal sealed record MessageReference(string MessageId, bool FailIfNotExists = false);

/// <summary>Mentions nobody: the bot echoes user text and must never ping @everyone on its behalf.</summary>
internal sealed record AllowedMentions(IReadOnlyList<string> Parse)
{
    public static readonly AllowedMentions None = new([]);
}

internal sealed record Embed
{
    public string? Title { get; init; }
    public string? Description { get; init; }
    public string? Url { get; init; }
    public int? Color { get; init; }
    public IReadOnlyList<EmbedField>? Fields { get; init; }
    public EmbedFooter? Footer { get; init; }
}

internal sealed record EmbedField(string Name, string Value, bool Inline);

internal sealed record EmbedFooter(string Text);

internal sealed record ActionRow(IReadOnlyList<Button> Components)
{
    public int Type => 1;
}

internal sealed record Button(int Style, string Label, string? CustomId = null, string? Url = null)
{
    public int Type => 2;
}

internal sealed record SentMessage
{
    public string? Id { get; init; }
    public string? ChannelId { get; init; }
}

internal sealed record DiscordError
{
    public int Code { get; init; }
    public string? Message { get; init; }
    public double? RetryAfter { get; init; }
    public bool? Global { get; init; }
}

internal sealed record GatewayBotInfo
{
    public string? Url { get; init; }
    public int Shards { get; init; }
    public SessionStartLimit? SessionStartLimit { get; init; }
}

internal sealed record SessionStartLimit
{
    public int Total { get; init; }
    public int Remaining { get; init; }
    /// <summary>Milliseconds until <see cref="Remaining"/> is back to <see cref="Total"/>.</summary>
    public long ResetAfter { get; init; }
    public int MaxConcurrency { get; init; } = 1;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(AutocompleteResult))]
[JsonSerializable(typeof(ModalPayload))]
[JsonSerializable(typeof(SentMessage))]
[JsonSerializable(typeof(DiscordError))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
internal sealed partial class DiscordJson : JsonSerializerContext;
