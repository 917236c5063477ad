using Bot.Core.Answers;
using Bot.Core.Incidents;
using Dapper;

namespace Bot.Storage.Answers;

/// <summary>Q&amp;A retrieval over the passages' FTS5 index (Porter stemming, BM25 ranking).</summary>
public sealed class SqlitePassageIndex(SqliteDatabase database) : SqlPassageIndex(database)
{
    private readonly SqliteDatabase _database = database;

    public override async Task<IReadOnlyList<Passage>> SearchAsync(IReadOnlyList<string> terms, IReadOnlyCollection<string> incidents, int limit, CancellationToken cancellationToken,
        IReadOnlyList<IReadOnlyList<string>>? allOf = null)
    {
        var match = allOf is { Count: > 0 } groups && groups.All(g => MatchExpression(g) is not null)
            ? string.Join(" AND ", groups.Select(g => $"({MatchExpression(g)})"))
            : MatchExpression(terms);
        if (match is null) return [];
        await using var connection = await _database.OpenAsync(cancellationToken);
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

    protected override async Task<long?> CountPassagesWithAsync(System.Data.Common.DbConnection connection, string term, CancellationToken cancellationToken)
    {
        if (MatchExpression([term]) is not { } match) return null;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH @match", new { match }, cancellationToken: cancellationToken));
    }

    public override async Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PassageRow>(new CommandDefinition(
            """
            SELECT p.id AS Id, i.slug AS Slug, i.title AS Title, p.kind AS Kind, p.text AS Text, p.date AS Date, p.citation AS Citation, 0.0 AS Rank
            FROM passages p JOIN incidents i ON i.id = p.incident_id
            WHERE p.id IN @ids
            """, new { ids = ids.Take(1000).ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPassage()).ToList();
    }

    public override async Task<IReadOnlyList<NameMatch>> FindMentionedIncidentsAsync(string normalizedQuestion, CancellationToken cancellationToken)
    {
        var words = NameWords(normalizedQuestion);
        if (words.Count == 0) return [];
        var match = string.Join(" OR ", words.Select(w => $"\"{w}\""));
        // Best-matching names first: in a large store a common word ("balloon") is in thousands of names, and the
        // short one the question names whole must not be cut off by the limit.
        await using var connection = await _database.OpenAsync(cancellationToken);
        var names = await connection.QueryAsync<NameMatch>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS MatchedName
            FROM (SELECT rowid FROM incident_names_words WHERE incident_names_words MATCH @match ORDER BY rank LIMIT 500) f
            JOIN incident_names n ON n.id = f.rowid
            JOIN incidents i ON i.id = n.incident_id
            WHERE n.kind <> 1
            """, new { match }, cancellationToken: cancellationToken));
        return WholeNamesOnly(names, normalizedQuestion);
    }

    /// <summary>An FTS5 OR of quoted words; the words are letters and digits only, so nothing else reaches the parser.</summary>
    private static string? MatchExpression(IReadOnlyList<string> terms)
    {
        var words = SearchWords(terms);
        return words.Count == 0 ? null : string.Join(" OR ", words.Select(w => $"\"{w}\""));
    }
}
