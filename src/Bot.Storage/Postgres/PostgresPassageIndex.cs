using System.Data.Common;
using Bot.Core.Answers;
using Bot.Core.Incidents;
using Bot.Storage.Answers;
using Dapper;

namespace Bot.Storage.Postgres;

/// <summary>
/// Q&amp;A retrieval over the passages' tsvector (English stemming, as FTS5's porter tokenizer). ts_rank with
/// length normalisation stands in for BM25: a short passage that holds the word beats a long one that
/// mentions it once. The rank is negated so that, as on SQLite, lower is better and every hit is below zero.
/// </summary>
public sealed class PostgresPassageIndex(PostgresDatabase database) : SqlPassageIndex(database)
{
    private readonly PostgresDatabase _database = database;

    private const string Columns = "p.id AS Id, i.slug AS Slug, i.title AS Title, p.kind AS Kind, p.text AS Text, p.date AS Date, p.citation AS Citation";

    public override async Task<IReadOnlyList<Passage>> SearchAsync(IReadOnlyList<string> terms, IReadOnlyCollection<string> incidents, int limit,
        CancellationToken cancellationToken, IReadOnlyList<IReadOnlyList<string>>? allOf = null)
    {
        var query = allOf is { Count: > 0 } groups && groups.All(g => AnyOf(g) is not null)
            ? string.Join(" & ", groups.Select(g => $"({AnyOf(g)})"))
            : AnyOf(terms);
        if (query is null) return [];
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<PassageRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, f.rank AS Rank
            FROM (SELECT id, -(ts_rank(terms, q, 1)::float8 + 1e-9) AS rank
                  FROM passages, to_tsquery('english', @query) q WHERE terms @@ q ORDER BY rank, id LIMIT @limit) f
            JOIN passages p ON p.id = f.id
            JOIN incidents i ON i.id = p.incident_id
            ORDER BY f.rank, p.id
            """, new { query, limit }, cancellationToken: cancellationToken))).AsList();

        if (incidents.Count > 0)
        {
            // The incident the question names (or the thread is about) is heard whole, even when others rank higher.
            var slugs = incidents.Take(10).ToArray();
            var focused = await connection.QueryAsync<PassageRow>(new CommandDefinition(
                $"""
                SELECT {Columns}, 0.0::float8 AS Rank
                FROM incidents i JOIN passages p ON p.incident_id = i.id
                WHERE i.slug = ANY(@slugs)
                ORDER BY p.id
                LIMIT 500
                """, new { slugs }, cancellationToken: cancellationToken));
            rows.AddRange(focused);
        }

        return rows.DistinctBy(r => r.Id).Select(r => r.ToPassage()).ToList();
    }

    protected override async Task<long?> CountPassagesWithAsync(DbConnection connection, string term, CancellationToken cancellationToken)
    {
        if (AnyOf([term]) is not { } query) return null;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM passages WHERE terms @@ to_tsquery('english', @query)", new { query }, cancellationToken: cancellationToken));
    }

    public override async Task<IReadOnlyList<Passage>> GetPassagesAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<PassageRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, 0.0::float8 AS Rank
            FROM passages p JOIN incidents i ON i.id = p.incident_id
            WHERE p.id = ANY(@ids)
            """, new { ids = ids.Take(1000).ToArray() }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPassage()).ToList();
    }

    public override async Task<IReadOnlyList<NameMatch>> FindMentionedIncidentsAsync(string normalizedQuestion, CancellationToken cancellationToken)
    {
        var query = PostgresIncidentStore.Query(NameWords(normalizedQuestion), " | ", prefix: false);
        if (query is null) return [];
        // Best-matching names first: a common word is in thousands of names, and the one named whole must not be cut off.
        await using var connection = await _database.OpenAsync(cancellationToken);
        var names = await connection.QueryAsync<NameMatch>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS MatchedName
            FROM (SELECT id FROM incident_names, to_tsquery('simple', @query) q WHERE words @@ q
                  ORDER BY ts_rank(words, q, 1) DESC, id LIMIT 500) f
            JOIN incident_names n ON n.id = f.id
            JOIN incidents i ON i.id = n.incident_id
            WHERE n.kind <> 1
            """, new { query }, cancellationToken: cancellationToken));
        return WholeNamesOnly(names, normalizedQuestion);
    }

    /// <summary>An OR of the normalised words as tsquery text; letters and digits only, so no tsquery syntax gets through.</summary>
    private static string? AnyOf(IReadOnlyList<string> terms) => PostgresIncidentStore.Query(SearchWords(terms), " | ", prefix: false);
}
