using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bot.Core.Incidents.Import;

/// <summary>Reads and writes incidents in the seed file format, with reasons a person can act on.</summary>
public static partial class IncidentJson
{
    public static readonly IReadOnlySet<string> Categories = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Espionage", "Cyber", "Airspace", "Surveillance", "Telecom", "Technology", "Influence", "Diplomacy",
    };

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    /// <summary>Parses one incident; throws <see cref="IncidentFormatException"/> naming what is wrong.</summary>
    public static Incident Parse(string json)
    {
        IncidentDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, IncidentDocumentJsonContext.Default.IncidentDocument);
        }
        catch (JsonException ex)
        {
            throw new IncidentFormatException(DescribeJsonError(ex));
        }

        return ToIncident(document ?? throw new IncidentFormatException("the file holds null, not an incident object"));
    }

    public static Incident Parse(ReadOnlySpan<byte> utf8Json)
    {
        IncidentDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, IncidentDocumentJsonContext.Default.IncidentDocument);
        }
        catch (JsonException ex)
        {
            throw new IncidentFormatException(DescribeJsonError(ex));
        }

        return ToIncident(document ?? throw new IncidentFormatException("the line holds null, not an incident object"));
    }

    /// <summary>Writes an incident back in the seed format (one line, as JSONL wants).</summary>
    public static string Serialize(Incident incident) =>
        JsonSerializer.Serialize(ToDocument(incident), IncidentDocumentJsonContext.Default.IncidentDocument);

    private static string DescribeJsonError(JsonException ex) =>
        ex.LineNumber is { } line
            ? $"invalid JSON at line {line + 1}, position {ex.BytePositionInLine + 1}: {FirstSentence(ex.Message)}"
            : $"invalid JSON: {FirstSentence(ex.Message)}";

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static Incident ToIncident(IncidentDocument d)
    {
        var slug = Required(d.Slug, "slug");
        if (slug.Length > 80 || !SlugPattern().IsMatch(slug))
            throw new IncidentFormatException($"slug '{Clip(slug)}' must be lowercase letters, digits and single hyphens (at most 80 characters)");
        var category = Required(d.Category, "category", slug);
        if (!Categories.Contains(category))
            throw new IncidentFormatException($"{slug}: category '{Clip(category)}' is not one of {string.Join(", ", Categories.Order())}");

        return new Incident
        {
            Slug = slug,
            Title = Required(d.Title, "title", slug),
            Aliases = Clean(d.Aliases),
            Category = Canonical(category),
            Tags = Clean(d.Tags).Select(tag => Categories.Contains(tag) ? Canonical(tag) : tag).ToArray(),
            Summary = Required(d.Summary, "summary", slug),
            Countries = Clean(d.Countries),
            Status = string.IsNullOrWhiteSpace(d.Status) ? null : d.Status.Trim(),
            Timeline = (d.Timeline ?? []).Select((e, i) => new TimelineEvent(
                ParseDate(e.Date, $"{slug}: timeline[{i}].date"),
                Required(e.Text, $"timeline[{i}].text", slug))).ToArray(),
            Actors = (d.Actors ?? []).Select((a, i) => new Actor(
                Required(a.Name, $"actors[{i}].name", slug),
                string.IsNullOrWhiteSpace(a.Kind) ? "organisation" : a.Kind.Trim().ToLowerInvariant(),
                string.IsNullOrWhiteSpace(a.Role) ? null : a.Role.Trim())).ToArray(),
            Facts = Clean(d.Facts),
            Quotes = (d.Quotes ?? []).Select((q, i) => new Quote(
                Required(q.Text, $"quotes[{i}].text", slug),
                Required(q.Speaker, $"quotes[{i}].speaker", slug),
                string.IsNullOrWhiteSpace(q.Context) ? null : q.Context.Trim())).ToArray(),
            Sources = (d.Sources ?? []).Select((s, i) => new Source(
                Required(s.Publisher, $"sources[{i}].publisher", slug),
                string.IsNullOrWhiteSpace(s.Author) ? null : s.Author.Trim(),
                Required(s.Title, $"sources[{i}].title", slug),
                string.IsNullOrWhiteSpace(s.Date) ? null : ParseDate(s.Date, $"{slug}: sources[{i}].date"),
                ParseUrl(s.Url, $"{slug}: sources[{i}].url"))).ToArray(),
            Related = Clean(d.Related),
        };
    }

    private static IncidentDocument ToDocument(Incident i) => new()
    {
        Slug = i.Slug,
        Title = i.Title,
        Aliases = [.. i.Aliases],
        Category = i.Category,
        Tags = [.. i.Tags],
        Summary = i.Summary,
        Countries = [.. i.Countries],
        Status = i.Status,
        Timeline = i.Timeline.Select(e => new TimelineEventDocument { Date = e.Date.ToIsoString(), Text = e.Text }).ToList(),
        Actors = i.Actors.Select(a => new ActorDocument { Name = a.Name, Kind = a.Kind, Role = a.Role }).ToList(),
        Facts = [.. i.Facts],
        Quotes = i.Quotes.Select(q => new QuoteDocument { Text = q.Text, Speaker = q.Speaker, Context = q.Context }).ToList(),
        Sources = i.Sources.Select(s => new SourceDocument
        {
            Publisher = s.Publisher,
            Author = s.Author,
            Title = s.Title,
            Date = s.Date?.ToIsoString(),
            Url = s.Url,
        }).ToList(),
        Related = [.. i.Related],
    };

    private static string Canonical(string category) => Categories.First(c => string.Equals(c, category, StringComparison.OrdinalIgnoreCase));

    private static string Required(string? value, string field, string? slug = null) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new IncidentFormatException(slug is null ? $"'{field}' is missing" : $"{slug}: '{field}' is missing")
            : value.Trim();

    private static string[] Clean(List<string>? values) =>
        values is null ? [] : values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct().ToArray();

    private static PartialDate ParseDate(string? text, string field) =>
        PartialDate.TryParse(text, out var date)
            ? date
            : throw new IncidentFormatException($"{field} '{Clip(text ?? "")}' is not a date like 2023-02-04, 2022-11 or 2013");

    private static string? ParseUrl(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.AbsoluteUri
            : throw new IncidentFormatException($"{field} '{Clip(text)}' is not an http(s) link");
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

public sealed class IncidentFormatException(string message) : Exception(message);
