using Bot.Core.Incidents;

namespace Bot.Core.Answers;

/// <summary>A stored sentence the engine may quote: a fact, an event, a quote, part of a summary.</summary>
public sealed record Passage(
    long Id,
    string Slug,
    string IncidentTitle,
    PassageKind Kind,
    string Text,
    PartialDate? Date,
    /// <summary>Full-text rank from the index: more negative is better (SQLite's bm25 convention).</summary>
    double Rank,
    /// <summary>How an answer from this passage cites it, when that is not the incident's first source (feed items).</summary>
    string? Citation = null);

public enum PassageKind
{
    Title,
    Summary,
    Status,
    Fact,
    Event,
    Quote,
    Actor,
    /// <summary>Who wrote the article the incident comes from.</summary>
    Source,
    /// <summary>The title or summary of a news feed item linked to the incident.</summary>
    Item,
}

/// <summary>The retrieval side of Q&amp;A, implemented over the store's full-text index.</summary>
public interface IPassageIndex
{
    /// <summary>
    /// Passages containing any of <paramref name="terms"/> (letters and digits only), best first.
    /// When <paramref name="incidents"/> is given, the best passages of those incidents are included
    /// even if others outrank them.
    /// </summary>
    /// <param name="allOf">When given, only passages holding a word of every group: the narrow search for large stores.</param>
    Task<IReadOnlyList<Passage>> SearchAsync(IReadOnlyList<string> terms, IReadOnlyCollection<string> incidents, int limit, CancellationToken cancellationToken,
        IReadOnlyList<IReadOnlyList<string>>? allOf = null);

    /// <summary>In how many passages each term occurs (stemmed as the index stems), and how many passages there are.</summary>
    Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken);

    /// <summary>The passages with these ids that still exist (vector hits are resolved through this), with rank 0.</summary>
    Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>The words of the store for typo correction, rebuilt only when the passages change.</summary>
    Task<StoreVocabulary> GetVocabularyAsync(CancellationToken cancellationToken);

    /// <summary>Incidents whose slug, title, alias or actor name appears word for word in the normalised question.</summary>
    Task<IReadOnlyList<Incidents.NameMatch>> FindMentionedIncidentsAsync(string normalizedQuestion, CancellationToken cancellationToken);
}

public sealed record TermStatistics(long PassageCount, IReadOnlyDictionary<string, long> DocumentFrequencies);
