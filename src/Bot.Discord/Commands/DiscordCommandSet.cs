using Bot.Core.Incidents.Import;
using Bot.Discord.Protocol;

namespace Bot.Discord.Commands;

/// <summary>
/// The one definition of the bot's slash commands; `bot discord register` sends exactly this.
/// Option values are flattened in order into the command line the core understands
/// ("/timeline incident:balloon" becomes "timeline balloon").
/// </summary>
internal static class DiscordCommandSet
{
    public static List<ApplicationCommand> All { get; } =
    [
        new()
        {
            Name = "incident",
            Description = "Show an incident's card: what happened, when, who, sources",
            Options = [IncidentOption("name", "Incident name, alias or title words")],
        },
        new()
        {
            Name = "incidents",
            Description = "List the incidents in the store",
            Options =
            [
                new ApplicationCommandOption
                {
                    Type = OptionType.String, Name = "category", Description = "Only this category", Required = false,
                    Choices = IncidentJson.Categories.Order().Select(c => new ApplicationCommandChoice(c, c)).ToList(),
                },
            ],
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
                    Type = OptionType.SubCommand, Name = "subscribe", Description = "Post a briefing here every day (managers only)",
                    Options = [KindOption(), TextOption("time", "Local time, HH:MM (default 09:00)", 5), new ApplicationCommandOption
                    {
                        Type = OptionType.String, Name = "timezone", Description = "IANA time zone, e.g. Europe/Paris (default UTC)", Required = false, Autocomplete = true, MaxLength = 64,
                    }],
                },
                new ApplicationCommandOption { Type = OptionType.SubCommand, Name = "unsubscribe", Description = "Stop a briefing here (managers only)", Options = [KindOption()] },
                new ApplicationCommandOption { Type = OptionType.SubCommand, Name = "status", Description = "What is scheduled here, and when it posts next" },
                new ApplicationCommandOption { Type = OptionType.SubCommand, Name = "preview", Description = "Today's briefing, only for you", Options = [KindOption()] },
            ],
        },
        new()
        {
            Name = "ask",
            Description = "Ask a question; the answer comes from the stored briefings, with its source",
            Options = [new ApplicationCommandOption { Type = OptionType.String, Name = "question", Description = "Your question", Required = true, MaxLength = 500 }],
        },
    ];

    /// <summary>The commands whose options autocomplete on incident names.</summary>
    public static readonly IReadOnlySet<string> IncidentAutocomplete = new HashSet<string>(StringComparer.Ordinal) { "incident", "timeline" };

    private static ApplicationCommandOption KindOption() => new()
    {
        Type = OptionType.String, Name = "kind", Description = "Which briefing", Required = true,
        Choices = [new ApplicationCommandChoice("daily digest", "digest"), new ApplicationCommandChoice("on this day", "onthisday")],
    };

    private static ApplicationCommandOption TextOption(string name, string description, int maxLength) => new()
    {
        Type = OptionType.String, Name = name, Description = description, Required = false, MaxLength = maxLength,
    };

    private static ApplicationCommandOption IncidentOption(string name, string description) => new()
    {
        Type = OptionType.String, Name = name, Description = description, Required = true, Autocomplete = true, MaxLength = 200,
    };
}
