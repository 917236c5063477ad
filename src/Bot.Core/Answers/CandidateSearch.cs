namespace Bot.Core.Answers;

/// <summary>A passage proposed for judging, with where each search ranked it (1 = best; null = not found by it).</summary>
public sealed record Candidate(Passage Passage, int? LexicalRank, int? VectorRank, double Similarity, double Fused);

/// <summary>
/// Candidate search: full text (BM25 over the question's words and their synonyms) and meaning (the
/// nearest passage vectors to the question's vector), merged by reciprocal rank fusion so a passage
/// either search ranks well is heard. Full text alone when embeddings are off, the model is still
/// loading, or a passage has no vector yet.
/// </summary>
public sealed class CandidateSearch(IPassageIndex index, PassageVectorSearch vectors, IPassageVectorStore vectorStore, ITextEmbedder embedder)
{
    public const int LexicalCount = 60;
    public const int VectorCount = 40;
    /// <summary>The usual constant of reciprocal rank fusion: ranks 1 and 5 differ, ranks 40 and 45 hardly.</summary>
    private const int FusionK = 60;
    /// <summary>
    /// Above this many postings an any-word search is narrowed to its rarest words. Ranking costs SQLite about two
    /// microseconds a passage: a thousand keep the full-text part of a question to a few milliseconds at any size.
    /// </summary>
    private const long BroadSearchPostings = 1_000;
    /// <summary>The full-text search ranks this many times more than it keeps, so near-copies can be passed over.</summary>
    private const int LexicalOverfetch = 4;

    /// <summary>True when this search can use vectors now (embeddings on and the model loaded).</summary>
    public bool UsesVectors => vectors.IsAvailable;

    public async Task<IReadOnlyList<Candidate>> FindAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var lexical = await LexicalAsync(request, cancellationToken);
        IReadOnlyList<(long Id, float Similarity)> nearest = [];
        float[]? query = null;
        if (UsesVectors && request.QuestionText.Length > 0)
        {
            query = embedder.EmbedQuery(request.QuestionText);
            nearest = await vectors.SearchAsync(query, VectorCount, cancellationToken, NearCopies.SameFrom);
        }

        // Vectors of the full-text finds: their similarity to the question, and which of them are copies of one another.
        // Copies within one incident are its own ways of saying a thing, each worth hearing; only other incidents' are thinned.
        var stored = query is null
            ? new Dictionary<long, float[]>()
            : await vectorStore.GetAsync(embedder.ModelName, lexical.Select(p => p.Id).Distinct().ToList(), cancellationToken);
        var gists = new Dictionary<long, string>();
        string Gist(Passage p) => gists.TryGetValue(p.Id, out var gist) ? gist : gists[p.Id] = NearCopies.Gist(p.Text);
        bool Same(Passage a, Passage b) => a.Slug != b.Slug && (stored.TryGetValue(a.Id, out var u) && stored.TryGetValue(b.Id, out var v)
            ? Dot(u, v) >= NearCopies.SameFrom
            : Gist(a) == Gist(b));
        var ranked = NearCopies.Thin(lexical.Where(p => p.Rank < 0).OrderBy(p => p.Rank).DistinctBy(p => p.Id), LexicalCount, Same);
        var lexicalRanks = new Dictionary<long, int>();
        for (var i = 0; i < ranked.Count; i++) lexicalRanks.Add(ranked[i].Id, i + 1);
        var vectorRanks = new Dictionary<long, (int Rank, float Similarity)>();
        for (var i = 0; i < nearest.Count; i++) vectorRanks.TryAdd(nearest[i].Id, (i + 1, nearest[i].Similarity));

        // The incident the question is about is heard whole (unranked passages); of the rest, what either search kept.
        var passages = lexical
            .Where(p => p.Kind != PassageKind.Title && (request.Focus.Contains(p.Slug) || lexicalRanks.ContainsKey(p.Id)))
            .DistinctBy(p => p.Id).ToDictionary(p => p.Id);
        var onlyNear = vectorRanks.Keys.Where(id => !passages.ContainsKey(id)).ToList();
        foreach (var passage in await index.GetPassagesAsync(onlyNear, cancellationToken))
            if (passage.Kind != PassageKind.Title) passages[passage.Id] = passage;

