using Bot.Core.Chat;
using Bot.Core.Text;

namespace Bot.Core.Incidents;

/// <summary>Shared wording for lookups that did not land on exactly one incident.</summary>
internal static class LookupReplies
{
    public static ChatMessage For(LookupResult result, string command) => result switch
    {
        LookupResult.EmptyQuery => ChatMessage.Error(
            $"Tell me which incident, for example: /{command} balloon. /incident list shows them all.", "Which incident?"),
        LookupResult.Ambiguous a => new ChatMessage
        {
            Kind = MessageKind.Notice,
            Emoji = "🔎",
            Title = "Several incidents match",
            Text = $"Which one did you mean? Use /{command} with a name below.",
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
                ? $"Nothing in the store matches “{Clip(n.Query)}”. /incident list shows every incident."
                : $"Nothing in the store matches “{Clip(n.Query)}”. Closest: {string.Join(", ", n.Suggestions.Select(s => s.Slug))}.",
            Buttons = n.Suggestions.Select(s => new MessageButton(s.Slug, $"{command} {s.Slug}")).ToList(),
            Ephemeral = true,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(result)),
    };

    public static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}

/// <summary>"incident &lt;query&gt;" shows a card; "incident list [category]" lists them.</summary>
public sealed class IncidentCommand(IncidentFinder finder, IncidentListCommand list) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public IReadOnlyList<string> Names => ["incident"];
    public string Usage => "/incident <name> · /incident list [category]";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var arguments = request.Arguments;
        // "/incident show balloon" is how Discord's subcommands spell "/incident balloon".
        if (arguments.StartsWith("show ", StringComparison.OrdinalIgnoreCase)) arguments = arguments[5..].Trim();
        if (arguments.Equals("list", StringComparison.OrdinalIgnoreCase) || arguments.StartsWith("list ", StringComparison.OrdinalIgnoreCase))
            return await list.ListAsync(arguments[4..].Trim(), cancellationToken);

        var result = await finder.FindAsync(arguments, cancellationToken);
        return result is LookupResult.Found found ? IncidentCards.Card(found.Incident) : LookupReplies.For(result, "incident");
    }
}

public sealed class IncidentListCommand(IIncidentStore store) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public bool ShownInHelp => false;

    public IReadOnlyList<string> Names => ["incidents"];
    public string Usage => "/incidents [category]";

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
                ? $"Showing the first {shown}; {incidents.Count - shown} more. Narrow it with /incident list <category>."
                : "Open one with /incident <name>",
        };
    }
}

public sealed class TimelineCommand(IncidentFinder finder) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public IReadOnlyList<string> Names => ["timeline"];
    public string Usage => "/timeline <incident>";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var result = await finder.FindAsync(request.Arguments, cancellationToken);
        return result is LookupResult.Found found ? IncidentCards.Timeline(found.Incident) : LookupReplies.For(result, "timeline");
    }
}

public sealed class SourcesCommand(IncidentFinder finder) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public bool ShownInHelp => false;

    public IReadOnlyList<string> Names => ["sources"];
    public string Usage => "/sources <incident>";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var result = await finder.FindAsync(request.Arguments, cancellationToken);
        return result is LookupResult.Found found ? IncidentCards.Sources(found.Incident) : LookupReplies.For(result, "sources");
    }
}

public sealed class RelatedCommand(IncidentFinder finder, IIncidentStore store) : ICommandHandler
{
    public bool AnswersFromContentOnly => true;

    public bool ShownInHelp => false;

    public IReadOnlyList<string> Names => ["related"];
    public string Usage => "/related <incident>";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var result = await finder.FindAsync(request.Arguments, cancellationToken);
        if (result is not LookupResult.Found found) return LookupReplies.For(result, "related");
        var related = new List<Incident>();
        foreach (var slug in found.Incident.Related)
            if (await store.GetAsync(slug, cancellationToken) is { } incident)
                related.Add(incident);
        return IncidentCards.Related(found.Incident, related);
    }
}
