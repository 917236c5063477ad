using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Core.Incidents.Import;

/// <summary>
/// The seed file format, one incident per JSON object (see README, "Seed format"). Kept apart from
/// <see cref="Incident"/> so the file format can stay stable while the model evolves.
/// </summary>
internal sealed class IncidentDocument
{
    public string? Slug { get; set; }
    public string? Title { get; set; }
    public List<string>? Aliases { get; set; }
    public string? Category { get; set; }
    public List<string>? Tags { get; set; }
    public string? Summary { get; set; }
    public List<string>? Countries { get; set; }
    public string? Status { get; set; }
    public List<TimelineEventDocument>? Timeline { get; set; }
    public List<ActorDocument>? Actors { get; set; }
    public List<string>? Facts { get; set; }
    public List<QuoteDocument>? Quotes { get; set; }
    public List<SourceDocument>? Sources { get; set; }
    public List<string>? Related { get; set; }
}

internal sealed class TimelineEventDocument
{
    public string? Date { get; set; }
    public string? Text { get; set; }
}

internal sealed class ActorDocument
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Role { get; set; }
}

internal sealed class QuoteDocument
{
    public string? Text { get; set; }
    public string? Speaker { get; set; }
    public string? Context { get; set; }
}

internal sealed class SourceDocument
{
    public string? Publisher { get; set; }
    public string? Author { get; set; }
    public string? Title { get; set; }
    public string? Date { get; set; }
    public string? Url { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IncidentDocument))]
internal sealed partial class IncidentDocumentJsonContext : JsonSerializerContext;
