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
}

internal sealed record DiscordUser
{
    public string? Id { get; init; }
    public string? Username { get; init; }
    public bool? Bot { get; init; }
}

internal sealed record InteractionResponse(InteractionCallbackType Type, object? Data = null);

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
[JsonSerializable(typeof(SentMessage))]
[JsonSerializable(typeof(DiscordError))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
internal sealed partial class DiscordJson : JsonSerializerContext;
