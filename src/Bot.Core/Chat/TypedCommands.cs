namespace Bot.Core.Chat;

/// <summary>A command people type (a slash command on Discord and Slack), under its internal name.</summary>
/// <param name="Name">The internal name the handlers answer to; people may see another (see <see cref="CommandNames"/>).</param>
/// <param name="Description">One line saying what it does, at most 100 characters (Discord's limit).</param>
/// <param name="UsageHint">What to type after the name, shown by Slack as the command is typed.</param>
public sealed record TypedCommand(string Name, string Description, string UsageHint);

/// <summary>
/// The commands the platforms register, in the order they are shown. Button-only handlers
/// (<see cref="ICommandHandler.ButtonOnly"/>) are not here. A new typed command is one line here;
/// the Discord command set, the Slack manifest and the renaming rules all follow this list, and a
/// test checks it against the registered handlers.
/// </summary>
public static class TypedCommands
{
    public static IReadOnlyList<TypedCommand> All { get; } =
    [
        new("incident", "Show an incident's card (add \"public\" to post it in the channel); editors add and correct incidents",
            "balloon | list [category] | balloon public | new | edit balloon | history balloon"),
        new("incidents", "List the incidents in the store", "[category]"),
        new("timeline", "An incident's dated events, oldest first", "balloon"),
        new("onthisday", "Anniversaries of events on a day", "[MM-DD]"),
        new("briefing", "Scheduled digests, on-this-day notes and live news posts for this channel",
            "subscribe digest 09:00 Europe/Paris | subscribe items balloon | unsubscribe digest | status | preview digest"),
        new("ask", "Ask a question; the answer cites the stored briefings", "when was the balloon shot down?"),
        new("feeds", "News feeds of this server or workspace: follow, list, remove, triage (editors)", "add <url> [incident] | list | remove <url> | triage"),
    ];

    public static bool Contains(string command) => All.Any(c => c.Name.Equals(command, StringComparison.OrdinalIgnoreCase));
}
