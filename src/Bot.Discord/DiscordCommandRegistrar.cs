using Bot.Core.Chat;
using Bot.Discord.Commands;
using Bot.Discord.Protocol;

namespace Bot.Discord;

/// <summary>
/// Sends the command set to Discord under the configured public names, globally or to one guild (guild commands update at
/// once; global ones can take an hour).
/// </summary>
public sealed class DiscordCommandRegistrar
{
    private readonly DiscordRestClient _rest;
    private readonly CommandNames _names;

    internal DiscordCommandRegistrar(DiscordRestClient rest, CommandNames names)
    {
        _rest = rest;
        _names = names;
    }

    /// <summary>The slash commands' public names (the message command, which has no slash, is left out).</summary>
    public IReadOnlyList<string> CommandNames => DiscordCommandSet.Registered(_names).Where(c => c.Type == CommandType.ChatInput).Select(c => c.Name).ToList();

    public Task<int> RegisterAsync(string? guildId, CancellationToken cancellationToken) =>
        _rest.OverwriteCommandsAsync(guildId, DiscordCommandSet.Registered(_names), cancellationToken);
}
