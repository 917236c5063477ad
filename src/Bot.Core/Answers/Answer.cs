namespace Bot.Core.Answers;

/// <summary>What the engine found: a short cited answer, or an honest abstention with places to look.</summary>
public sealed record Answer
{
    public required bool Answered { get; init; }
    /// <summary>The answering phrase first, then the stored sentence it comes from; or the "I don't know" text.</summary>
    public required string Text { get; init; }
    public string? IncidentSlug { get; init; }
    public string? IncidentTitle { get; init; }
    /// <summary>Where the sentence comes from: "RFI — “title” (author, Feb 2023)".</summary>
    public string? Source { get; init; }
    public double Confidence { get; init; }
    /// <summary>Incidents worth a look when the engine abstains.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
}
