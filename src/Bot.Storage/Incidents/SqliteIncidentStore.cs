using System.Text;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Dapper;

namespace Bot.Storage.Incidents;

/// <summary>Name searches over SQLite's FTS5 indexes; FTS queries are built only from normalised words.</summary>
public sealed class SqliteIncidentStore(SqliteDatabase database) : SqlIncidentStore(database)
{
    private readonly SqliteDatabase _database = database;

    /// <summary>Enough rare trigrams to survive one typo; common ones add rows, not precision.</summary>
    private const int MaxTrigrams = 6;
    private const int MinTrigrams = 3;
    private const int PostingBudget = 30_000;

    public override async Task<IReadOnlyList<IncidentSummary>> ListAsync(string? category, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentSummary>(new CommandDefinition(
            category is null
                ? "SELECT slug AS Slug, title AS Title, category AS Category FROM incidents ORDER BY title COLLATE NOCASE"
                : "SELECT slug AS Slug, title AS Title, category AS Category FROM incidents WHERE category = @category ORDER BY title COLLATE NOCASE",
            new { category }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public override async Task<IReadOnlyList<NameMatch>> SearchNamesAsync(IReadOnlyList<string> words, bool matchAll, int limit, CancellationToken cancellationToken)
    {
        var meaningful = words.Where(w => !StopWords.Contains(w)).ToList();
        if (meaningful.Count == 0) meaningful = words.ToList();
        if (meaningful.Count == 0) return [];
        // Each word is quoted and prefix-matched; words are letters and digits only, so no FTS syntax gets through.
        var match = string.Join(matchAll ? " AND " : " OR ", meaningful.Take(12).Select(w => $"\"{w}\"*"));
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS Name, n.kind AS Kind
            FROM incident_names_words f
            JOIN incident_names n ON n.id = f.rowid
            JOIN incidents i ON i.id = n.incident_id
            WHERE incident_names_words MATCH @match
            ORDER BY f.rank
            LIMIT @limit
            """, new { match, limit = limit * 4 }, cancellationToken: cancellationToken));
        var matches = rows.Select(r => r.ToMatch());
        return (matchAll ? matches.DistinctBy(m => m.Slug) : matches).Take(limit).ToList();
    }

    /// <summary>
    /// Typo candidates from the rarest letter trigrams of the words the store does not know, counted
    /// per name. Scoring every name that shares any trigram ("ope", "ion") is what made this slow on
    /// a large store; the rare trigrams are the ones that identify a name anyway.
    /// </summary>
    public override async Task<IReadOnlyList<NameMatch>> FindSimilarNamesAsync(string normalizedName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var words = normalizedName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unknown = new List<string>();
        if (words.Length > 1)
            foreach (var word in words)
                if (!await HasNameWordAsync(connection, $"\"{word}\"", cancellationToken))
                    unknown.Add(word);

        var trigrams = (unknown.Count > 0 ? unknown.SelectMany(Trigrams) : Trigrams(normalizedName)).Distinct().ToList();
        if (trigrams.Count == 0) return [];

        // One "term =" lookup each: fts5vocab answers those from the index, "term IN (…)" scans.
        var counts = new List<(string Term, long Documents)>();
        foreach (var trigram in trigrams)
        {
            var documents = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT doc FROM incident_names_trigram_vocab WHERE term = @trigram", new { trigram }, cancellationToken: cancellationToken));
            if (documents is > 0) counts.Add((trigram, documents.Value));
        }

        counts.Sort((a, b) => a.Documents.CompareTo(b.Documents));
        var chosen = new List<string>();
        long postings = 0;
        foreach (var (term, documents) in counts)
        {
            if (chosen.Count >= MaxTrigrams || (chosen.Count >= MinTrigrams && postings + documents > PostingBudget)) break;
            chosen.Add(term);
            postings += documents;
        }

        if (chosen.Count == 0) return [];
        var scans = string.Join(" UNION ALL ", chosen.Select((_, i) => $"SELECT rowid FROM incident_names_trigrams(@t{i})"));
        var parameters = new DynamicParameters(new { limit, length = normalizedName.Length });
        for (var i = 0; i < chosen.Count; i++) parameters.Add($"t{i}", $"\"{chosen[i]}\"");
        var rows = await connection.QueryAsync<NameRow>(new CommandDefinition(
            $"""
            SELECT i.slug AS Slug, i.title AS Title, n.name AS Name, n.kind AS Kind
            FROM (SELECT rowid AS id, count(*) AS shared FROM ({scans}) GROUP BY rowid ORDER BY shared DESC LIMIT @limit * 4) f
            JOIN incident_names n ON n.id = f.id
            JOIN incidents i ON i.id = n.incident_id
            ORDER BY f.shared DESC, abs(length(n.normalized) - @length)
            LIMIT @limit
            """, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMatch()).ToList();
    }

    public override async Task<bool> AllWordsStartNamesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        foreach (var word in words)
            if (!await HasNameWordAsync(connection, $"\"{word}\"*", cancellationToken))
                return false;
        return true;
    }

    private static async Task<bool> HasNameWordAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string match, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT rowid FROM incident_names_words WHERE incident_names_words MATCH @match LIMIT 1", new { match }, cancellationToken: cancellationToken)) is not null;
}
