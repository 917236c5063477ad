namespace Bot.Core.Incidents;

/// <summary>Reads incidents. Implemented by Bot.Storage; the core never sees SQL.</summary>
public interface IIncidentStore
{
    Task<Incident?> GetAsync(string slug, CancellationToken cancellationToken);

    Task<IReadOnlyList<IncidentSummary>> ListAsync(string? category, CancellationToken cancellationToken);

    /// <summary>Incidents whose slug, title or an alias normalises exactly to <paramref name="normalizedName"/>.</summary>
    Task<IReadOnlyList<NameMatch>> FindByExactNameAsync(string normalizedName, CancellationToken cancellationToken);

    /// <summary>
    /// Names containing every word as a prefix (<paramref name="matchAll"/>) or any of them, best
    /// first; with <paramref name="matchAll"/> at most one name per incident is returned.
    /// </summary>
    Task<IReadOnlyList<NameMatch>> SearchNamesAsync(IReadOnlyList<string> words, bool matchAll, int limit, CancellationToken cancellationToken);

    /// <summary>Names sharing letter trigrams with the query, for typo-tolerant lookups; the caller ranks them.</summary>
    Task<IReadOnlyList<NameMatch>> FindSimilarNamesAsync(string normalizedName, int limit, CancellationToken cancellationToken);

    /// <summary>True when each word begins a word of some incident name: a cheap test before a costly any-word search.</summary>
    Task<bool> AllWordsStartNamesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken);

    /// <summary>Day-precise events that fell on this calendar day, in any year.</summary>
    Task<IReadOnlyList<IncidentEvent>> EventsOnDayAsync(int month, int day, CancellationToken cancellationToken);

    Task<StoreStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>Slugs in ordinal order, <paramref name="limit"/> of them from position <paramref name="offset"/>.</summary>
    Task<IReadOnlyList<string>> ListSlugsAsync(int offset, int limit, CancellationToken cancellationToken);

    /// <summary>Incidents added or updated after <paramref name="since"/>, newest first.</summary>
    Task<IReadOnlyList<IncidentSummary>> ChangedSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>How many incidents were added or updated after <paramref name="since"/>: a capped list says how many it left out.</summary>
    async Task<int> CountChangedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        (await ChangedSinceAsync(since, int.MaxValue, cancellationToken)).Count;
}

/// <summary>
/// Writes incidents in one all-or-nothing batch, each change with its audit entry. A batch from
/// the seed files leaves alone what the team wrote or removed.
/// </summary>
public interface IIncidentWriter : IAsyncDisposable
{
    Task<UpsertOutcome> UpsertAsync(Incident incident, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);
}

public interface IIncidentWriterFactory
{
    Task<IIncidentWriter> BeginAsync(Editing.ContentAuthor author, CancellationToken cancellationToken);

    /// <summary>A batch a person asked for (<c>bot import</c>): it is the team's content from then on.</summary>
    Task<IIncidentWriter> BeginAsync(CancellationToken cancellationToken) => BeginAsync(Editing.ContentAuthor.Import, cancellationToken);
}

public enum UpsertOutcome
{
    Added,
    Updated,
    Unchanged,
    /// <summary>A seed file differs from an incident the team wrote: the team's version stays (reported once per seed version).</summary>
    KeptTeamVersion,
}
