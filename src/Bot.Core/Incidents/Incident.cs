namespace Bot.Core.Incidents;

/// <summary>A news incident as the team wrote it: the unit people ask for by name.</summary>
public sealed record Incident
{
    public required string Slug { get; init; }
    public required string Title { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required string Category { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required string Summary { get; init; }
    public IReadOnlyList<string> Countries { get; init; } = [];
    public string? Status { get; init; }
    public IReadOnlyList<TimelineEvent> Timeline { get; init; } = [];
    public IReadOnlyList<Actor> Actors { get; init; } = [];
    public IReadOnlyList<string> Facts { get; init; } = [];
    public IReadOnlyList<Quote> Quotes { get; init; } = [];
    public IReadOnlyList<Source> Sources { get; init; } = [];
    public IReadOnlyList<string> Related { get; init; } = [];

    /// <summary>The timeline oldest first, whatever order the file used.</summary>
    public IEnumerable<TimelineEvent> ChronologicalTimeline() => Timeline.OrderBy(e => e.Date);
}

public sealed record TimelineEvent(PartialDate Date, string Text);

public sealed record Actor(string Name, string Kind, string? Role);

public sealed record Quote(string Text, string Speaker, string? Context);

public sealed record Source(string Publisher, string? Author, string Title, PartialDate? Date, string? Url);

/// <summary>The few columns needed to list incidents without loading them whole.</summary>
public sealed record IncidentSummary(string Slug, string Title, string Category);

/// <summary>A dated event together with the incident it belongs to.</summary>
public sealed record IncidentEvent(string Slug, string IncidentTitle, string Category, TimelineEvent Event);

/// <summary>A name (slug, title or alias) that matched a lookup.</summary>
public sealed record NameMatch(string Slug, string Title, string MatchedName);

public sealed record StoreStats(int Incidents, int DatedEvents);
