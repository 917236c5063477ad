using Bot.Core.Incidents;
using Bot.Core.Text;

namespace Bot.Core.Feeds;

/// <summary>
/// Which incidents an item is about: the feed's own incident, and every incident whose title, alias or
/// (multi-word) slug the item's title or summary names word for word, or one of whose actors it names
/// when no other incident has that actor ("Raytheon" says wei-sun; "China" says nothing on its own).
/// Items that match nothing go to triage. Names are held in memory and refreshed as incidents change.
/// </summary>
public sealed class FeedItemLinker(IIncidentStore incidents, TimeProvider time) : IDisposable
{
    /// <summary>Longest name, in words, looked for in an item.</summary>
    private const int MaxNameWords = 8;
    private const int MaxTextLength = 2_400;
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, IncidentNames> _bySlug = new(StringComparer.Ordinal);
    private NameTable _table = NameTable.Empty;
    private int _count = -1;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    public async Task<IReadOnlyList<string>> LinkAsync(FeedItem item, Feed feed, CancellationToken cancellationToken)
    {
        var table = await RefreshAsync(cancellationToken);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        if (feed.IncidentSlug is { } own) found.Add(own);
        found.UnionWith(table.Match(item.Title + " . " + item.Summary));
        return [.. found];
    }

    /// <summary>The incidents a text names, for tests and the held-out measurement.</summary>
    public async Task<IReadOnlyList<string>> MatchAsync(string text, CancellationToken cancellationToken) =>
        [.. (await RefreshAsync(cancellationToken)).Match(text).Order(StringComparer.Ordinal)];

    private async Task<NameTable> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            var count = (await incidents.GetStatsAsync(cancellationToken)).Incidents;
            if (count != _count || count < _bySlug.Count)
            {
                _bySlug.Clear();
                for (var offset = 0; ; offset += 500)
                {
                    var slugs = await incidents.ListSlugsAsync(offset, 500, cancellationToken);
                    foreach (var slug in slugs)
                        if (await incidents.GetAsync(slug, cancellationToken) is { } incident) _bySlug[slug] = IncidentNames.Of(incident);
                    if (slugs.Count < 500) break;
                }

                (_count, _checkedAt, _table) = (count, now - ClockSlack, NameTable.Build(_bySlug.Values));
                return _table;
            }

            var changed = await incidents.ChangedSinceAsync(_checkedAt, 1_000, cancellationToken);
            if (changed.Count == 0) return _table;
            foreach (var summary in changed)
            {
                if (await incidents.GetAsync(summary.Slug, cancellationToken) is { } incident) _bySlug[summary.Slug] = IncidentNames.Of(incident);
                else _bySlug.Remove(summary.Slug);
            }

            (_checkedAt, _table) = (now - ClockSlack, NameTable.Build(_bySlug.Values));
            return _table;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private sealed record IncidentNames(string Slug, IReadOnlyList<string> Names, IReadOnlyList<string> Actors)
    {
        public static IncidentNames Of(Incident incident)
        {
            var names = new List<string> { incident.Title };
            names.AddRange(incident.Aliases);
            // "balloon" alone would take every hot-air balloon; "police-stations" is a name.
            if (incident.Slug.Contains('-', StringComparison.Ordinal)) names.Add(incident.Slug.Replace('-', ' '));
            var actors = new List<string>();
            foreach (var actor in incident.Actors)
            {
                // "Federal Communications Commission (FCC)": both the name and the short form.
                var open = actor.Name.IndexOf('(', StringComparison.Ordinal);
                if (open < 0)
                {
                    actors.Add(actor.Name);
                    continue;
                }

                actors.Add(actor.Name[..open]);
                var close = actor.Name.IndexOf(')', open);
                if (close > open + 1 && actor.Name[(open + 1)..close] is var inner && !inner.Contains(' ', StringComparison.Ordinal)) actors.Add(inner);
            }

            return new IncidentNames(incident.Slug, Keys(names), Keys(actors));
        }

        private static List<string> Keys(IEnumerable<string> names) =>
            names.Select(n => TextNormalizer.Normalize(n, 300)).Where(k => k.Length >= 2 && k.Split(' ').Length <= MaxNameWords).Distinct().ToList();
    }

    private sealed class NameTable
    {
        public static readonly NameTable Empty = new([], []);

        private readonly Dictionary<string, string[]> _names;
        private readonly Dictionary<string, string> _actors;

        private NameTable(Dictionary<string, string[]> names, Dictionary<string, string> actors) => (_names, _actors) = (names, actors);

        public static NameTable Build(IEnumerable<IncidentNames> incidents)
        {
            var names = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var actors = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var incident in incidents)
            {
                foreach (var name in incident.Names) Add(names, name, incident.Slug);
                foreach (var actor in incident.Actors) Add(actors, actor, incident.Slug);
            }

            // An actor of several incidents cannot say which one an item is about.
            return new NameTable(
                names.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
                actors.Where(p => p.Value.Count == 1).ToDictionary(p => p.Key, p => p.Value.First(), StringComparer.Ordinal));

            static void Add(Dictionary<string, HashSet<string>> into, string key, string slug)
            {
                if (!into.TryGetValue(key, out var slugs)) into[key] = slugs = new HashSet<string>(StringComparer.Ordinal);
                slugs.Add(slug);
            }
        }

        /// <summary>Every run of up to <see cref="MaxNameWords"/> words of the text, looked up whole.</summary>
        public HashSet<string> Match(string text)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            if (_names.Count == 0 && _actors.Count == 0) return found;
            var words = TextNormalizer.Words(text, MaxTextLength);
            for (var start = 0; start < words.Length; start++)
            {
                var phrase = "";
                for (var length = 1; length <= MaxNameWords && start + length <= words.Length; length++)
                {
                    phrase = length == 1 ? words[start] : phrase + " " + words[start + length - 1];
                    if (_names.TryGetValue(phrase, out var slugs)) found.UnionWith(slugs);
                    if (_actors.TryGetValue(phrase, out var slug)) found.Add(slug);
                }
            }

            return found;
        }
    }
}
