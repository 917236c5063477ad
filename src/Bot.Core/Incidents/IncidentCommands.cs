using Bot.Core.Chat;
using Bot.Core.Text;

namespace Bot.Core.Incidents;

/// <summary>Shared wording for lookups that did not land on exactly one incident.</summary>
internal static class LookupReplies
{
    /// <param name="command">The internal command that looked the incident up: its buttons send it again.</param>
    public static ChatMessage For(LookupResult result, string command, CommandNames names) => result switch
    {
        LookupResult.EmptyQuery => ChatMessage.Error(
            TypedCommands.Contains(command)
                ? $"Tell me which incident, for example: {names.Slash(command, "balloon")}. {names.Slash("incident", "list")} shows them all."
                : $"Tell me which incident. {names.Slash("incident", "list")} shows them all.",
            "Which incident?"),
        LookupResult.Ambiguous a => new ChatMessage
        {
            Kind = MessageKind.Notice,
            Emoji = "🔎",
            Title = "Several incidents match",
            Text = TypedCommands.Contains(command) ? $"Which one did you mean? Use {names.Slash(command)} with a name below." : "Which one did you mean? Pick one below.",
            Sections = [new MessageSection("Candidates", a.Candidates.Select(c => new MessageLine(c.Slug, c.Title)).ToList())],
            Buttons = a.Candidates.Take(5).Select(c => new MessageButton(c.Slug, $"{command} {c.Slug}")).ToList(),
            Ephemeral = true,
        },
        LookupResult.NotFound n => new ChatMessage
        {
            Kind = MessageKind.Notice,
            Emoji = "🤷",
            Title = "No such incident",
            Text = n.Suggestions.Count == 0
                ? $"Nothing in the store matches “{Clip(n.Query)}”. {names.Slash("incident", "list")} shows every incident."
                : $"Nothing in the store matches “{Clip(n.Query)}”. Closest: {string.Join(", ", n.Suggestions.Select(s => s.Slug))}.",
            Buttons = n.Suggestions.Select(s => new MessageButton(s.Slug, $"{command} {s.Slug}")).ToList(),
            Ephemeral = true,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    public static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>"incident &lt;query&gt;" shows a card; "incident list [category]" lists them.</summary>
public sealed class IncidentCommand(IncidentFinder finder, IncidentListCommand list, CommandNames names) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public IReadOnlyList<string> Names => ["incident"];
    public string Usage => $"{names.Slash("incident", "<name>")} · {names.Slash("incident", "list [category]")}";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var arguments = request.Arguments;
        // "/incident show balloon" is how Discord's subcommands spell "/incident balloon".
        if (arguments.StartsWith("show ", StringComparison.OrdinalIgnoreCase)) arguments = arguments[5..].Trim();
        if (arguments.Equals("list", StringComparison.OrdinalIgnoreCase) || arguments.StartsWith("list ", StringComparison.OrdinalIgnoreCase))
            return await list.ListAsync(arguments[4..].Trim(), cancellationToken);

        var result = await finder.FindAsync(arguments, cancellationToken);
        return result is LookupResult.Found found ? IncidentCards.Card(found.Incident) : LookupReplies.For(result, "incident", names);
    }
}

public sealed class IncidentListCommand(IIncidentStore store, CommandNames names) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public bool ShownInHelp => false;

    public IReadOnlyList<string> Names => ["incidents"];
    public string Usage => names.Slash("incidents", "[category]");

    public Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken) =>
        ListAsync(request.Arguments, cancellationToken);

    public async Task<ChatMessage> ListAsync(string? category, CancellationToken cancellationToken)
    {
        category = string.IsNullOrWhiteSpace(category) ? null : category.Trim();
        var canonical = category is null ? null : Import.IncidentJson.Categories.FirstOrDefault(c => c.Equals(category, StringComparison.OrdinalIgnoreCase));
        if (category is not null && canonical is null)
            return ChatMessage.Error(
                $"“{LookupReplies.Clip(category)}” is not a category. Categories: {string.Join(", ", Import.IncidentJson.Categories.Order())}.",
                "Unknown category");

        var incidents = await store.ListAsync(canonical, cancellationToken);
        if (incidents.Count == 0)
            return ChatMessage.Notice(canonical is null ? "The store holds no incidents yet." : $"No incidents in {canonical} yet.");

        const int shown = 50;
        var lines = incidents.Take(shown).Select(i => new MessageLine(i.Slug, $"{IncidentCards.EmojiFor(i.Category)} {i.Title}")).ToList();
        return new ChatMessage
        {
            Emoji = "🗂️",
            Title = canonical is null ? Plural.Of(incidents.Count, "incident") : $"{Plural.Of(incidents.Count, "incident")} in {canonical}",
            Sections = [new MessageSection("Incidents", lines)],
            Footer = incidents.Count > shown
                ? $"Showing the first {shown}; {incidents.Count - shown} more. Narrow it with {names.Slash("incident", "list <category>")}."
                : $"Open one with {names.Slash("incident", "<name>")}",
        };
    }
}

public sealed class TimelineCommand(IncidentFinder finder, CommandNames names) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public IReadOnlyList<string> Names => ["timeline"];
    public string Usage => names.Slash("timeline", "<incident>");

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var result = await finder.FindAsync(request.Arguments, cancellationToken);
        return result is LookupResult.Found found ? IncidentCards.Timeline(found.Incident) : LookupReplies.For(result, "timeline", names);
    }
}

/// <summary>What a card's Sources button sends.</summary>
public sealed class SourcesCommand(IncidentFinder finder, CommandNames names) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public bool ButtonOnly => true;

    public IReadOnlyList<string> Names => ["sources"];
    public string Usage => "sources <incident> (the card's Sources button)";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var result = await finder.FindAsync(request.Arguments, cancellationToken);
        return result is LookupResult.Found found ? IncidentCards.Sources(found.Incident) : LookupReplies.For(result, "sources", names);
    }
}

/// <summary>What a card's Related button sends.</summary>
public sealed class RelatedCommand(IncidentFinder finder, IIncidentStore store, CommandNames names) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public bool ButtonOnly => true;

    public IReadOnlyList<string> Names => ["related"];
    public string Usage => "related <incident> (the card's Related button)";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var result = await finder.FindAsync(request.Arguments, cancellationToken);
        if (result is not LookupResult.Found found) return LookupReplies.For(result, "related", names);
        var related = new List<Incident>();
        foreach (var slug in found.Incident.Related)
            if (await store.GetAsync(slug, cancellationToken) is { } incident)
                related.Add(incident);
        return IncidentCards.Related(found.Incident, related);
    }
}
