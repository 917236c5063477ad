namespace Bot.Core.Answers;

/// <summary>
/// What the engine found, at one of three honest levels: a confident answer (the phrase, the sentence,
/// the source); "I'm not sure, but the closest I have is …" with the best sentences; or "I don't know"
/// with incidents to look at. Only the first counts as answered.
/// </summary>
public sealed record Answer
{
    public required bool Answered { get; init; }
    public AnswerLevel Level { get; init; } = AnswerLevel.Unknown;
    /// <summary>The answering phrase first, then the stored sentence it comes from; or the "not sure" / "I don't know" text.</summary>
    public required string Text { get; init; }
    /// <summary>The phrase of the kind asked for ("4 February 2023", "ByteDance"), when the answer has one.</summary>
    public string? Phrase { get; init; }
    /// <summary>The stored sentence that answers.</summary>
    public string? Sentence { get; init; }
    public string? IncidentSlug { get; init; }
    public string? IncidentTitle { get; init; }
    /// <summary>Where the sentence comes from: "RFI — “title” (author, Feb 2023)".</summary>
    public string? Source { get; init; }
    public double Confidence { get; init; }
    /// <summary>Incidents worth a look when the engine does not answer.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
    /// <summary>The closest sentences when the engine is not sure, each with its incident.</summary>
    public IReadOnlyList<ClosestSentence> Closest { get; init; } = [];
}

public sealed record ClosestSentence(string Text, string IncidentSlug, string IncidentTitle);
