using System.Text;
using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;

namespace Bot.Core.Answers;

/// <summary>
/// Answers a question from the stored sentences, or says honestly that it cannot. The steps are
/// separate pieces: the question is tidied (<see cref="ChatWording"/>) and its misspelt names put
/// right (<see cref="TypoResolver"/>); <see cref="CandidateSearch"/> proposes sentences by words and
/// by meaning; <see cref="PassageJudge"/> picks the one that answers and decides whether it does;
/// <see cref="PhraseExtractor"/> puts the date, number, name or place asked for first.
/// </summary>
public sealed partial class AnswerEngine(
    IPassageIndex index, IIncidentStore incidents, ConversationMemory memory, CandidateSearch search, CommandNames names, IEnglishWords? english = null)
{
    private const string IDontKnow = "I don't know that from the stored briefings.";
    private const string Help = "Ask me a question about the stored briefings, for example: when was the balloon shot down?";
    private const double LightWordFactor = 0.3;

    /// <summary>How much lower a sentence in which the asked side speaks may score and still go before one in which it does not.</summary>
    private const double SpeakerMargin = 0.25;

    public async Task<Answer> AnswerAsync(string? question, ChatContext context, CancellationToken cancellationToken)
    {
        var reading = await ReadAsync(question ?? string.Empty, context, cancellationToken);
        if (reading.Question.Terms.Count == 0) return Unknown(Help, []);

        var suggestions = reading.Ranked.Select(j => j.Passage.Slug).Concat(reading.Focus).Distinct().Take(3).ToList();
        var best = reading.Ranked.Count > 0 ? reading.Ranked[0] : null;
        var level = best is null ? AnswerLevel.Unknown : PassageJudge.Decide(best, reading.WithVectors);
        if (best is null || level == AnswerLevel.Unknown) return Unknown(IDontKnow, suggestions);
        if (level == AnswerLevel.Closest) return Closest(reading.Ranked, suggestions);

        var incident = await incidents.GetAsync(best.Passage.Slug, cancellationToken);
        await memory.RememberAsync(context, best.Passage.Slug, cancellationToken);
        return new Answer
        {
            Answered = true,
            Level = AnswerLevel.Confident,
            Text = Compose(best),
            Phrase = best.Phrase,
            Sentence = best.Passage.Text,
            IncidentSlug = best.Passage.Slug,
            IncidentTitle = best.Passage.IncidentTitle,
            Source = best.Passage.Citation ?? (incident?.Sources.Count > 0 ? IncidentCards.SourceLine(incident.Sources[0]) : null),
            Confidence = Math.Round(Math.Clamp(best.Score / 2, 0, 1), 2),
        };
    }

    /// <summary>How the engine read a question and judged the candidates, best first (for <c>bot ask --explain</c> and tests).</summary>
    public sealed record Reading(
        AnalyzedQuestion Question,
        IReadOnlyList<TypoResolver.Correction> Corrections,
        IReadOnlyDictionary<string, double> Weights,
        IReadOnlyList<Judgement> Ranked,
        IReadOnlySet<string> Focus,
        bool WithVectors);

    public async Task<Reading> ReadAsync(string question, ChatContext context, CancellationToken cancellationToken)
    {
        var clipped = Clean(question.Length > QuestionAnalyzer.MaxQuestionLength ? question[..QuestionAnalyzer.MaxQuestionLength] : question);
        var tidy = ChatWording.Tidy(clipped);
        var first = QuestionAnalyzer.Analyze(tidy);
        var withVectors = search.UsesVectors;
        if (first.Terms.Count == 0) return new Reading(first, [], new Dictionary<string, double>(), [], new HashSet<string>(), withVectors);

        var vocabulary = await index.GetVocabularyAsync(cancellationToken);
        var corrections = TypoResolver.Resolve(first.Normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries), vocabulary, english ?? EnglishWords.None);
        var corrected = Correct(tidy, corrections);
        var analyzed = corrections.Count == 0 ? first : QuestionAnalyzer.Analyze(corrected);

        var mentions = await index.FindMentionedIncidentsAsync(analyzed.Normalized, cancellationToken);
        var mentioned = mentions.Select(m => m.Slug).ToHashSet(StringComparer.Ordinal);
        // A follow-up ("and who recovered it?") is about the incident last discussed in this conversation.
        // Only such a question costs a read of the store.
        var focus = mentioned.Count > 0 || !analyzed.RefersBack || await memory.LastIncidentAsync(context, cancellationToken) is not { } remembered
            ? mentioned
            : new HashSet<string>(StringComparer.Ordinal) { remembered };
        var namedStems = mentions
            .GroupBy(m => m.Slug)
            .ToDictionary(g => g.Key, g => g.SelectMany(m => TextNormalizer.Words(m.MatchedName, 300)).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal));

        var (weights, frequencies, total) = await WeighTermsAsync(analyzed, cancellationToken);
        long Frequency(QuestionTerm term) => Lexicon.AlternativeWords(term.Stem).Prepend(term.Word).Max(w => frequencies.GetValueOrDefault(w));

        // Words no passage holds can be covered only by the incident names the question used. When even a
        // sentence holding every other word could not answer, the full-text search only looks for suggestions.
        var named = namedStems.Values.SelectMany(n => n).ToHashSet(StringComparer.Ordinal);
        var reachable = analyzed.Terms.Where(t => Frequency(t) > 0 || named.Contains(t.Stem)).Sum(t => weights[t.Stem]);
        var hopeless = reachable < PassageJudge.CoverageThreshold * weights.Values.Sum() && focus.Count == 0;

        var candidates = await search.FindAsync(new SearchRequest(analyzed, corrected, frequencies, total, focus, hopeless), cancellationToken);
        var unknown = analyzed.Terms
            .Where(t => Frequency(t) == 0 && !named.Contains(t.Stem) && !Lexicon.LightWords.Contains(t.Word) && !Lexicon.AnswerKindNouns.Contains(t.Word))
            .Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        var candidateStems = new Dictionary<Passage, HashSet<string>>(ReferenceEqualityComparer.Instance);
        foreach (var candidate in candidates) candidateStems.TryAdd(candidate.Passage, PassageJudge.PassageStems(candidate.Passage));
        var incidentStems = candidateStems.GroupBy(p => p.Key.Slug)
            .ToDictionary(g => g.Key, g => g.SelectMany(p => p.Value).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var facts = new QuestionFacts(analyzed, weights, focus, namedStems, PassageJudge.AskedThing(analyzed, named))
        {
            UnknownStems = unknown,
            IncidentStems = incidentStems,
            Actors = candidates.Select(c => ActorDescription.Of(c.Passage)).OfType<ActorDescription>().DistinctBy(a => a.Name).ToList(),
            CandidateStems = candidateStems,
        };
        var ranked = candidates
            .Select(c => PassageJudge.Judge(c, facts, withVectors))
            // Where only a sentence of one sort can answer (a reason, a full name), it goes first. Not for "which other …":
            // further down, some sentence always names somebody new, and seldom the one asked for.
            .OrderByDescending(j => (analyzed.Type != QuestionType.Why && analyzed.Acronym is null && analyzed.SubjectDeed is null) || j.HoldsKind)
            .ThenByDescending(j => j.Score)
            .ToList();
        // What one side claims or how it reacted ("how does Beijing describe …", "how did Beijing respond"): the other side's words
        // do not tell it, so a sentence in which Beijing speaks goes first when it is nearly as close. Not one much further off:
        // in a large store some sentence always has someone Chinese deny something.
        if ((facts.ClaimantStems is not null || facts.ReactingStems is not null) && ranked.Count > 1 && !ranked[0].HoldsKind
            && ranked.FirstOrDefault(j => j.HoldsKind) is { } speaking && speaking.Score >= ranked[0].Score - SpeakerMargin)
        {
            ranked.Remove(speaking);
            ranked.Insert(0, speaking);
        }

        return new Reading(analyzed, corrections, weights, ranked, focus, withVectors);
    }

    private Answer Unknown(string text, IReadOnlyList<string> suggestions) => new()
    {
        Answered = false,
        Level = AnswerLevel.Unknown,
        Text = suggestions.Count == 0 ? text : $"{text} Closest: {string.Join(", ", suggestions.Select(s => names.Slash("incident", s)))}",
        Suggestions = suggestions,
        Confidence = 0,
    };

    private static Answer Closest(IReadOnlyList<Judgement> ranked, IReadOnlyList<string> suggestions)
    {
        var closest = ranked
            .DistinctBy(j => j.Passage.Text)
            .Take(2)
            .Where((j, i) => i == 0 || j.Score >= PassageJudge.ConfidentScore)
            .Select(j => new ClosestSentence(j.Passage.Text, j.Passage.Slug, j.Passage.IncidentTitle))
            .ToList();
        var lines = string.Join(" ", closest.Select(c => $"“{c.Text}” ({c.IncidentTitle})"));
        return new Answer
        {
            Answered = false,
            Level = AnswerLevel.Closest,
            Text = $"I'm not sure, but the closest I have is: {lines}",
            Closest = closest,
            Suggestions = closest.Select(c => c.IncidentSlug).Concat(suggestions).Distinct().Take(3).ToList(),
            Confidence = 0,
        };
    }

    private static string Compose(Judgement best)
    {
        var sentence = best.Passage.Text;
        if (best.Phrase is null || sentence.StartsWith(best.Phrase, StringComparison.OrdinalIgnoreCase)) return sentence;
        return $"{char.ToUpperInvariant(best.Phrase[0])}{best.Phrase[1..]} — {sentence}";
    }

    /// <summary>Lone surrogates and control characters say nothing and upset the tokenizers; they are dropped.</summary>
    private static string Clean(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunesLenient())
            if (!Rune.IsControl(rune) || rune.Value is '\n' or '\t') builder.Append(rune.ToString());
        return builder.ToString();
    }

    private static string Correct(string text, IReadOnlyList<TypoResolver.Correction> corrections)
    {
        foreach (var correction in corrections)
            text = Regex.Replace(text, $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(correction.Typed)}(?![\p{{L}}\p{{N}}])", correction.Known, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return text;
    }

    /// <summary>Inverse document frequency of each question word, counting its synonyms as the same word.</summary>
    private async Task<(Dictionary<string, double> Weights, IReadOnlyDictionary<string, long> Frequencies, long Total)> WeighTermsAsync(
        AnalyzedQuestion question, CancellationToken cancellationToken)
    {
        // The question's own words first: the store counts a limited number per question, and a word left uncounted would look unknown.
        var words = question.Terms.Select(t => t.Word)
            .Concat(question.Terms.SelectMany(t => Lexicon.AlternativeWords(t.Stem)))
            .Distinct(StringComparer.Ordinal).ToList();
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

internal static class RuneText
{
    /// <summary>Runes of a string, lone surrogates skipped instead of replaced.</summary>
    public static IEnumerable<Rune> EnumerateRunesLenient(this string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Rune.TryGetRuneAt(text, i, out var rune))
            {
                yield return rune;
                if (rune.Utf16SequenceLength == 2) i++;
            }
        }
    }
}
