using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Discord.Protocol;

namespace Bot.Discord.Gateway;

// The gateway's JSON frames (v10, encoding=json, no compression): {op, d, s, t}.

internal static class GatewayOp
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

[Flags]
internal enum GatewayIntents
{
    None = 0,
    Guilds = 1 << 0,
    GuildMessages = 1 << 9,
    DirectMessages = 1 << 12,
    /// <summary>Privileged: must be switched on in the Developer Portal, or IDENTIFY is refused with 4014.</summary>
    MessageContent = 1 << 15,
}

internal sealed record GatewayFrame
{
    public int Op { get; init; }
    public JsonElement D { get; init; }
    public long? S { get; init; }
    public string? T { get; init; }
}

internal sealed record HelloData(int HeartbeatInterval);

/// <summary>GUILD_CREATE / GUILD_DELETE: only the guild's id and whether it is merely unavailable matter here.</summary>
internal sealed record GatewayGuild
{
    public string? Id { get; init; }
    public bool? Unavailable { get; init; }
}

internal sealed record ReadyData
{
    public string? SessionId { get; init; }
    public string? ResumeGatewayUrl { get; init; }
    public DiscordUser? User { get; init; }
}

/// <summary>MESSAGE_CREATE as far as the bot reads it.</summary>
internal sealed record GatewayMessage
{
    public string? Id { get; init; }
    public string? ChannelId { get; init; }
    public string? GuildId { get; init; }
    public DiscordUser? Author { get; init; }
    public string? Content { get; init; }
    public List<DiscordUser?>? Mentions { get; init; }
    public string? WebhookId { get; init; }
}

internal sealed record IdentifyData(string Token, int Intents, IdentifyProperties Properties, int[] Shard);

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

internal sealed record ResumeData(string Token, string SessionId, long? Seq);

internal sealed record GatewayCommand<T>(int Op, T D);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(GatewayFrame))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(GatewayGuild))]
[JsonSerializable(typeof(GatewayMessage))]
[JsonSerializable(typeof(GatewayCommand<IdentifyData>))]
[JsonSerializable(typeof(GatewayCommand<ResumeData>))]
[JsonSerializable(typeof(GatewayCommand<long?>))]
internal sealed partial class GatewayJson : JsonSerializerContext;

/// <summary>What a close code from Discord means for the next connection.</summary>
internal static class GatewayCloseCodes
{
    /// <summary>The cause of a close code after which reconnecting cannot help, or null.</summary>
    public static string? FatalCause(int? code) => code switch
    {
        4004 => "authentication failed: Discord refused Discord:BotToken",
        4010 => "invalid shard: check Discord:ShardCount",
        4011 => "sharding required: the bot is in too many servers for its shard count; set Discord:ShardCount higher or leave it unset",
        4012 => "invalid API version",
        4013 => "invalid intents",
        4014 => "disallowed intents: switch on the Message Content intent on the Bot page of the Developer Portal, or set Discord:MessageContentIntent to false",
        _ => null,
    };

    /// <summary>
    /// Codes after which Discord has dropped the session: reconnect, but identify anew. Anything else
    /// is worth a resume; one that cannot work is answered with INVALID SESSION, which costs nothing.
    /// </summary>
    public static bool EndsSession(int? code) => code is 4007 or 4009;
}
