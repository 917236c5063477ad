using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Socket;

// Socket Mode frames: hello and disconnect from Slack, envelopes carrying what HTTP mode would
// POST, and the bot's acknowledgements.

internal sealed record SocketFrame
{
    public string? Type { get; init; }
    public string? EnvelopeId { get; init; }
    public JsonElement Payload { get; init; }
    public bool AcceptsResponsePayload { get; init; }
    public string? Reason { get; init; }

    /// <summary>The frame could not be read; <see cref="EnvelopeId"/> is set when it could still be found, so the envelope is acknowledged.</summary>
    [JsonIgnore]
    public string? Unreadable { get; init; }
}

/// <summary>A slash command as a Socket Mode payload: the form fields of HTTP mode as a JSON object.</summary>
internal sealed record SocketSlashCommand
{
    public string? Command { get; init; }
    public string? Text { get; init; }
    public string? TeamId { get; init; }
    public string? EnterpriseId { get; init; }
    public string? ChannelId { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public string? ResponseUrl { get; init; }
    public string? TriggerId { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, Converters = [typeof(Protocol.InboundStringConverter)])]
[JsonSerializable(typeof(SocketFrame))]
[JsonSerializable(typeof(SocketSlashCommand))]
internal sealed partial class SocketModeJson : JsonSerializerContext;

internal static class SocketEnvelopeType
{
    public const string Events = "events_api";
    public const string SlashCommands = "slash_commands";
    public const string Interactive = "interactive";
}
