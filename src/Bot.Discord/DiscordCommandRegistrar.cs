using Bot.Discord.Commands;
using Bot.Discord.Protocol;

namespace Bot.Discord;

/// <summary>Sends the command set to Discord, globally or to one guild (guild commands update at once; global ones can take an hour).</summary>
public sealed class DiscordCommandRegistrar
{
    private readonly DiscordRestClient _rest;

    internal DiscordCommandRegistrar(DiscordRestClient rest) => _rest = rest;

    /// <summary>The slash commands' names (the message command, which has no slash, is left out).</summary>
    public IReadOnlyList<string> CommandNames => DiscordCommandSet.All.Where(c => c.Type == CommandType.ChatInput).Select(c => c.Name).ToList();

    public Task<int> RegisterAsync(string? guildId, CancellationToken cancellationToken) =>
        _rest.OverwriteCommandsAsync(guildId, DiscordCommandSet.All, cancellationToken);
}
