using Bot.Core.Incidents;
using Bot.Storage.Incidents;
using Dapper;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// Name searches over PostgreSQL: the names' words in a 'simple' tsvector (prefix queries, as FTS5's prefix
/// index) and their trigrams in a table of their own. The tsquery text is built only from normalised words
/// (letters and digits) and still reaches the server as a parameter.
/// </summary>
public sealed class PostgresIncidentStore(PostgresDatabase database) : SqlIncidentStore(database)
{
    private readonly PostgresDatabase _database = database;

    /// <summary>Enough rare trigrams to survive one typo; common ones add rows, not precision.</summary>
    private const int MaxTrigrams = 6;
    private const int MinTrigrams = 3;
    private const int PostingBudget = 30_000;

    public override async Task<IReadOnlyList<IncidentSummary>> ListAsync(string? category, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentSummary>(new CommandDefinition(
            """
            SELECT slug AS Slug, title AS Title, category AS Category FROM incidents
            WHERE @category::text IS NULL OR category = @category ORDER BY lower(title), title
            """,
            new { category }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public override async Task<IReadOnlyList<NameMatch>> SearchNamesAsync(IReadOnlyList<string> words, bool matchAll, int limit, CancellationToken cancellationToken)
    {
        var meaningful = words.Where(w => !StopWords.Contains(w)).ToList();
        if (meaningful.Count == 0) meaningful = words.ToList();
        var query = Query(meaningful.Take(12), matchAll ? " & " : " | ", prefix: true);
        if (query is null) return [];
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS Name, n.kind AS Kind
            FROM incident_names n JOIN incidents i ON i.id = n.incident_id
            WHERE n.words @@ to_tsquery('simple', @query)
            ORDER BY ts_rank(n.words, to_tsquery('simple', @query), 1) DESC, n.kind, n.id
            LIMIT @limit
            """, new { query, limit = limit * 4 }, cancellationToken: cancellationToken));
        var matches = rows.Select(r => r.ToMatch());
        return (matchAll ? matches.DistinctBy(m => m.Slug) : matches).Take(limit).ToList();
    }

    /// <summary>
    /// Typo candidates from the rarest trigrams of the words the store does not know, counted per name,
    /// as on SQLite: scoring every name that shares a common trigram is what makes this slow on a large store.
    /// </summary>
    public override async Task<IReadOnlyList<NameMatch>> FindSimilarNamesAsync(string normalizedName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var words = normalizedName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unknown = new List<string>();
        if (words.Length > 1)
            foreach (var word in words)
                if (!await HasNameWordAsync(connection, Query([word], "", prefix: false), cancellationToken))
                    unknown.Add(word);

        var trigrams = (unknown.Count > 0 ? unknown.SelectMany(Trigrams) : Trigrams(normalizedName)).Distinct().ToArray();
        if (trigrams.Length == 0) return [];

        var counts = (await connection.QueryAsync<(string Term, long Documents)>(new CommandDefinition(
            "SELECT trigram, count(*) FROM incident_name_trigrams WHERE trigram = ANY(@trigrams) GROUP BY trigram",
            new { trigrams }, cancellationToken: cancellationToken))).OrderBy(c => c.Documents).ThenBy(c => c.Term, StringComparer.Ordinal);
        var chosen = new List<string>();
        long postings = 0;
        foreach (var (term, documents) in counts)
        {
            if (chosen.Count >= MaxTrigrams || (chosen.Count >= MinTrigrams && postings + documents > PostingBudget)) break;
            chosen.Add(term);
            postings += documents;
        }

        if (chosen.Count == 0) return [];
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS Name, n.kind AS Kind
            FROM (SELECT name_id, count(*) AS shared FROM incident_name_trigrams WHERE trigram = ANY(@chosen)
                  GROUP BY name_id ORDER BY shared DESC LIMIT @limit * 4) f
            JOIN incident_names n ON n.id = f.name_id
            JOIN incidents i ON i.id = n.incident_id
            ORDER BY f.shared DESC, abs(length(n.normalized) - @length), n.id
            LIMIT @limit
            """, new { chosen = chosen.ToArray(), limit, length = normalizedName.Length }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMatch()).ToList();
    }

    public override async Task<bool> AllWordsStartNamesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        foreach (var word in words)
            if (!await HasNameWordAsync(connection, Query([word], "", prefix: true), cancellationToken))
                return false;
        return true;
    }

    private static async Task<bool> HasNameWordAsync(NpgsqlConnection connection, string? query, CancellationToken cancellationToken) =>
        query is not null && await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT 1 FROM incident_names WHERE words @@ to_tsquery('simple', @query) LIMIT 1", new { query }, cancellationToken: cancellationToken)) is not null;

    /// <summary>
    /// A tsquery of the words joined by the operator, each prefix-matched (<c>word:*</c>) when asked. Anything
    /// but letters and digits is dropped first, so no tsquery syntax can come from the user.
    /// </summary>
    internal static string? Query(IEnumerable<string> words, string joiner, bool prefix)
    {
        var clean = words.Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())).Where(w => w.Length > 0).ToList();
        return clean.Count == 0 ? null : string.Join(joiner, clean.Select(w => prefix ? $"{w}:*" : w));
    }
}
