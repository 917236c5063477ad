using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Discord.Protocol;

namespace Bot.Discord.Commands;

/// <summary>
/// The one definition of the bot's application commands (slash commands and the message command);
/// `bot discord register` sends exactly this, under the configured public names (<see cref="Registered"/>).
/// The slash commands are the core's <see cref="TypedCommands"/>: each takes its rich definition from
/// <see cref="Definitions"/> when it has one (subcommands, autocomplete, choices), else one free-text option.
/// Option values are flattened in order into the command line the core understands
/// ("/timeline incident:balloon" becomes "timeline balloon").
/// </summary>
internal static class DiscordCommandSet
{
    /// <summary>Every application command under its internal name: the typed commands in the core's order, then the message command.</summary>
    public static List<ApplicationCommand> All { get; } =
    [
        .. TypedCommands.All.Select(c => Definitions.TryGetValue(c.Name, out var definition) ? definition : FreeText(c)),
        new()
        {
            Name = AddToIncident,
            Type = CommandType.Message,
            // Message commands have a name with spaces and capitals, and an empty description.
            Description = "",
        },
    ];

    /// <summary>
    /// The commands as registered: slash commands under their public names. The message command keeps its name:
    /// it lives in a message's Apps menu, where no other app's slash command can collide with it.
    /// </summary>
    public static List<ApplicationCommand> Registered(CommandNames names) =>
        All.Select(c => c.Type == CommandType.ChatInput ? c with { Name = names.Public(c.Name) } : c).ToList();

    /// <summary>A typed command with no definition of its own: its words after the name, as one optional text.</summary>
    private static ApplicationCommand FreeText(TypedCommand command) => new()
    {
        Name = command.Name,
        Description = command.Description,
        Options = [TextOption("text", command.UsageHint.Length <= 100 ? command.UsageHint : command.UsageHint[..99] + "…", 2000)],
    };

