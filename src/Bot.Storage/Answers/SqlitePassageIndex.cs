using System.Collections.Concurrent;
using Bot.Core.Answers;
using Bot.Core.Incidents;
using Bot.Core.Text;
using Dapper;

namespace Bot.Storage.Answers;

/// <summary>Q&amp;A retrieval over the passages' FTS5 index (Porter stemming, BM25 ranking).</summary>
public sealed class SqlitePassageIndex(SqliteDatabase database) : IPassageIndex, IDisposable
{
    public async Task<IReadOnlyList<Passage>> SearchAsync(IReadOnlyList<string> terms, IReadOnlyCollection<string> incidents, int limit, CancellationToken cancellationToken,
        IReadOnlyList<IReadOnlyList<string>>? allOf = null)
    {
        var match = allOf is { Count: > 0 } groups && groups.All(g => MatchExpression(g) is not null)
            ? string.Join(" AND ", groups.Select(g => $"({MatchExpression(g)})"))
            : MatchExpression(terms);
        if (match is null) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PassageRow>(new CommandDefinition(
            """
            SELECT p.id AS Id, i.slug AS Slug, i.title AS Title, p.kind AS Kind, p.text AS Text, p.date AS Date, p.citation AS Citation, f.rank AS Rank
            FROM (SELECT rowid, rank FROM passages_fts WHERE passages_fts MATCH @match ORDER BY rank LIMIT @limit) f
            JOIN passages p ON p.id = f.rowid
            JOIN incidents i ON i.id = p.incident_id
            """, new { match, limit }, cancellationToken: cancellationToken))).AsList();

        if (incidents.Count > 0)
        {
            // The incident the question names (or the thread is about) is heard whole, even when others rank higher:
            // an incident has a few dozen passages, cheaper to read directly than to rank against the whole index.
            var slugs = incidents.Take(10).ToArray();
            var focused = await connection.QueryAsync<PassageRow>(new CommandDefinition(
                """
                SELECT p.id AS Id, i.slug AS Slug, i.title AS Title, p.kind AS Kind, p.text AS Text, p.date AS Date, p.citation AS Citation, 0.0 AS Rank
                FROM incidents i JOIN passages p ON p.incident_id = i.id
                WHERE i.slug IN @slugs
                LIMIT 500
                """, new { slugs }, cancellationToken: cancellationToken));
            rows.AddRange(focused);
        }

        return rows.DistinctBy(r => r.Id).Select(r => r.ToPassage()).ToList();
    }

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

            if (MatchExpression([term]) is not { } match) continue;
            var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH @match", new { match }, cancellationToken: cancellationToken));
            if (cache.Frequencies.Count < MaxCachedTerms) cache.Frequencies[term] = count;
            frequencies[term] = count;
        }

        return new TermStatistics(cache.Total, frequencies);
    }

    private const int MaxCachedTerms = 50_000;
    private volatile StatisticsCache _statistics = new(-1, 0, new ConcurrentDictionary<string, long>(StringComparer.Ordinal));

    private sealed record StatisticsCache(long Stamp, long Total, ConcurrentDictionary<string, long> Frequencies);

    public async Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PassageRow>(new CommandDefinition(
            """
            SELECT p.id AS Id, i.slug AS Slug, i.title AS Title, p.kind AS Kind, p.text AS Text, p.date AS Date, p.citation AS Citation, 0.0 AS Rank
            FROM passages p JOIN incidents i ON i.id = p.incident_id
            WHERE p.id IN @ids
            """, new { ids = ids.Take(1000).ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPassage()).ToList();
    }

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

    public void Dispose() => _vocabularyGate.Dispose();

    public async Task<IReadOnlyList<NameMatch>> FindMentionedIncidentsAsync(string normalizedQuestion, CancellationToken cancellationToken)
    {
        // Function words never name an incident on their own, and "the" alone matches most names in a large store.
        var words = normalizedQuestion.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 1 && !NameStopWords.Contains(w)).Distinct().Take(40).ToList();
        if (words.Count == 0) return [];
        var match = string.Join(" OR ", words.Select(w => $"\"{w}\""));
        await using var connection = await database.OpenAsync(cancellationToken);
        var names = await connection.QueryAsync<NameMatch>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS MatchedName
            FROM (SELECT rowid FROM incident_names_words WHERE incident_names_words MATCH @match LIMIT 500) f
            JOIN incident_names n ON n.id = f.rowid
            JOIN incidents i ON i.id = n.incident_id
            WHERE n.kind <> 1
            """, new { match }, cancellationToken: cancellationToken));
        var padded = $" {normalizedQuestion} ";
        // Only names that appear whole in the question count: "balloon" yes, "balloon affair" only if both words are there.
        return names.Where(n => padded.Contains($" {TextNormalizer.Normalize(n.MatchedName, 300)} ", StringComparison.Ordinal)).ToList();
    }

    private static readonly HashSet<string> NameStopWords = new(StringComparer.Ordinal)
    {
        "the", "an", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from", "is", "was", "were", "are", "be", "did", "does",
        "do", "what", "when", "where", "who", "why", "how", "which", "whose", "it", "its", "that", "this", "about", "over", "into", "many", "much",
    };

    /// <summary>An FTS5 OR of quoted words; the words are letters and digits only, so nothing else reaches the parser.</summary>
    private static string? MatchExpression(IReadOnlyList<string> terms)
    {
        var words = terms.Select(t => TextNormalizer.Normalize(t)).Where(t => t.Length > 0).Distinct().Take(64).ToList();
        return words.Count == 0 ? null : string.Join(" OR ", words.Select(w => $"\"{w}\""));
    }

    // A class with setters, not a positional record: with no rows SQLite reports untyped columns, which Dapper cannot match to a constructor.
    private sealed class PassageRow
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
