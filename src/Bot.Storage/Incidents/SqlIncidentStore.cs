using System.Collections.Concurrent;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Dapper;

namespace Bot.Storage.Incidents;

/// <summary>
/// Incident reads whose SQL is the same on SQLite and PostgreSQL; each provider adds the name searches over
/// its own full-text index. Every value reaches SQL as a parameter.
/// </summary>
public abstract class SqlIncidentStore(IStoreConnections database) : IIncidentStore
{
    /// <summary>Words that would make an all-words name search miss ("the balloon" vs "Chinese balloon").</summary>
    protected static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "of", "in", "on", "and", "or", "over", "to", "for", "with", "by", "at", "from",
    };

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

    public abstract Task<IReadOnlyList<IncidentSummary>> ListAsync(string? category, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<NameMatch>> SearchNamesAsync(IReadOnlyList<string> words, bool matchAll, int limit, CancellationToken cancellationToken);

    public abstract Task<IReadOnlyList<NameMatch>> FindSimilarNamesAsync(string normalizedName, int limit, CancellationToken cancellationToken);

    public abstract Task<bool> AllWordsStartNamesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken);

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

    protected sealed record NameRow(string Slug, string Title, string Name, long Kind)
    {
        public NameMatch ToMatch() => new(Slug, Title, Name);
    }

    private sealed record EventRow(string Slug, string Title, string Category, string Date, string Text);
}
