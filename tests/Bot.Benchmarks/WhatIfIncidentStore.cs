using Bot.Core.Incidents;
using Bot.Storage;
using Bot.Storage.Incidents;
using Dapper;

namespace Bot.Benchmarks;

/// <summary>
/// What-if only ("lookup --what-if fuzzy"): the SQLite store with a cheaper typo path, to size the change before
/// making it in src. Everything else is the real store. Two changes:
/// <list type="bullet">
/// <item>Similar names come from the rarest trigrams of the words the store does not know (document counts from an
/// fts5vocab table), counted per name, instead of bm25 over an OR of every trigram of the whole query, which scores
/// every name sharing any trigram ("ope", "ion"…).</item>
/// <item>The any-word search behind word coverage returns nothing at once when some word has no prefix hit at all:
/// coverage needs every word, and ranking 100,000 "operation …" names to learn that is the expensive part.</item>
/// </list>
/// </summary>
public sealed class WhatIfIncidentStore(SqliteDatabase database) : IIncidentStore
{
    /// <summary>Enough rare trigrams to survive one typo; common ones add rows, not precision.</summary>
    private const int MaxTrigrams = 6;
    private const int MinTrigrams = 3;
    private const int PostingBudget = 30_000;

    private readonly SqliteIncidentStore _store = new(database);

    public Task<Incident?> GetAsync(string slug, CancellationToken cancellationToken) => _store.GetAsync(slug, cancellationToken);

    public Task<IReadOnlyList<IncidentSummary>> ListAsync(string? category, CancellationToken cancellationToken) => _store.ListAsync(category, cancellationToken);

    public Task<IReadOnlyList<NameMatch>> FindByExactNameAsync(string normalizedName, CancellationToken cancellationToken) =>
        _store.FindByExactNameAsync(normalizedName, cancellationToken);

    public Task<IReadOnlyList<IncidentEvent>> EventsOnDayAsync(int month, int day, CancellationToken cancellationToken) =>
        _store.EventsOnDayAsync(month, day, cancellationToken);

    public Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken) => _store.GetStatsAsync(cancellationToken);

    public Task<IReadOnlyList<string>> ListSlugsAsync(int offset, int limit, CancellationToken cancellationToken) =>
        _store.ListSlugsAsync(offset, limit, cancellationToken);

    public Task<bool> AllWordsStartNamesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken) =>
        _store.AllWordsStartNamesAsync(words, cancellationToken);

    public Task<IReadOnlyList<IncidentSummary>> ChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        _store.ChangedSinceAsync(since, limit, cancellationToken);

    public async Task<IReadOnlyList<NameMatch>> SearchNamesAsync(IReadOnlyList<string> words, bool matchAll, int limit, CancellationToken cancellationToken)
    {
        if (!matchAll && words.Count > 1)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            foreach (var word in words)
            {
                var hit = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT rowid FROM incident_names_words WHERE incident_names_words MATCH @match LIMIT 1",
                    new { match = $"\"{word}\"*" }, cancellationToken: cancellationToken));
                if (hit is null) return [];
            }
        }

        return await _store.SearchNamesAsync(words, matchAll, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<NameMatch>> FindSimilarNamesAsync(string normalizedName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Words the store knows as they are ("operation") are not the typo: only the others' trigrams are looked up.
        var words = normalizedName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unknown = new List<string>();
        if (words.Length > 1)
        {
            foreach (var word in words)
            {
                var known = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT rowid FROM incident_names_words WHERE incident_names_words MATCH @match LIMIT 1",
                    new { match = $"\"{word}\"" }, cancellationToken: cancellationToken));
                if (known is null) unknown.Add(word);
            }
        }

        var trigrams = unknown.Count > 0 ? unknown.SelectMany(SqliteIncidentStore.Trigrams).Distinct().ToList() : SqliteIncidentStore.Trigrams(normalizedName);
        if (trigrams.Count == 0) return [];
        // fts5vocab lives in the connection's temp schema; pooled connections keep it. One "term =" lookup per
        // trigram: "term IN (…)" is several times slower than the lookups it replaces.
        await connection.ExecuteAsync(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.incident_names_trigram_vocab USING fts5vocab(main, incident_names_trigrams, 'row')");
        var counts = new List<(string Term, long Doc)>();
        foreach (var trigram in trigrams)
        {
            var doc = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT doc FROM temp.incident_names_trigram_vocab WHERE term = @trigram", new { trigram }, cancellationToken: cancellationToken));
            if (doc is > 0) counts.Add((trigram, doc.Value));
        }

        counts.Sort((a, b) => a.Doc.CompareTo(b.Doc));

        var chosen = new List<string>();
        long postings = 0;
        foreach (var (term, doc) in counts)
        {
            if (chosen.Count >= MaxTrigrams || (chosen.Count >= MinTrigrams && postings + doc > PostingBudget)) break;
            chosen.Add(term);
            postings += doc;
        }

        if (chosen.Count == 0) return [];
        // One table-valued scan per trigram, counted per name: no bm25, and only the rare posting lists are read.
        var scans = string.Join(" UNION ALL ", chosen.Select((_, i) => $"SELECT rowid FROM incident_names_trigrams(@t{i})"));
        var parameters = new DynamicParameters(new { limit, length = normalizedName.Length });
        for (var i = 0; i < chosen.Count; i++) parameters.Add($"t{i}", $"\"{chosen[i]}\"");
        var rows = await connection.QueryAsync<(string Slug, string Title, string Name)>(new CommandDefinition(
            $"""
            SELECT i.slug, i.title, n.name
            FROM (SELECT rowid AS id, count(*) AS shared FROM ({scans}) GROUP BY rowid ORDER BY shared DESC LIMIT @limit * 4) f
            JOIN incident_names n ON n.id = f.id
            JOIN incidents i ON i.id = n.incident_id
            ORDER BY f.shared DESC, abs(length(n.normalized) - @length)
            LIMIT @limit
            """, parameters, cancellationToken: cancellationToken));
        return rows.Select(r => new NameMatch(r.Slug, r.Title, r.Name)).ToList();
    }
}
