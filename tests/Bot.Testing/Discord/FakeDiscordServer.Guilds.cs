using System.Globalization;
using System.Text.Json;

namespace Bot.Testing.Discord;

/// <summary>
/// Guild membership: a guild's channels, the bot removed from it (its channels answer 403 Missing Access, and the
/// gateway sends GUILD_DELETE without <c>unavailable</c>), an outage (GUILD_DELETE with <c>unavailable: true</c>, the
/// bot still a member), and the bot added back (GUILD_CREATE). The events go to the shard the guild belongs to.
/// </summary>
public sealed partial class FakeDiscordServer
{
    private readonly Dictionary<string, HashSet<string>> _guildChannels = new(StringComparer.Ordinal);

    /// <summary>A guild the bot is in, with its channels.</summary>
    public void AddGuild(string guildId, params string[] channelIds)
    {
        lock (_gate)
        {
            var channels = _guildChannels.TryGetValue(guildId, out var known) ? known : _guildChannels[guildId] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var channel in channelIds)
            {
                channels.Add(channel);
                _channels.Add(channel);
            }
        }
    }

    /// <summary>The bot is kicked (or the guild deleted): its channels refuse the bot with 50001, and GUILD_DELETE follows.</summary>
    public long RemoveBotFromGuild(string guildId)
    {
        lock (_gate)
        {
            foreach (var channel in ChannelsOf(guildId)) _forbiddenChannels[channel] = 50001;
            return DispatchEvent("GUILD_DELETE", JsonSerializer.Serialize(new { id = guildId }), ShardOf(guildId));
        }
    }

    /// <summary>Discord lost the guild for a while: GUILD_DELETE with unavailable set; the bot is still a member.</summary>
    public long GuildOutage(string guildId)
    {
        lock (_gate)
            return DispatchEvent("GUILD_DELETE", JsonSerializer.Serialize(new { id = guildId, unavailable = true }), ShardOf(guildId));
    }

    /// <summary>The bot is invited back (or the guild is back from an outage): its channels answer again, and GUILD_CREATE follows.</summary>
    public long AddBotToGuild(string guildId, string name = "Fake Guild")
    {
        lock (_gate)
        {
            var channels = ChannelsOf(guildId);
            foreach (var channel in channels) _forbiddenChannels.Remove(channel);
            var data = new
            {
                id = guildId,
                name,
                unavailable = false,
                member_count = 2,
                joined_at = Clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                channels = channels.Select(c => new { id = c, type = 0, name = $"channel-{c[^4..]}", guild_id = guildId }).ToArray(),
            };
            return DispatchEvent("GUILD_CREATE", JsonSerializer.Serialize(data), ShardOf(guildId));
        }
    }

    private IReadOnlyList<string> ChannelsOf(string guildId) =>
        _guildChannels.TryGetValue(guildId, out var channels) ? channels.Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>Discord's sharding formula: (guild_id &gt;&gt; 22) % shard count.</summary>
    private int ShardOf(string guildId) => (int)((ulong.Parse(guildId, CultureInfo.InvariantCulture) >> 22) % (ulong)_gatewayShards);
}
