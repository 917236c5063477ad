using Bot.Core.Chat;
using Bot.Core.Text;

namespace Bot.Core.Incidents;

/// <summary>Composes the messages about one incident: its card, timeline, sources and related list.</summary>
public static class IncidentCards
{
    private const int CardTimelineEvents = 6;
    private const int CardActors = 4;

    public static string EmojiFor(string category) => category switch
    {
        "Airspace" => "🎈",
        "Cyber" => "💻",
        "Espionage" => "🕵️",
        "Surveillance" => "📹",
        "Telecom" => "📡",
        "Technology" => "🔬",
        "Influence" => "🏛️",
        "Diplomacy" => "🤝",
        _ => "📰",
    };

    public static ChatMessage Card(Incident incident)
    {
        var fields = new List<MessageField>();
        if (DateRange(incident) is { } when) fields.Add(new("When", when));
        if (incident.Countries.Count > 0) fields.Add(new("Where", string.Join(", ", incident.Countries)));
        if (incident.Actors.Count > 0)
        {
            var who = string.Join(" · ", incident.Actors.Take(CardActors).Select(a => a.Name));
            if (incident.Actors.Count > CardActors) who += $" · +{incident.Actors.Count - CardActors} more";
            fields.Add(new("Who", who, Inline: false));
        }

        if (incident.Status is { } status) fields.Add(new("Status", status, Inline: false));

        var events = incident.ChronologicalTimeline().ToList();
        var sections = new List<MessageSection>();
        if (events.Count > 0)
        {
            var lines = events.Take(CardTimelineEvents).Select(EventLine).ToList();
            if (events.Count > CardTimelineEvents)
                lines.Add(new MessageLine(null, $"+{Plural.Of(events.Count - CardTimelineEvents, "more event")}: press Timeline"));
            sections.Add(new MessageSection("Timeline", lines));
        }

        return new ChatMessage
        {
            Emoji = EmojiFor(incident.Category),
            Title = incident.Title,
            Badges = [incident.Category, .. incident.Tags],
            Text = incident.Summary,
            Fields = fields,
            Sections = sections,
            Sources = SourceLinks(incident),
            Buttons = Buttons(incident),
            IncidentSlug = incident.Slug,
        };
    }

    public static ChatMessage Timeline(Incident incident)
    {
        var events = incident.ChronologicalTimeline().Select(EventLine).ToList();
        return new ChatMessage
        {
            Emoji = "🗓️",
            Title = $"Timeline: {incident.Title}",
            Badges = [incident.Category],
            Text = events.Count == 0 ? "No dated events are recorded for this incident yet." : null,
            Sections = events.Count == 0 ? [] : [new MessageSection($"{Plural.Of(events.Count, "dated event")}, oldest first", events)],
            Sources = SourceLinks(incident),
            Buttons = [new("Card", $"incident {incident.Slug}"), new("Sources", $"sources {incident.Slug}")],
            IncidentSlug = incident.Slug,
        };
    }

    public static ChatMessage Sources(Incident incident) => new()
    {
        Emoji = "📚",
        Title = $"Sources: {incident.Title}",
        Badges = [incident.Category],
        Text = incident.Sources.Count == 0 ? "No sources are recorded for this incident." : null,
        Sections = incident.Quotes.Count == 0
            ? []
            : [new MessageSection("Quoted", incident.Quotes.Select(q => new MessageLine(q.Speaker, $"“{q.Text}”")).ToList())],
        Sources = SourceLinks(incident),
        Buttons = [new("Card", $"incident {incident.Slug}"), new("Timeline", $"timeline {incident.Slug}")],
        IncidentSlug = incident.Slug,
    };

    public static ChatMessage Related(Incident incident, IReadOnlyList<Incident> related) => new()
    {
        Emoji = "🔗",
        Title = $"Related to: {incident.Title}",
        Badges = [incident.Category],
        Text = related.Count == 0 ? "No related incidents are recorded." : null,
        Sections = related.Count == 0
            ? []
            : [new MessageSection("Related incidents", related.Select(r => new MessageLine(r.Slug, r.Title)).ToList())],
        Buttons = related.Take(5).Select(r => new MessageButton(ShortLabel(r), $"incident {r.Slug}")).ToList(),
        IncidentSlug = incident.Slug,
    };

    public static MessageLine EventLine(TimelineEvent e) => new(e.Date.ToShortDisplayString(), e.Text);

    public static string SourceLine(Source source)
    {
        var details = string.Join(", ", new[] { source.Author, source.Date?.ToShortDisplayString() }.Where(s => !string.IsNullOrEmpty(s)));
        return details.Length == 0 ? $"{source.Publisher} — “{source.Title}”" : $"{source.Publisher} — “{source.Title}” ({details})";
    }

    /// <summary>"2–5 Feb 2023", or "Nov 2022 – Feb 2023" when the events span periods.</summary>
    public static string? DateRange(Incident incident)
    {
        if (incident.Timeline.Count == 0) return null;
        var from = incident.Timeline.Min(e => e.Date);
        var to = incident.Timeline.Max(e => e.Date);
        if (from == to) return from.ToShortDisplayString();
        if (from.Precision == DatePrecision.Day && to.Precision == DatePrecision.Day && from.Year == to.Year && from.Month == to.Month)
            return $"{from.Day}–{to.ToShortDisplayString()}";
        return $"{from.ToShortDisplayString()} – {to.ToShortDisplayString()}";
    }

    private static IReadOnlyList<SourceLink> SourceLinks(Incident incident) =>
        incident.Sources.Select(s => new SourceLink(SourceLine(s), s.Url)).ToList();

    private static List<MessageButton> Buttons(Incident incident)
    {
        var buttons = new List<MessageButton>
        {
            new("Timeline", $"timeline {incident.Slug}"),
            new("Sources", $"sources {incident.Slug}"),
        };
        if (incident.Related.Count > 0) buttons.Add(new("Related", $"related {incident.Slug}"));
        return buttons;
    }

    private static string ShortLabel(Incident incident) => incident.Title.Length <= 40 ? incident.Title : incident.Title[..39] + "…";
}