    private static Dictionary<string, ApplicationCommand> Definitions => new List<ApplicationCommand>
    {
        new()
        {
            Name = "incident",
            Description = "Incident cards, and for editors: new, edit, events, sources, history",
            // Discord takes subcommands or options, never both: "/incident show balloon" flattens to "incident show balloon".
            Options =
            [
                SubCommand("show", "Show an incident's card: what happened, when, who, sources", IncidentOption("name", "Incident name, alias or title words")),
                SubCommand("list", "List the incidents in the store", CategoryOption()),
                SubCommand("new", "Add an incident (editors): opens a form"),
                SubCommand("edit", "Change an incident's title, summary, status, aliases or category (editors)", IncidentOption("name", "The incident to edit")),
                SubCommand("event", "Add a dated event to an incident's timeline (editors)",
                    IncidentOption("name", "The incident"),
                    TextOption("date", "2023-02-04, 2023-02 or 2023", 20, required: true),
                    TextOption("text", "What happened on that date", EditLimits.EventText, required: true),
                    TextOption("url", "A link to the source (optional)", EditLimits.Url)),
                SubCommand("source", "Add a source link to an incident (editors)",
                    IncidentOption("name", "The incident"),
                    TextOption("url", "The source's web address", EditLimits.Url, required: true),
                    TextOption("title", "The source's title (optional)", EditLimits.SourceTitle)),
                SubCommand("history", "Who changed an incident, and what", IncidentOption("name", "The incident")),
                SubCommand("undo", "Revert an incident's last change (editors)", IncidentOption("name", "The incident")),
                SubCommand("remove", "Remove an incident, after a confirmation (editors)", IncidentOption("name", "The incident to remove")),
                // A removed incident no longer autocompletes: its slug is typed as is.
                SubCommand("restore", "Bring back a removed incident (editors)", TextOption("name", "The removed incident's slug", 200, required: true)),
            ],
        },
        new()
        {
            Name = "incidents",
            Description = "List the incidents in the store",
            Options = [CategoryOption()],
        },
        new()
        {
            Name = "timeline",
            Description = "An incident's dated events, oldest first",
            Options = [IncidentOption("incident", "Incident name, alias or title words")],
        },
        new()
        {
            Name = "onthisday",
            Description = "Anniversaries of events on a calendar day",
            Options = [new ApplicationCommandOption { Type = OptionType.String, Name = "date", Description = "MM-DD, e.g. 02-04 (default: today)", Required = false, MaxLength = 20 }],
        },
        new()
        {
            Name = "briefing",
            Description = "Scheduled digests and on-this-day notes for this channel",
            Options =
            [
                new ApplicationCommandOption
                {
                    Type = OptionType.SubCommand, Name = "subscribe", Description = "Post a briefing here every day, or new items as they come (managers only)",
                    Options = [KindOption(), TextOption("time", "Local time, HH:MM (default 09:00)", 5), new ApplicationCommandOption
                    {
                        Type = OptionType.String, Name = "timezone", Description = "IANA time zone, e.g. Europe/Paris (default UTC)", Required = false, Autocomplete = true, MaxLength = 64,
                    }, ItemsIncidentOption()],
                },
                new ApplicationCommandOption { Type = OptionType.SubCommand, Name = "unsubscribe", Description = "Stop a briefing here (managers only)", Options = [KindOption(), ItemsIncidentOption()] },
                new ApplicationCommandOption { Type = OptionType.SubCommand, Name = "status", Description = "What is scheduled here, and when it posts next" },
                new ApplicationCommandOption { Type = OptionType.SubCommand, Name = "preview", Description = "Today's briefing, only for you", Options = [KindOption()] },
            ],
        },
        new()
        {
            Name = "feeds",
            Description = "News feeds followed here, linked to incidents (editors)",
            Options =
            [
                SubCommand("add", "Follow a feed (RSS, Atom or JSON Feed)",
                    TextOption("url", "The feed's web address", EditLimits.Url, required: true),
                    TextOption("incident", "Link every item to this incident (optional)", 200)),
                SubCommand("list", "The feeds followed here, with failing or switched-off ones and why"),
                SubCommand("remove", "Stop following a feed", TextOption("url", "The feed's web address", EditLimits.Url, required: true)),
                SubCommand("triage", "Items that matched no incident: list, attach, new or dismiss",
                    new ApplicationCommandOption
                    {
                        Type = OptionType.String, Name = "action", Description = "What to do (default: list)", Required = false,
                        Choices = [new ApplicationCommandChoice("list", "list"), new ApplicationCommandChoice("attach to an incident", "attach"),
                            new ApplicationCommandChoice("create an incident", "new"), new ApplicationCommandChoice("dismiss", "dismiss")],
                    },
                    TextOption("item", "The item's number from the list", 20),
                    TextOption("target", "attach: the incident; new: the category", 200)),
            ],
        },
        new()
        {
            Name = "ask",
            Description = "Ask a question; the answer comes from the stored briefings, with its source",
            Options = [new ApplicationCommandOption { Type = OptionType.String, Name = "question", Description = "Your question", Required = true, MaxLength = 500 }],
        },
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>The message command ("Apps" menu of a message) that adds the message to an incident.</summary>
    public const string AddToIncident = "Add to incident";

    /// <summary>
    /// Requests whose answer may be a form. A Discord modal must be the first response to its
    /// interaction, so these are never deferred: if the answer is late, an apology goes instead.
    /// </summary>
    public static bool MayOpenForm(ChatRequest request)
    {
        if (request.Command != "incident") return false;
        var arguments = request.Arguments.AsSpan();
        var space = arguments.IndexOfAny(' ', '\t', '\n');
        var verb = space < 0 ? arguments : arguments[..space];
        return verb.Equals("new", StringComparison.OrdinalIgnoreCase) || verb.Equals("edit", StringComparison.OrdinalIgnoreCase)
            || verb.Equals("add-message", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The commands whose options autocomplete on incident names.</summary>
    public static readonly IReadOnlySet<string> IncidentAutocomplete = new HashSet<string>(StringComparer.Ordinal) { "incident", "timeline" };

    private static ApplicationCommandOption KindOption() => new()
    {
        Type = OptionType.String,
        Name = "kind",
        Description = "Which briefing",
        Required = true,
        Choices = [new ApplicationCommandChoice("daily digest", "digest"), new ApplicationCommandChoice("on this day", "onthisday"),
            new ApplicationCommandChoice("new items on an incident, as they come", "items")],
    };

    /// <summary>The incident whose new items an "items" subscription posts.</summary>
    private static ApplicationCommandOption ItemsIncidentOption() => TextOption("incident", "For items: the incident to follow, e.g. balloon", 200);

    private static ApplicationCommandOption TextOption(string name, string description, int maxLength, bool required = false) => new()
    {
        Type = OptionType.String,
        Name = name,
        Description = description,
        Required = required,
        MaxLength = maxLength,
    };

    private static ApplicationCommandOption SubCommand(string name, string description, params ApplicationCommandOption[] options) => new()
    {
        Type = OptionType.SubCommand,
        Name = name,
        Description = description,
        Options = options.Length == 0 ? null : options,
    };

    private static ApplicationCommandOption CategoryOption() => new()
    {
        Type = OptionType.String,
        Name = "category",
        Description = "Only this category",
        Required = false,
        Choices = IncidentJson.Categories.Order().Select(c => new ApplicationCommandChoice(c, c)).ToList(),
    };

    private static ApplicationCommandOption IncidentOption(string name, string description) => new()
    {
        Type = OptionType.String,
        Name = name,
        Description = description,
        Required = true,
        Autocomplete = true,
        MaxLength = 200,
    };
}
