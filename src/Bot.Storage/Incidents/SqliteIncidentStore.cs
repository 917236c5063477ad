using System.Collections.Concurrent;
using System.Text;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Dapper;

namespace Bot.Storage.Incidents;

/// <summary>Incident reads over SQLite. Every value reaches SQL as a parameter; FTS queries are built only from normalised words.</summary>
public sealed class SqliteIncidentStore(SqliteDatabase database) : IIncidentStore
{
    /// <summary>Words that would make an all-words name search miss ("the balloon" vs "Chinese balloon").</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "and", "or", "over", "to", "for", "with", "by", "at", "from",
    };

    /// <summary>Enough rare trigrams to survive one typo; common ones add rows, not precision.</summary>
    private const int MaxTrigrams = 6;
    private const int MinTrigrams = 3;
    private const int PostingBudget = 30_000;

    /// <summary>
    /// Parsed incidents by slug with the content hash they were parsed from. Each read still asks the
    /// database for the current hash (so another process's import is seen at once) but parses the
    /// document only when it changed.
    /// </summary>
    private readonly ConcurrentDictionary<string, (string Hash, Incident Incident)> _parsed = new(StringComparer.Ordinal);
    private const int ParsedCacheLimit = 10_000;

    public async Task<Incident?> GetAsync(string slug, CancellationToken cancellationToken)
    {
        var known = _parsed.TryGetValue(slug, out var cached) ? cached.Hash : null;
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Hash, string? Document)>(new CommandDefinition(
            "SELECT content_hash, CASE WHEN content_hash = @known THEN NULL ELSE document END FROM incidents WHERE slug = @slug",
            new { slug, known }, cancellationToken: cancellationToken));
        if (row.Hash is null)
        {
            _parsed.TryRemove(slug, out _);
            return null;
        }

        if (row.Document is null) return cached.Incident;
        var incident = IncidentJson.Parse(row.Document);
        if (_parsed.Count >= ParsedCacheLimit) _parsed.Clear();
        _parsed[slug] = (row.Hash, incident);
        return incident;
    }

    public async Task<IReadOnlyList<IncidentSummary>> ListAsync(string? category, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentSummary>(new CommandDefinition(
            category is null
                ? "SELECT slug AS Slug, title AS Title, category AS Category FROM incidents ORDER BY title COLLATE NOCASE"
                : "SELECT slug AS Slug, title AS Title, category AS Category FROM incidents WHERE category = @category ORDER BY title COLLATE NOCASE",
            new { category }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<IReadOnlyList<NameMatch>> FindByExactNameAsync(string normalizedName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<NameRow>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, n.name AS Name, n.kind AS Kind
            FROM incident_names n JOIN incidents i ON i.id = n.incident_id
            WHERE n.normalized = @normalizedName
            ORDER BY n.kind, i.title
            LIMIT 25
            """, new { normalizedName }, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0) return [];
        // A slug or title beats an alias that happens to be spelled the same.
        var bestKind = rows[0].Kind;
        return rows.Where(r => r.Kind == bestKind).Select(r => r.ToMatch()).ToList();
    }

    public async Task<IReadOnlyList<NameMatch>> SearchNamesAsync(IReadOnlyList<string> words, bool matchAll, int limit, CancellationToken cancellationToken)
    {
        var meaningful = words.Where(w => !StopWords.Contains(w)).ToList();
        if (meaningful.Count == 0) meaningful = words.ToList();
        if (meaningful.Count == 0) return [];
        // Each word is quoted and prefix-matched; words are letters and digits only, so no FTS syntax gets through.
        var match = string.Join(matchAll ? " AND " : " OR ", meaningful.Take(12).Select(w => $"\"{w}\"*"));
        await using var connection = await database.OpenAsync(cancellationToken);
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
    public async Task<IReadOnlyList<NameMatch>> FindSimilarNamesAsync(string normalizedName, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
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

    public async Task<bool> AllWordsStartNamesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var word in words)
            if (!await HasNameWordAsync(connection, $"\"{word}\"*", cancellationToken))
                return false;
        return true;
    }

    private static async Task<bool> HasNameWordAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string match, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT rowid FROM incident_names_words WHERE incident_names_words MATCH @match LIMIT 1", new { match }, cancellationToken: cancellationToken)) is not null;

    public async Task<IReadOnlyList<IncidentEvent>> EventsOnDayAsync(int month, int day, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            """
            SELECT i.slug AS Slug, i.title AS Title, i.category AS Category, e.date AS Date, e.text AS Text
            FROM timeline_events e JOIN incidents i ON i.id = e.incident_id
            WHERE e.month = @month AND e.day = @day
            ORDER BY e.year DESC, i.slug, e.position
            """, new { month, day }, cancellationToken: cancellationToken));
        return rows.Select(r => new IncidentEvent(r.Slug, r.Title, r.Category, new TimelineEvent(PartialDate.Parse(r.Date), r.Text))).ToList();
    }

    public async Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var (incidents, events) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT (SELECT count(*) FROM incidents), (SELECT count(*) FROM timeline_events WHERE day IS NOT NULL)",
            cancellationToken: cancellationToken));
        return new StoreStats((int)incidents, (int)events);
    }

    public async Task<IReadOnlyList<string>> ListSlugsAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT slug FROM incidents ORDER BY slug LIMIT @limit OFFSET @offset", new { offset, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<IncidentSummary>> ChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<IncidentSummary>(new CommandDefinition(
            """
            SELECT slug AS Slug, title AS Title, category AS Category FROM incidents
            WHERE updated_at > @since ORDER BY updated_at DESC LIMIT @limit
            """,
            new { since, limit }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<int> CountChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM incidents WHERE updated_at > @since",
            new { since }, cancellationToken: cancellationToken));
    }

    /// <summary>Letter trigrams of the query, spaces included, as the trigram tokenizer indexes them.</summary>
    internal static List<string> Trigrams(string normalized)
    {
        var result = new List<string>();
        if (normalized.Length < 3) return result;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= normalized.Length && result.Count < 64; i++)
        {
            var trigram = normalized.Substring(i, 3);
            if (seen.Add(trigram)) result.Add(trigram);
        }

        return result;
    }

    private sealed record NameRow(string Slug, string Title, string Name, long Kind)
    {
        public NameMatch ToMatch() => new(Slug, Title, Name);
    }

    private sealed record EventRow(string Slug, string Title, string Category, string Date, string Text);
}