        // Passages the full-text search found but the vector search did not rank still get their true similarity.
        var similarities = vectorRanks.ToDictionary(p => p.Key, p => (double)p.Value.Similarity);
        if (query is not null)
            foreach (var id in passages.Keys)
                if (!similarities.ContainsKey(id) && stored.TryGetValue(id, out var vector)) similarities[id] = Dot(query, vector);

        return passages.Values.Select(p =>
        {
            int? lexicalRank = lexicalRanks.TryGetValue(p.Id, out var l) ? l : null;
            int? vectorRank = vectorRanks.TryGetValue(p.Id, out var v) ? v.Rank : null;
            var fused = (lexicalRank is { } lr ? 1.0 / (FusionK + lr) : 0) + (vectorRank is { } vr ? 1.0 / (FusionK + vr) : 0);
            return new Candidate(p, lexicalRank, vectorRank, similarities.GetValueOrDefault(p.Id, double.NaN), fused);
        }).OrderByDescending(c => c.Fused).ToList();
    }

    private async Task<IReadOnlyList<Passage>> LexicalAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var frequencies = request.Frequencies;
        var analyzed = request.Question;
        long Frequency(QuestionTerm term) => Lexicon.AlternativeWords(term.Stem).Prepend(term.Word).Max(w => frequencies.GetValueOrDefault(w));

        // Words in more than a twentieth of all passages ("china", "us") add little to the ranking and cost the
        // most to rank in a large store; the rarest words are always kept.
        var searchWords = analyzed.SearchWords
            .OrderBy(w => frequencies.GetValueOrDefault(w))
            .Where((w, i) => i < 3 || frequencies.GetValueOrDefault(w) <= request.PassageCount / 20 + 10)
            .ToList();
        // Ranking every passage that holds any of many common words is what is slow on a large store. There the
        // search keeps the rarest words while their passages stay few: the answer nearly always holds one of them,
        // and the common words would only rank it among thousands. Should even the two rarest be common, both must appear.
        IReadOnlyList<IReadOnlyList<string>>? allOf = null;
        if (searchWords.Sum(w => frequencies.GetValueOrDefault(w)) > BroadSearchPostings)
        {
            var rare = new List<string>();
            var postings = 0L;
            foreach (var word in searchWords.Where(w => frequencies.GetValueOrDefault(w) > 0))
            {
                postings += frequencies.GetValueOrDefault(word);
                if (postings > BroadSearchPostings) break;
                rare.Add(word);
            }

            if (rare.Count >= 2)
            {
                searchWords = rare;
            }
            else
            {
                var groups = analyzed.Terms
                    .Where(t => Frequency(t) > 0)
                    .OrderBy(Frequency)
                    .Take(2)
                    .Select(t => (IReadOnlyList<string>)Lexicon.AlternativeWords(t.Stem).Prepend(t.Word).Where(w => frequencies.GetValueOrDefault(w) > 0).Distinct().ToList())
                    .ToList();
                if (groups.Count == 2) allOf = groups;
            }
        }

        // A hopeless question still gets a few passages of its rarest known words, only to suggest where to look.
        return request.Hopeless && !UsesVectors
            ? await index.SearchAsync(searchWords.Where(w => frequencies.GetValueOrDefault(w) > 0).Take(3).ToList(), request.Focus, 10, cancellationToken)
            : await index.SearchAsync(searchWords, request.Focus, LexicalCount * LexicalOverfetch, cancellationToken, allOf);
    }

    private static double Dot(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.NaN;
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}

/// <summary>What candidate search needs to know about a question.</summary>
public sealed record SearchRequest(
    AnalyzedQuestion Question,
    string QuestionText,
    IReadOnlyDictionary<string, long> Frequencies,
    long PassageCount,
    IReadOnlySet<string> Focus,
    bool Hopeless);
