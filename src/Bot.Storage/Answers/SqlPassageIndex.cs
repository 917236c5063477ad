using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Incidents;
using Bot.Core.Text;
using Dapper;

namespace Bot.Storage.Answers;

/// <summary>
/// Q&amp;A retrieval: the caches and reads that are the same on every provider. Each provider ranks over its
/// own full-text index (FTS5 or tsvector), always returning a negative rank, lower is better, as BM25 does.
/// </summary>
public abstract class SqlPassageIndex(IStoreConnections database) : IPassageIndex, IDisposable
{
    public abstract Task<IReadOnlyList<Passage>> SearchAsync(IReadOnlyList<string> terms, IReadOnlyCollection<string> incidents, int limit, CancellationToken cancellationToken,
        IReadOnlyList<IReadOnlyList<string>>? allOf = null);

    /// <summary>How many passages contain the word, on the provider's own index; null when the word cannot be searched.</summary>
    protected abstract Task<long?> CountPassagesWithAsync(System.Data.Common.DbConnection connection, string term, CancellationToken cancellationToken);

    /// <summary>
    /// Document frequencies, remembered per word until the passages change (seen by their highest id
    /// and their count): counting a common word's postings in a large store costs milliseconds, and
    /// questions keep using the same words.
    /// </summary>
    public async Task<TermStatistics> GetTermStatisticsAsync(IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stamp = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) FROM passages", cancellationToken: cancellationToken));
        var cache = _statistics;
        if (cache.Stamp != stamp)
        {
            var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM passages", cancellationToken: cancellationToken));
            cache = _statistics = new StatisticsCache(stamp, total, new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
        }

        var frequencies = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var term in terms.Distinct(StringComparer.Ordinal).Take(128))
        {
            if (cache.Frequencies.TryGetValue(term, out var known))
            {
                frequencies[term] = known;
                continue;
            }

            if (await CountPassagesWithAsync(connection, term, cancellationToken) is not { } count) continue;
            if (cache.Frequencies.Count < MaxCachedTerms) cache.Frequencies[term] = count;
            frequencies[term] = count;
        }

        return new TermStatistics(cache.Total, frequencies);
    }

    private const int MaxCachedTerms = 50_000;
    private volatile StatisticsCache _statistics = new(-1, 0, new ConcurrentDictionary<string, long>(StringComparer.Ordinal));

    private sealed record StatisticsCache(long Stamp, long Total, ConcurrentDictionary<string, long> Frequencies);

    public abstract Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Every word of the passages with its passage count, and the words of names (incident names and
    /// aliases, actors, speakers). Kept until the passages change, like the term statistics; on a store
    /// of 300,000 passages the first build takes about a second.
    /// </summary>
    public async Task<StoreVocabulary> GetVocabularyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stamp = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT coalesce(max(id), 0) FROM passages", cancellationToken: cancellationToken));
        var cached = _vocabulary;
        if (cached.Stamp == stamp) return cached.Vocabulary;
        await _vocabularyGate.WaitAsync(cancellationToken);
        try
        {
            if (_vocabulary.Stamp == stamp) return _vocabulary.Vocabulary;
            var builder = new StoreVocabulary.Builder();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT kind, text, speaker FROM passages";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var kind = reader.GetString(0);
                    var text = reader.GetString(1);
                    builder.AddPassage(text);
                    if (kind == "actor") builder.AddName(text.Split(':')[0]);
                    if (!reader.IsDBNull(2)) builder.AddName(reader.GetString(2));
                }
            }

            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT name FROM incident_names";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) builder.AddName(reader.GetString(0));
            }

            var vocabulary = builder.Build();
            _vocabulary = new VocabularyCache(stamp, vocabulary);
            return vocabulary;
        }
        finally
        {
            _vocabularyGate.Release();
        }
    }

    private sealed record VocabularyCache(long Stamp, StoreVocabulary Vocabulary);
    private volatile VocabularyCache _vocabulary = new(-1, StoreVocabulary.Empty);
    private readonly SemaphoreSlim _vocabularyGate = new(1, 1);

    public void Dispose()
    {
        _vocabularyGate.Dispose();
        GC.SuppressFinalize(this);
    }

    public abstract Task<IReadOnlyList<NameMatch>> FindMentionedIncidentsAsync(string normalizedQuestion, CancellationToken cancellationToken);

    /// <summary>The words of a question that could name an incident: function words never do, and "the" alone matches most names.</summary>
    protected static List<string> NameWords(string normalizedQuestion) =>
        normalizedQuestion.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 1 && !NameStopWords.Contains(w)).Distinct().Take(40).ToList();

    /// <summary>Only names that appear whole in the question count: "balloon" yes, "balloon affair" only if both words are there.</summary>
    protected static List<NameMatch> WholeNamesOnly(IEnumerable<NameMatch> names, string normalizedQuestion)
    {
        var padded = $" {normalizedQuestion} ";
        return names.Where(n => padded.Contains($" {TextNormalizer.Normalize(n.MatchedName, 300)} ", StringComparison.Ordinal)).ToList();
    }

    private static readonly HashSet<string> NameStopWords = new(StringComparer.Ordinal)
    {
        "the", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "is", "was", "were", "are", "be", "did", "does",
        "do", "what", "when", "where", "who", "why", "how", "which", "whose", "it", "its", "that", "this", "about", "over", "into", "many", "much",
    };

    /// <summary>The question's terms as normalised words (letters and digits only), at most 64.</summary>
    protected static List<string> SearchWords(IReadOnlyList<string> terms) =>
        terms.Select(t => TextNormalizer.Normalize(t)).Where(t => t.Length > 0).Distinct().Take(64).ToList();

    // A class with setters, not a positional record: with no rows SQLite reports untyped columns, which Dapper cannot match to a constructor.
    protected sealed class PassageRow
    {
        public long Id { get; set; }
        public string Slug { get; set; } = "";
        public string Title { get; set; } = "";
        public string Kind { get; set; } = "";
        public string Text { get; set; } = "";
        public string? Date { get; set; }
        public double Rank { get; set; }
        public string? Citation { get; set; }

        public Passage ToPassage() => new(
            Id, Slug, Title,
            Enum.TryParse<PassageKind>(Kind, ignoreCase: true, out var kind) ? kind : PassageKind.Fact,
            Text,
            Date is not null && PartialDate.TryParse(Date, out var date) ? date : null,
            Rank,
            Citation);
    }
}
