using Bot.Core.Text;

namespace Bot.Core.Incidents;

/// <summary>A name an incident answers to. Kind: 0 slug, 1 title, 2 alias; the lower kind wins a tie.</summary>
public sealed record IncidentNameRow(int Kind, string Name, string Normalized);

/// <summary>A timeline event as the store indexes it: the date whole and in parts, for "on this day".</summary>
public sealed record IncidentEventRow(int Position, string Date, int Year, int? Month, int? Day, string Text);

/// <summary>A passage the Q&amp;A engine can quote: its kind (title, summary, fact, …), text, an event's date, a quote's speaker.</summary>
public sealed record IncidentPassageRow(string Kind, string Text, string? Date, string? Speaker);

/// <summary>
/// What a store keeps beside an incident's document so it can be found and quoted: its names, its dated
/// events and its passages. Every provider writes exactly these rows; how they are built is the domain's call.
/// </summary>
public sealed record IncidentRows(IReadOnlyList<IncidentNameRow> Names, IReadOnlyList<IncidentEventRow> Events, IReadOnlyList<IncidentPassageRow> Passages)
{
    /// <summary>
    /// Part of the stored content hash: bump it when the rows are built differently, so the next
    /// start-up rebuilds them for every incident.
    /// </summary>
    public const string DerivationVersion = "passages-v3";

    public static IncidentRows From(Incident incident)
    {
        var names = new List<IncidentNameRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Name(int kind, string name)
        {
            var normalized = TextNormalizer.Normalize(name, maxLength: 300);
            if (normalized.Length > 0 && seen.Add(normalized)) names.Add(new IncidentNameRow(kind, name, normalized));
        }

        Name(0, incident.Slug);
        Name(1, incident.Title);
        foreach (var alias in incident.Aliases) Name(2, alias);

        var events = incident.Timeline
            .Select((e, position) => new IncidentEventRow(position, e.Date.ToIsoString(), e.Date.Year, e.Date.Month, e.Date.Day, e.Text))
            .ToList();

        var passages = new List<IncidentPassageRow>();
        void Passage(string kind, string text, string? date = null, string? speaker = null) => passages.Add(new IncidentPassageRow(kind, text, date, speaker));

        Passage("title", incident.Aliases.Count == 0 ? incident.Title : $"{incident.Title} ({string.Join(", ", incident.Aliases)})");
        foreach (var sentence in SentenceSplitter.Split(incident.Summary)) Passage("summary", sentence);
        if (incident.Status is { } status) Passage("status", status);
        foreach (var fact in incident.Facts) Passage("fact", fact);
        foreach (var e in incident.Timeline) Passage("event", $"{e.Date.ToDisplayString()}: {e.Text}", e.Date.ToIsoString());
        foreach (var q in incident.Quotes)
            Passage("quote", q.Context is null ? $"{q.Speaker}: “{q.Text}”" : $"{q.Speaker}, {q.Context}: “{q.Text}”", speaker: q.Speaker);
        foreach (var a in incident.Actors)
            Passage("actor", a.Role is null ? a.Name : $"{a.Name}: {a.Role}");
        // "Who wrote this?" is a fair question about a briefing; the source line answers it.
        foreach (var source in incident.Sources.Where(s => !string.IsNullOrWhiteSpace(s.Author)))
            Passage("source", $"{source.Author} wrote the article “{source.Title}” for {source.Publisher}{(source.Date is { } d ? $", {d.ToDisplayString()}" : "")}.", speaker: source.Author);

        return new IncidentRows(names, events, passages);
    }
}
