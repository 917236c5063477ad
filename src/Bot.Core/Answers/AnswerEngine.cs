using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;

namespace Bot.Core.Answers;

/// <summary>
/// Answers a question with one stored sentence, or abstains. Retrieval (BM25 over passages,
/// widened with synonyms) proposes candidates; each is then judged on how much of the question it
/// covers, weighted by how rare each word is in the store, and on whether it holds the kind of
/// thing asked for (a date for "when", a number for "how many"). Words of the question that the
/// store has never seen weigh most, which is what makes near-miss questions ("which fighter jet
/// shot the balloon down?") abstain instead of answering with a neighbouring fact.
/// </summary>
public sealed partial class AnswerEngine(IPassageIndex index, IIncidentStore incidents, ConversationMemory memory)
{
    /// <summary>Below this share of the question's weight, the best sentence does not answer it.</summary>
    public const double CoverageThreshold = 0.62;
    private const int CandidateCount = 60;
    private const double LightWordFactor = 0.3;
    /// <summary>Above this many postings an any-word search is narrowed to passages holding the two rarest words.</summary>
    private const long BroadSearchPostings = 20_000;
    private const string IDontKnow = "I don't know that from the stored briefings.";

    [GeneratedRegex(@"\b(\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}|(January|February|March|April|May|June|July|August|September|October|November|December)( \d{1,2},)? \d{4}|(early|mid|late|the end of|the start of|the beginning of) \d{4}|(19|20)\d{2})\b")]
    private static partial Regex DatePhrase();

    [GeneratedRegex(@"\b((?:[Aa]t least|[Aa]bout|[Aa]round|[Nn]early|[Aa]lmost|[Mm]ore than|[Oo]ver|[Ss]ome|[Rr]oughly|[Uu]p to) )?(\d[\d,.]*|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens? of|half a dozen))(?:(?:-| )(year|month|day|week|[a-z]+))?\b")]
    private static partial Regex NumberPhrase();

    [GeneratedRegex(@"\b(is|was) (a|an)\b")]
    private static partial Regex IdentityStatement();

    [GeneratedRegex(@"[""“][^""”]{2,}[""”]")]
    private static partial Regex QuotedWords();

    [GeneratedRegex(@"^(19|20)\d{2}\b")]
    private static partial Regex YearLike();

    [GeneratedRegex(@"\b[A-Z][\w’'\-]*(?:\s+(?:of\s+|de\s+|for\s+)?[A-Z][\w’'\-]*)*")]
    private static partial Regex ProperName();

