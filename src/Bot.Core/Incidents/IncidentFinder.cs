using Bot.Core.Text;

namespace Bot.Core.Incidents;

public abstract record LookupResult
{
    public sealed record Found(Incident Incident) : LookupResult;
    public sealed record Ambiguous(IReadOnlyList<NameMatch> Candidates) : LookupResult;
    public sealed record NotFound(string Query, IReadOnlyList<NameMatch> Suggestions) : LookupResult;
    public sealed record EmptyQuery : LookupResult;
}

/// <summary>
/// Resolves what a person typed to one incident: exact slug, title or alias first, then title
/// words, then a typo-tolerant match. Each step runs only when the cheaper one found nothing.
/// </summary>
public sealed class IncidentFinder(IIncidentStore store)
{
    private const int CandidateLimit = 10;
    /// <summary>Below this similarity a name is a suggestion, not a match ("baloon" vs "balloon" is 0.86).</summary>
    private const double TypoThreshold = 0.74;

    public async Task<LookupResult> FindAsync(string? query, CancellationToken cancellationToken)
    {
        var normalized = TextNormalizer.Normalize(query);
        if (normalized.Length == 0) return new LookupResult.EmptyQuery();

        var exact = Distinct(await store.FindByExactNameAsync(normalized, cancellationToken));
        if (exact.Count > 0) return await Resolve(exact, normalized, cancellationToken);

        var words = normalized.Split(' ');
        var byWords = Distinct(await store.SearchNamesAsync(words, matchAll: true, CandidateLimit + 1, cancellationToken));
        if (byWords.Count > 0) return await Resolve(byWords, normalized, cancellationToken);

        if (words.Length > 1 && await BestCoverageAsync(words, cancellationToken) is { } covering)
            return await Resolve([covering], normalized, cancellationToken);

        var similar = await store.FindSimilarNamesAsync(normalized, 50, cancellationToken);
        var ranked = similar
            .Select(m => (Match: m, Score: EditDistance.BestWindowSimilarity(normalized, TextNormalizer.Normalize(m.MatchedName))))
            .OrderByDescending(x => x.Score)
            .ToList();
        var close = Distinct(ranked.Where(x => x.Score >= TypoThreshold).Select(x => x.Match).ToList());
        if (close.Count > 0)
        {
            var best = ranked[0];
            var runnerUp = ranked.FirstOrDefault(x => x.Match.Slug != best.Match.Slug);
            // A clear winner is taken; near ties are shown as a choice.
            if (runnerUp.Match is null || best.Score - runnerUp.Score >= 0.08 || runnerUp.Score < TypoThreshold)
                return await Resolve([best.Match], normalized, cancellationToken);
            return new LookupResult.Ambiguous(close.Take(CandidateLimit).ToList());
        }

        return new LookupResult.NotFound(query!.Trim(), Distinct(ranked.Select(x => x.Match).ToList()).Take(3).ToList());
    }

    /// <summary>
    /// "spy airship": no single name has both words, but one incident's names together do
    /// ("spy balloon", "airship"). Taken only when one incident covers every word and no other does.
    /// </summary>
    private async Task<NameMatch?> BestCoverageAsync(string[] words, CancellationToken cancellationToken)
    {
        // Coverage needs every word; when one starts no name at all, ranking every name of the others is wasted.
        if (!await store.AllWordsStartNamesAsync(words, cancellationToken)) return null;
        var names = await store.SearchNamesAsync(words, matchAll: false, 200, cancellationToken);
        var covering = names
            .GroupBy(n => n.Slug)
            .Where(g =>
            {
                var nameWords = g.SelectMany(n => TextNormalizer.Words(n.MatchedName, 300)).ToList();
                return words.All(w => nameWords.Any(nw => nw.StartsWith(w, StringComparison.Ordinal)));
            })
            .Take(2)
            .ToList();
        return covering.Count == 1 ? covering[0].First() : null;
    }

    /// <summary>Incidents whose names start like <paramref name="partial"/>, for autocomplete; all of them (by title) when it is empty.</summary>
    public async Task<IReadOnlyList<NameMatch>> SuggestAsync(string? partial, int limit, CancellationToken cancellationToken)
    {
        var normalized = TextNormalizer.Normalize(partial, 100);
        if (normalized.Length == 0)
            return (await store.ListAsync(null, cancellationToken)).Take(limit).Select(i => new NameMatch(i.Slug, i.Title, i.Title)).ToList();
        var matches = await store.SearchNamesAsync(normalized.Split(' '), matchAll: true, limit, cancellationToken);
        if (matches.Count == 0)
            matches = Distinct(await store.FindSimilarNamesAsync(normalized, limit * 2, cancellationToken));
        return matches.DistinctBy(m => m.Slug).Take(limit).ToList();
    }

    private async Task<LookupResult> Resolve(IReadOnlyList<NameMatch> matches, string normalized, CancellationToken cancellationToken)
    {
        if (matches.Count > 1)
            return new LookupResult.Ambiguous(matches.Take(CandidateLimit).ToList());
        var incident = await store.GetAsync(matches[0].Slug, cancellationToken);
        return incident is null
            ? new LookupResult.NotFound(normalized, [])
            : new LookupResult.Found(incident);
    }

    private static List<NameMatch> Distinct(IReadOnlyList<NameMatch> matches) =>
        matches.DistinctBy(m => m.Slug).ToList();
}
