using Bot.Core.Chat;

namespace Bot.Slack.Commands;

/// <summary>A slash command as the app manifest declares it.</summary>
/// <param name="Command">With its slash, under its public name: "/brief-incident".</param>
public sealed record SlackSlashCommand(string Command, string Description, string UsageHint);

/// <summary>
/// The bot's slash commands on Slack: the core's <see cref="TypedCommands"/>, under the configured public names. The app
/// manifest (<see cref="SlackAppManifest"/>) declares exactly these, and inbound commands are translated back with the
/// same <see cref="CommandNames"/>.
/// </summary>
public static class SlackCommandSet
{
    /// <summary>Under their internal names, as the checked-in manifests declare them.</summary>
    public static IReadOnlyList<SlackSlashCommand> All { get; } = Registered(CommandNames.Unchanged);

    public static IReadOnlyList<SlackSlashCommand> Registered(CommandNames names) =>
        TypedCommands.All.Select(c => new SlackSlashCommand(names.Slash(c.Name), c.Description, c.UsageHint)).ToList();
}