    [GeneratedRegex(@"\b(because|for|after|over|citing|due to|in order to|so that|to avoid|ensure|ensures|to protect|to prevent|since|amid|out of|as a result|purpose|aim of|designed to|intended to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReasonMarker();

    public async Task<Answer> AnswerAsync(string? question, ChatContext context, CancellationToken cancellationToken)
    {
        var (analyzed, _, ranked, focus) = await RankAsync(question ?? string.Empty, context, cancellationToken);
        if (analyzed.Terms.Count == 0)
            return Abstain("Ask me a question about the stored briefings, for example: when was the balloon shot down?", []);

        var best = ranked.Count > 0 ? ranked[0] : null;
        var suggestions = ranked.Select(j => j.Passage.Slug).Concat(focus).Distinct().Take(3).ToList();
        if (best is null || !IsAnswer(best))
            return Abstain(IDontKnow, suggestions);

        var incident = await incidents.GetAsync(best.Passage.Slug, cancellationToken);
        memory.Remember(context, best.Passage.Slug);
        return new Answer
        {
            Answered = true,
            Text = Compose(best),
            IncidentSlug = best.Passage.Slug,
            IncidentTitle = best.Passage.IncidentTitle,
            Source = incident?.Sources.Count > 0 ? IncidentCards.SourceLine(incident.Sources[0]) : null,
            Confidence = Math.Round(Math.Min(1, best.Coverage), 2),
        };
    }

    /// <summary>How one candidate sentence fared; exposed for `bot ask --explain` and tests.</summary>
    public sealed record Judged(Passage Passage, double Coverage, bool HoldsAnswerType, bool NamesWhatIsAsked, double Score, string? Lead, IReadOnlyList<string> Missing);

    public static bool IsAnswer(Judged judged) => judged.Coverage >= CoverageThreshold && judged.HoldsAnswerType && judged.NamesWhatIsAsked;

    /// <summary>The candidates as the engine judged them, best first, with the weight of each question word.</summary>
    public async Task<(AnalyzedQuestion Question, IReadOnlyDictionary<string, double> Weights, IReadOnlyList<Judged> Ranked, IReadOnlySet<string> Focus)> RankAsync(
        string question, ChatContext context, CancellationToken cancellationToken)
    {
        var analyzed = QuestionAnalyzer.Analyze(question);
        if (analyzed.Terms.Count == 0) return (analyzed, new Dictionary<string, double>(), [], new HashSet<string>());

        var mentions = await index.FindMentionedIncidentsAsync(analyzed.Normalized, cancellationToken);
        var mentioned = mentions.Select(m => m.Slug).ToHashSet(StringComparer.Ordinal);
        // A follow-up ("and who recovered it?") is about the incident last discussed in this conversation.
        var focus = mentioned.Count > 0 || memory.LastIncident(context) is not { } remembered
            ? mentioned
            : new HashSet<string>(StringComparer.Ordinal) { remembered };
        var namedStems = mentions
            .GroupBy(m => m.Slug)
            .ToDictionary(g => g.Key, g => g.SelectMany(m => TextNormalizer.Words(m.MatchedName, 300)).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal));

        var (weights, frequencies, total) = await WeighTermsAsync(analyzed, cancellationToken);
        long Frequency(QuestionTerm term) => Lexicon.AlternativeWords(term.Stem).Prepend(term.Word).Max(w => frequencies.GetValueOrDefault(w));

        // Words no passage holds can be covered only by the incident names the question used. When even a
        // sentence holding every other word could not reach the threshold, the answer is "I don't know"
        // without searching at all (the costly part on a large store).
        var named = namedStems.Values.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        var reachable = analyzed.Terms.Where(t => Frequency(t) > 0 || named.Contains(t.Stem)).Sum(t => weights[t.Stem]);
        var hopeless = reachable < CoverageThreshold * weights.Values.Sum() && focus.Count == 0;

        // Words in more than a twentieth of all passages ("china", "us") add little to the ranking and cost the
        // most to rank in a large store; the rarest words are always kept.
        var searchWords = analyzed.SearchWords
            .OrderBy(w => frequencies.GetValueOrDefault(w))
            .Where((w, i) => i < 3 || frequencies.GetValueOrDefault(w) <= total / 20 + 10)
            .ToList();
        // Ranking every passage that holds any of many common words is what is slow on a large store; a good
        // answer holds most of the question, so there the two rarest words the store knows must both appear.
        IReadOnlyList<IReadOnlyList<string>>? allOf = null;
        if (searchWords.Sum(w => frequencies.GetValueOrDefault(w)) > BroadSearchPostings)
        {
            var groups = analyzed.Terms
                .Where(t => Frequency(t) > 0)
                .OrderBy(Frequency)
                .Take(2)
                .Select(t => (IReadOnlyList<string>)Lexicon.AlternativeWords(t.Stem).Prepend(t.Word).Where(w => frequencies.GetValueOrDefault(w) > 0).Distinct().ToList())
                .ToList();
            if (groups.Count == 2) allOf = groups;
        }

        // A hopeless question still gets a few passages of its rarest known words, only to suggest where to look.
        var candidates = hopeless
            ? await index.SearchAsync(searchWords.Where(w => frequencies.GetValueOrDefault(w) > 0).Take(3).ToList(), focus, 10, cancellationToken)
            : await index.SearchAsync(searchWords, focus, CandidateCount, cancellationToken, allOf);
        if (candidates.Count == 0) return (analyzed, weights, [], focus);

        var totalWeight = weights.Values.Sum();
        var bestRank = candidates.Min(c => c.Rank);
        var asked = AskedThing(analyzed);
        var ranked = candidates
            .Where(p => p.Kind != PassageKind.Title)
            .Select(p => Judge(p, analyzed, weights, totalWeight, focus, namedStems.GetValueOrDefault(p.Slug), bestRank, asked))
            .OrderByDescending(j => j.Score)
            .ToList();
        return (analyzed, weights, ranked, focus);
    }

    private static Answer Abstain(string text, IReadOnlyList<string> suggestions) => new()
    {
        Answered = false,
        Text = suggestions.Count == 0 ? text : $"{text} Closest: {string.Join(", ", suggestions.Select(s => "/incident " + s))}",
        Suggestions = suggestions,
        Confidence = 0,
    };

    private static Judged Judge(
        Passage passage, AnalyzedQuestion question, IReadOnlyDictionary<string, double> weights, double totalWeight,
        IReadOnlySet<string> focus, HashSet<string>? namedStems, double bestRank, string? asked)
    {
        var stems = PassageStems(passage);
        var covered = 0.0;
        var missing = new List<string>();
        foreach (var term in question.Terms)
        {
            // Words that named the incident are covered by any of its sentences: "when was Xu Yanjun sentenced" needs no "Xu" in the answer.
            if (term.Alternatives.Any(stems.Contains) || namedStems?.Contains(term.Stem) == true)
                covered += weights[term.Stem];
            else
                missing.Add(term.Word);
        }

        var coverage = totalWeight == 0 ? 0 : covered / totalWeight;
        var lead = LeadPhrase(passage, question);
        var holdsType = question.Type switch
        {
            QuestionType.When or QuestionType.Quantity => lead is not null,
            _ => true,
        };
        var namesAsked = asked is null || NamesTheAskedThing(passage, question, asked);

        var typeBonus = question.Type switch
        {
            QuestionType.Why => ReasonMarker().IsMatch(passage.Text) ? 0.06 : 0,
            QuestionType.Who => passage.Kind is PassageKind.Actor or PassageKind.Quote || lead is not null ? 0.04 : 0,
            _ => holdsType ? 0.1 : 0,
        };
        var kindBonus = passage.Kind switch
        {
            PassageKind.Fact or PassageKind.Event => 0.04,
            // An actor line describes someone; it answers "who" well and other questions poorly.
            PassageKind.Actor when question.Type != QuestionType.Who => -0.03,
            _ => 0.0,
        };
        var identityBonus = question.Terms.Any(t => Lexicon.IdentityNouns.Contains(t.Word)) && IdentityStatement().IsMatch(passage.Text) ? 0.06 : 0.0;
        var wordingBonus = question.Terms.Any(t => Lexicon.WordingNouns.Contains(t.Word)) && QuotedWords().IsMatch(passage.Text) ? 0.06 : 0.0;
        var speakerBonus = SaysWhatTheQuestionAsks(passage, question) ? 0.05 : 0.0;
        var focusBonus = focus.Contains(passage.Slug) ? 0.08 : 0.0;
        var rankBonus = bestRank < 0 ? 0.05 * passage.Rank / bestRank : 0;
        var score = coverage + typeBonus + kindBonus + identityBonus + wordingBonus + speakerBonus + focusBonus + rankBonus + (namesAsked ? 0 : -0.2);
        return new Judged(passage, coverage, holdsType, namesAsked, score, lead, missing);
    }

    /// <summary>
    /// The noun a "which X" or "the name of the X" question asks to identify ("which university",
    /// "the name of the company"), or null for other questions.
    /// </summary>
    private static string? AskedThing(AnalyzedQuestion question)
    {
        var words = question.Normalized.Split(' ');
        for (var i = 0; i < words.Length - 1; i++)
        {
            var start = words[i] == "which" ? i + 1
                : words[i] == "name" && words[i + 1] == "of" ? i + 2
                : -1;
            if (start < 0) continue;
            if (start < words.Length && words[start] is "the" or "a" or "an") start++;
            if (start + 1 < words.Length && words[start] is "kind" or "type" or "sort" && words[start + 1] == "of") start += 2;
            // The asked thing is the last noun of the run of content words: "which missile system" -> "system".
            // A word followed by an article ("recovered the") or ending in -ed closes the run as a verb.
            var run = new List<string>();
            for (var j = start; j < words.Length && run.Count < 3 && !Lexicon.IsStopWord(words[j]); j++)
            {
                var next = j + 1 < words.Length ? words[j + 1] : "";
                if (run.Count > 0 && (next is "the" or "a" or "an" or "its" or "their" or "his" or "her"
                    || words[j].EndsWith("ed", StringComparison.Ordinal) || Stemmer.IsIrregularVerbForm(words[j])))
                    break;
                run.Add(words[j]);
            }

            if (run.Count == 0 || Lexicon.AnswerKindNouns.Contains(run[^1])) return null;
            return Stemmer.Stem(run[^1]);
        }

        return null;
    }

    /// <summary>
    /// True when the sentence puts a proper name next to the thing asked about ("the Atlantic Ocean",
    /// "the US group Raytheon"). "A company linked to the army" does not name the company, and a
    /// sentence without the thing at all does not answer "which X".
    /// </summary>
    private static bool NamesTheAskedThing(Passage passage, AnalyzedQuestion question, string asked)
    {
        var text = passage.Text;
        var alternatives = Lexicon.Alternatives(asked);
        var positions = Regex.Matches(text, @"[\p{L}\p{N}’'\-]+")
            .Where(t => alternatives.Contains(Stemmer.Stem(TextNormalizer.Normalize(t.Value))))
            .Select(t => t.Index)
            .ToList();
        if (positions.Count == 0) return false;
        // "the principle of non-interference", "a group called …": the sentence spells the thing out.
        if (Regex.IsMatch(text, $@"\b{Regex.Escape(asked)}\w*\s+(of|called|named|known as)\s+\p{{L}}", RegexOptions.IgnoreCase)) return true;

        foreach (Match name in ProperName().Matches(text))
        {
            var nameWords = TextNormalizer.Words(name.Value).Select(Stemmer.Stem).ToList();
            // A name holding someone the question already named ("Joe Biden's spokeswoman") names nothing new.
            if (nameWords.Any(w => !IsNationality(w) && !alternatives.Contains(w) && question.Terms.Any(t => t.Stem == w))) continue;
            // What is left once nationalities ("American") and the noun itself are set aside must be a real name.
            var naming = nameWords.Where(w => !IsNationality(w) && !alternatives.Contains(w) && !Lexicon.IsStopWord(w)).ToList();
            if (naming.Count == 0) continue;
            if (positions.Any(p => Math.Abs(p - name.Index) <= 40)) return true;
        }

        return false;
    }

    /// <summary>"China says …" answers "how does Beijing describe …": someone of the question reporting something.</summary>
    private static bool SaysWhatTheQuestionAsks(Passage passage, AnalyzedQuestion question)
    {
        var words = TextNormalizer.Words(passage.Text, 2000);
        for (var i = 0; i + 1 < words.Length; i++)
        {
            if (!Lexicon.ReportingVerbs.Contains(words[i + 1])) continue;
            var stem = Stemmer.Stem(words[i]);
            if (question.Terms.Any(t => !Lexicon.LightWords.Contains(t.Word) && t.Alternatives.Contains(stem))) return true;
        }

        return false;
    }

    private static bool IsNationality(string stem) =>
        Lexicon.Alternatives(stem).Count > 1 && Lexicon.Alternatives(stem).Intersect(["china", "usa", "franc", "uk", "australia", "netherland", "czech"]).Any();

    private static bool IsNameLike(string word) => word.Length > 1 && word.Skip(1).Any(char.IsUpper) || !Lexicon.IsStopWord(word.ToLowerInvariant());

    /// <summary>The phrase that answers the question's type, chosen nearest to the question's own words.</summary>
    private static string? LeadPhrase(Passage passage, AnalyzedQuestion question)
    {
        switch (question.Type)
        {
            case QuestionType.When:
                return passage.Date is { } date ? date.ToDisplayString() : Nearest(DatePhrase().Matches(passage.Text), passage.Text, question);
            case QuestionType.Quantity:
                return Nearest(NumberPhrase().Matches(passage.Text).Where(m => !YearLike().IsMatch(m.Groups[2].Value)), passage.Text, question);
            case QuestionType.Who:
            case QuestionType.Where:
                var names = ProperName().Matches(passage.Text)
                    .Where(m => !TextNormalizer.Words(m.Value).All(w => question.Terms.Any(t => t.Alternatives.Contains(Stemmer.Stem(w)))))
                    .Where(m => m.Index > 0 || m.Value.Contains(' ', StringComparison.Ordinal));
                return Nearest(names, passage.Text, question);
            default:
                return null;
        }
    }

    private static string? Nearest(IEnumerable<Match> matches, string text, AnalyzedQuestion question)
    {
        string? best = null;
        var bestScore = double.MinValue;
        var words = TextNormalizer.Words(text, 2000);
        foreach (var match in matches)
        {
            // Words near the phrase that the question also uses pull it ahead of other phrases in the sentence.
            var position = TextNormalizer.Words(text[..match.Index], 2000).Length;
            var window = words.Skip(Math.Max(0, position - 5)).Take(12).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
            var score = question.Terms.Count(t => t.Alternatives.Any(window.Contains)) - position * 0.01;
            if (score > bestScore)
            {
                bestScore = score;
                best = match.Value.Trim();
            }
        }

        return best;
    }

    private static string Compose(Judged best)
    {
        var sentence = best.Passage.Text;
        if (best.Lead is null || sentence.StartsWith(best.Lead, StringComparison.OrdinalIgnoreCase)) return sentence;
        return $"{char.ToUpperInvariant(best.Lead[0])}{best.Lead[1..]} — {sentence}";
    }

    private static HashSet<string> PassageStems(Passage passage)
    {
        var text = passage.Text;
        return QuestionAnalyzer.Analyze(text).Terms.Select(t => t.Stem)
            .Concat(TextNormalizer.Words(text, 4000).Select(Stemmer.Stem))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Inverse document frequency of each question word, counting its synonyms as the same word.</summary>
    private async Task<(Dictionary<string, double> Weights, IReadOnlyDictionary<string, long> Frequencies, long Total)> WeighTermsAsync(
        AnalyzedQuestion question, CancellationToken cancellationToken)
    {
        var words = question.Terms.SelectMany(t => Lexicon.AlternativeWords(t.Stem).Prepend(t.Word)).Distinct(StringComparer.Ordinal).ToList();
        var statistics = await index.GetTermStatisticsAsync(words, cancellationToken);
        var n = Math.Max(1, statistics.PassageCount);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in question.Terms)
        {
            var df = Lexicon.AlternativeWords(term.Stem).Prepend(term.Word)
                .Select(w => statistics.DocumentFrequencies.GetValueOrDefault(w))
                .Max();
            var weight = Math.Log((n + 1.0) / (df + 0.5));
            var light = Lexicon.LightWords.Contains(term.Word) || Lexicon.AnswerKindNouns.Contains(term.Word);
            weights[term.Stem] = light ? weight * LightWordFactor : weight;
        }

        return (weights, statistics.DocumentFrequencies, statistics.PassageCount);
    }
}
