using System.Text.RegularExpressions;
using Bot.Core.Text;

namespace Bot.Core.Answers;

/// <summary>What the judge knows about the question when it weighs one candidate.</summary>
public sealed record QuestionFacts(
    AnalyzedQuestion Question,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlySet<string> Focus,
    IReadOnlyDictionary<string, HashSet<string>> NamedStems,
    string? AskedThing)
{
    /// <summary>
    /// For each incident among the candidates, the stems of its candidate sentences: a question that describes a person by what
    /// they did ("the guy who came over to study and fed the spies info — how long did he get") and asks for something else.
    /// </summary>
    public IReadOnlyDictionary<string, HashSet<string>> IncidentStems { get; init; } = new Dictionary<string, HashSet<string>>();

    /// <summary>
    /// What the candidate actor lines say each actor is ("Huawei" → Chinese telecoms giant, network equipment): a question that
    /// describes someone instead of naming them ("the big Chinese telecom-gear maker") is about any sentence that names them.
    /// </summary>
    public IReadOnlyList<ActorDescription> Actors { get; init; } = [];

    /// <summary>Each candidate's stems, read once per question: the judge and <see cref="IncidentStems"/> both need them.</summary>
    public IReadOnlyDictionary<Passage, HashSet<string>> CandidateStems { get; init; } = new Dictionary<Passage, HashSet<string>>();

    /// <summary>The first content word after the question word ("who OWNS the app that …"): what is asked, never scene.</summary>
    public string? AskedStem { get; } = PassageJudge.AskedStemOf(Question);

    /// <summary>"Who built …", "who shot it down": the stem of the deed a "who" asks the doer of, or null.</summary>
    public string? WhoDid { get; } = PassageJudge.WhoDidOf(Question);

    /// <summary>Stems of the question's content words that no passage of the store holds (nor a synonym of them).</summary>
    public IReadOnlySet<string> UnknownStems { get; init; } = new HashSet<string>();

    public double TotalWeight { get; } = Weights.Values.Sum();

    /// <summary>
    /// "When was Xu Yanjun arrested", and the store never says "arrested": whatever date a sentence gives is of something else.
    /// Only the verb closing the question ("… arrested", "… launched from China") is what happened then ("when were sailors
    /// photographed recovering it" asks the recovery). When the question names its incident, that incident's candidate
    /// sentences are what counts: in a large store some other incident always says "arrested". Not for the moment something
    /// became known ("when were the export controls announced", "when was the campaign discovered"): the date an incident
    /// gives is that moment, in whatever words.
    /// </summary>
    public bool AsksDateOfUnknownEvent => asksDateOfUnknownEvent ??= Question.Type == QuestionType.When
        && PassageJudge.ClosingVerb(Question.Normalized.Split(' ')) is { } verb
        && Question.Terms.Any(t => t.Word == verb
            && (UnknownStems.Contains(t.Stem) || !Lexicon.DisclosureVerbs.Contains(verb) && !Lexicon.ReportingVerbs.Contains(verb) && !FocusHolds(t)));

    /// <summary>Whether a candidate sentence of an incident the question names holds the term (true when it names none).</summary>
    private bool FocusHolds(QuestionTerm term) =>
        Focus.Count == 0
        || Focus.Any(slug => IncidentStems.GetValueOrDefault(slug) is { } held && (held.Contains(term.Stem) || term.Alternatives.Any(held.Contains)));

    // Read once per question, not once per candidate; it needs UnknownStems, which is set after construction.
    private bool? asksDateOfUnknownEvent;

    /// <summary>The weight of the question's words in a clause that only says whom it is about.</summary>
    public double DescribedWeight { get; } = Question.Terms.Where(t => Question.Described.Contains(t.Stem)).Sum(t => Weights.GetValueOrDefault(t.Stem));

    /// <summary>"What was on the laptop": the contents of something are asked.</summary>
    public bool AsksContents { get; } = PassageJudge.AsksContents(Question);

    /// <summary>The stem of an outcome still to come ("what will the inquiry conclude" → conclud), or null.</summary>
    public string? OutcomeStem { get; } = PassageJudge.OutcomeAsked(Question);

    /// <summary>"Who is the chair of the FCC", "who is the chief executive of Huawei": a title one person holds is asked.</summary>
    public bool AsksTitleHolder { get; } = AskedThing is not null && Question.Type == QuestionType.Who && PassageJudge.TitleStems.Contains(AskedThing);

    /// <summary>The stems by which a sentence names the asked thing (read once per question).</summary>
    public IReadOnlyList<string> AskedThingAlternatives => askedThingAlternatives ??= PassageJudge.AlternativesOfAskedThing(Question, AskedThing, AsksTitleHolder);

    private IReadOnlyList<string>? askedThingAlternatives;

    /// <summary>"Apart from Huawei, which …", "which other …": only a sentence naming something new answers.</summary>
    public bool AsksForAnother { get; } = PassageJudge.AsksForAnother(Question);

    /// <summary>"What are the names of the four suspects", "what's the company called": only a sentence naming someone new answers.</summary>
    public bool AsksForNames { get; } = PassageJudge.AsksForNames(Question);

    /// <summary>"What aircraft or missile was used …": the stems of the instrument asked for, each with its synonyms, or null.</summary>
    public IReadOnlyList<IReadOnlySet<string>>? WhatNouns { get; } = PassageJudge.WhatNounsOf(Question);

    /// <summary>For "how did X respond": the stems by which X may appear in an answer (its synonyms too), or null.</summary>
    public IReadOnlySet<string>? ReactingStems { get; } = PassageJudge.ReactingOf(Question);

    /// <summary>For "what purpose did Beijing claim …": the stems by which the one claiming may speak in an answer, or null.</summary>
    public IReadOnlySet<string>? ClaimantStems { get; } = PassageJudge.ClaimantOf(Question);

    /// <summary>
    /// <see cref="ReactingStems"/> and the names of the actors the question describes instead of naming: "how did the camera
    /// maker defend itself" is answered by Hikvision speaking, whose actor line says it is a camera maker.
    /// </summary>
    public IReadOnlySet<string>? ReactingSide => reactingSide ??= PassageJudge.WithDescribedActors(ReactingStems, PassageJudge.Side(PassageJudge.ReactionMatch(Question)), Actors);

    /// <summary>As <see cref="ReactingSide"/>, for the one claiming.</summary>
    public IReadOnlySet<string>? ClaimantSide => claimantSide ??= PassageJudge.WithDescribedActors(ClaimantStems, PassageJudge.Side(PassageJudge.ClaimMatch(Question)), Actors);

    // Read once per question; they need Actors, which is set after construction.
    private IReadOnlySet<string>? reactingSide;
    private IReadOnlySet<string>? claimantSide;
}

/// <summary>An actor line's name, the shorter name a sentence may use for it, and the stems of what the line says it is.</summary>
public sealed record ActorDescription(string Name, string ShortName, IReadOnlySet<string> Stems)
{
    /// <summary>"Marc Julienne: Head of China activities at …": the name before the colon and what follows it, or null for another kind of line.</summary>
    public static ActorDescription? Of(Passage passage)
    {
        if (passage.Kind != PassageKind.Actor) return null;
        var colon = passage.Text.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0) return null;
        var name = passage.Text[..colon].Trim();
        // "Marc Julienne" is often just "Julienne"; a name's last word stands for it only when it is long enough to be a name.
        var last = name.Split(' ')[^1];
        var shortName = last.Length >= 4 && char.IsUpper(last[0]) ? last : name;
        var identity = Identity(passage.Text[(colon + 2)..]);
        return identity.Length == 0 ? null : new ActorDescription(name, shortName, PassageJudge.TextStems(identity));
    }

    /// <summary>
    /// What the actor is, not what it did: "Chinese intelligence officer convicted of …" → "Chinese intelligence officer";
    /// "Says the balloon was built by …" → nothing. What an actor did is a fact about something else, and crediting it to
    /// every sentence naming the actor would let them answer for it.
    /// </summary>
    private static string Identity(string role)
    {
        var words = role.Split(';', 2)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // "Some fear ByteDance …", "Its sailors recovered …" are about others than the actor.
        if (words.Length == 0 || words[0] is "Some" or "Its" || IsVerb(words[0]) && !Lexicon.PersonNouns.Contains(words[0].ToLowerInvariant().TrimEnd('s'))) return "";
        var end = 1;
        while (end < words.Length && words[end] is not ("who" or "whose" or "that" or "which") && !IsVerb(words[end])) end++;
        return string.Join(' ', words[..end]);
    }

    private static bool IsVerb(string word) =>
        word.EndsWith("ed", StringComparison.OrdinalIgnoreCase) || word.EndsWith("ing", StringComparison.OrdinalIgnoreCase)
        || char.IsUpper(word[0]) && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal);

    public bool IsNamedIn(string text) => text.Contains(Name, StringComparison.Ordinal) || ShortName != Name && ContainsWord(text, ShortName);

    // Asked for every actor and every candidate of a question: a scan, not a regular expression built each time.
    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.Length || !IsWordChar(text[end]))) return true;
        }

        return false;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}

/// <summary>How one candidate sentence fared; shown by <c>bot ask --explain</c>.</summary>
public sealed record Judgement(
    Candidate Candidate,
    double Coverage,
    double Similarity,
    string? Phrase,
    bool HoldsKind,
    bool NamesAsked,
    double Score,
    IReadOnlyList<string> Missing)
{
    /// <summary>How many of the missing words the store does not know at all: the question asks about something it never mentions.</summary>
    public int UnknownMissing { get; init; }

    public Passage Passage => Candidate.Passage;
}

public enum AnswerLevel
{
    /// <summary>The sentence answers: phrase, sentence, source.</summary>
    Confident,
    /// <summary>Something close, offered as such ("I'm not sure, but …"); not an answer.</summary>
    Closest,
    /// <summary>"I don't know", with incidents to look at.</summary>
    Unknown,
}

/// <summary>
/// Passage judging: how much of the question a sentence covers (each word weighted by how rare it is
/// in the store, synonyms counting), how close it is in meaning, whether it holds the kind of thing
/// asked for, and so which sentence answers and whether any does. Words of the question that the store
/// has never seen weigh most, which is what makes near-miss questions abstain instead of answering
/// with a neighbouring fact.
/// </summary>
public static partial class PassageJudge
{
    /// <summary>Lexical only (no vectors): below this share of the question's weight, the best sentence does not answer.</summary>
    public const double CoverageThreshold = 0.62;

    // With vectors, the score is CoverageWeight × coverage + SimilarityWeight × (similarity − SimilarityFloor) + small bonuses.
    // The figures were chosen by measurement on tests/questions (tuning.json and questions.json; see the README, "Scores"):
    // cosine similarities of this model between a question and an unrelated sentence sit around 0.45–0.6, and
    // around 0.65–0.85 for the sentence that answers.

    public const double CoverageWeight = 1.2;
    public const double SimilarityWeight = 3.0;
    public const double SimilarityFloor = 0.45;
    /// <summary>The score the "closest" level needs (and the second sentence it shows).</summary>
    public const double ConfidentScore = 1.0;
    /// <summary>
    /// A confident answer needs coverage + <see cref="SimilarityTilt"/> × (similarity − 0.60) of at least this:
    /// a sentence very close in meaning may share a few words less, one further off must share more. The line
    /// was fitted (a logistic fit of "the top sentence answers" on coverage and similarity, then rounded) on the
    /// judged candidates of tests/questions/tuning.json and questions.json (<c>bot eval --dump</c>).
    /// </summary>
    public const double ConfidentLine = 0.35;
    public const double SimilarityTilt = 0.7;
    /// <summary>…and at least this score and closeness in meaning: a sentence sharing a word or two with an unrelated question ("world") stays below them.</summary>
    public const double ConfidentMinimumScore = 0.9;
    public const double MinimumSimilarity = 0.55;
    /// <summary>…and at least this coverage: meaning alone never makes an answer.</summary>
    public const double MinimumCoverage = 0.20;
    /// <summary>A reason ("because", "for taking …") is what "why" asks for: a sentence giving one is preferred to one that only repeats the question's facts.</summary>
    public const double ReasonBonus = 0.35;
    /// <summary>Without vectors coverage alone ranks, and a large bonus would outweigh it.</summary>
    public const double LexicalReasonBonus = 0.15;
    /// <summary>A sentence this close in meaning but sharing fewer words is offered as "the closest I have".</summary>
    public const double ClosestSimilarity = 0.68;
    public const double ClosestCoverage = 0.20;
    /// <summary>The source line, for a question about who wrote the piece.</summary>
    public const double AuthorBonus = 0.3;
    /// <summary>Words of a question about who wrote the piece.</summary>
    private static readonly HashSet<string> AuthorWords = new(StringComparer.Ordinal)
    {
        "wrote", "write", "written", "writer", "author", "journalist", "reporter", "correspondent", "byline",
    };

    /// <summary>Stems of the titles one person holds, except the writer's ("who is the author" asks for the source line).</summary>
    internal static readonly HashSet<string> TitleStems = Lexicon.TitleNouns.Where(t => !AuthorWords.Contains(t)).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> BodyStems = Lexicon.OrganisationNouns.Concat(Lexicon.PublicBodyWords).Where(w => !Lexicon.PersonNouns.Contains(w))
        .Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);

    /// <summary>"Which outlet published this piece": asked of the piece itself, the source line answers.</summary>
    private static readonly HashSet<string> PublisherWords = new(StringComparer.Ordinal)
    {
        "published", "publish", "publishes", "publisher", "outlet", "publication", "newspaper", "broadcaster", "media",
    };

    private static readonly HashSet<string> PieceWords = new(StringComparer.Ordinal) { "piece", "article", "story", "explainer" };

    /// <summary>How much a synonym covers of a question word, with vectors.</summary>
    public const double SynonymCredit = 0.75;

    /// <summary>What a sentence loses for saying what the question set aside ("even if it isn't a spy device").</summary>
    public const double SetAsidePenalty = 0.3;

    /// <summary>How much a question word counts when only another candidate sentence of the same incident holds it.</summary>
    public const double IncidentCredit = 0.15;

    /// <summary>How much a word of a describing clause counts in a sentence holding none of the rest of the question.</summary>
    public const double DescribedFloor = 0.5;

    /// <summary>The least share of the question's weight outside a describing clause for the clause to count as one.</summary>
    public const double MinimumAskingShare = 0.2;

    /// <summary>How much a question word counts when the sentence names an actor whose actor line holds the word.</summary>
    public const double DescriptionCredit = 0.75;

    [GeneratedRegex(@"\b(?:is|was) (?:a|an)\b|\b(?:are|were) (?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b")]
    private static partial Regex IdentityStatement();

    [GeneratedRegex(@"(\p{L})-made\b")]
    private static partial Regex MadeCompound();

    [GeneratedRegex(@"^\p{Lu}\p{Ll}+(?:ed|s|ing)$")]
    private static partial Regex VerbEnding();

    [GeneratedRegex(@"[""“][^""”]{2,}[""”]")]
    private static partial Regex QuotedWords();

    [GeneratedRegex(@"\b[A-Z][\w’'\-]*(?:\s+(?:of\s+|de\s+|for\s+)?[A-Z][\w’'\-]*)*")]
    private static partial Regex ProperName();

    // A bare "for" or "over" ("working for Raytheon") gives no reason; "for taking", "after passing", "accused of" do, and so
    // does a rule broken ("why are the stations illegal": they go against non-interference), and for a date, what it marks
    // ("why 2049": it marks the centenary).
    [GeneratedRegex(@"\b(because|citing|due to|in order to|so that|to avoid|ensure|ensures|to protect|to prevent|amid|as a result|purpose|aim of|designed to|intended to|on (the )?grounds|considered a|seen as|poses?|risk|threat|(for|over|after) [a-z]+ing|accused of|charged with|convicted of|guilty of|by accident|accidental(ly)?|(used|made|built|meant) for|for [a-z]+ purposes|go(?:es)? against|violat(?:e|es|ing)|in breach of|contrary to|flouts?|contravenes?|(?:fears?|feared|worry|worries|worried|concerned) that|marks the (?:\w+ )?(?:centenary|centennial|anniversary))\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReasonMarker();

    /// <summary>"What are the stations even for", "what purpose does it serve": a purpose, not any reason.</summary>
    [GeneratedRegex(@"^(?:\w+ ){0,2}what\b.* for$|\bwhat (?:is|was|s) the (?:purpose|point|aim)\b|\bwhat purpose\b")]
    private static partial Regex PurposeAsked();

    [GeneratedRegex(@"\b(purpose|aim(?:s|ed)? (?:of|to|at)|designed to|intended to|meant to|in order to|so that|serves? to|served to|used (?:to|for)|(?:made|built|meant) for|for [a-z]+ purposes|(?:mainly|mostly|purely|only|chiefly) for|to (?:monitor|watch|spy|gather|collect|pressure|keep|carry out|advance))\b", RegexOptions.IgnoreCase)]
    private static partial Regex PurposeMarker();

    /// <summary>
    /// "What will the inquiry conclude?", "what did the inquiry conclude?": an outcome, which a sentence holds only if it says it
    /// (an inquiry being opened is not its conclusion). In the past tense "find", "decide" and "rule" ask for ordinary facts
    /// ("what did Canberra decide to do"), so not those. "When is the commission due to publish" asks for a step still to come.
    /// </summary>
    [GeneratedRegex(@"\b(?:will\b.*\b(conclude|find|decide|rule|recommend|result|happen|outcome|verdict|decision|findings)|(?:did|has|have)\b.*\b(conclude|concluding|concluded|recommend|outcome|verdict|findings)|\b(?:is|are|was|were) (?:\w+ ){0,6}?due to (?:be )?(publish\w*|report\w*|release\w*|conclude\w*|deliver\w*|finish\w*|announce\w*|rule|decide|end|close))\b")]
    private static partial Regex AskedOutcome();

    /// <summary>
    /// "What aircraft or missile was used to …", "which weapon did they use": the instrument asked for, named right after
    /// "what" or "which". Only for "used": elsewhere the answer is an instance that need not say its kind ("what products" → chips).
    /// </summary>
    [GeneratedRegex(@"^(?:\w+ ){0,3}?(?:what|which) (?:(?:kind|type|sort) of )?(?:\w+ )?(\w+)(?: or (?:\w+ )?(\w+))? (?:(?:was|were) used|did (?:\w+ ){1,3}?use)\b")]
    private static partial Regex WhatNoun();

    /// <summary>"What kind of fighter jet shot it down": a sentence that names no jet does not say which kind.</summary>
    [GeneratedRegex(@"^(?:\w+ ){0,3}?(?:what|which) (?:kind|type|sort|make|model|brand) of ((?:\w+ ){0,2}\w+)")]
    private static partial Regex WhatKindOf();


    /// <summary>"What was on the laptop", "what's inside the files": the contents of something.</summary>
    [GeneratedRegex(@"^(?:\w+ ){0,2}?what (?:was|were|is|are|s) (?:on|in|inside|aboard|stored on) ")]
    private static partial Regex ContentsAsked();

    [GeneratedRegex(@"\b(?:contain(?:s|ed|ing)?|held|holds?|holding|stored|carried|carrying)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ContentsMarker();

    /// <summary>Kinds so general that any sentence answering the rest says which: "what kind of products …".</summary>
    private static readonly HashSet<string> GeneralKinds = new(StringComparer.Ordinal)
    {
        "product", "products", "goods", "item", "items", "thing", "things", "stuff", "material", "materials",
    };

    /// <summary>"Apart from Huawei, which …", "which other …", "what was the other one": something the question has not named.</summary>
    [GeneratedRegex(@"\b(apart from|aside from|besides|other than|except|excluding|which other|what other|the other one)\b")]
    private static partial Regex AnotherAsked();

    [GeneratedRegex(@"\b(?:what|which) (?:is|are|was|were) (?:the|their|his|her|its) names\b|\bnames of (?:the|those|these|all)\b|\bwhat (?:is|was|are|were|s) (?:the|that|this|its|their) (?:\w+ ){0,2}called\b")]
    private static partial Regex NamesAsked();

    [GeneratedRegex(@"\bhow (?:did|does|do|has|have|will|would) (?<who>(?:\w+ ){0,3}?\w+) (?:respond|react|reply|answer|retaliate|defend (?:itself|themselves|himself|herself)|hit back|push back|fire back)\b|\b(?:what|did|has|have) (?:(?:did|does|do|has|have) )?(?<who>(?:\w+ ){0,3}?\w+) (?:say|said) (?:anything |something |a word )?(?:in (?:response|reply|reaction|answer|return)|back)\b|\bwhat (?:did|does|do|has|have) (?<who>(?:\w+ ){0,3}?\w+) (?:(?:personally|actually|really|publicly|officially) )?(?:say|said) about\b")]
    private static partial Regex Reaction();

    /// <summary>
    /// "What purpose did Beijing claim …", "what did the PRC insist …", "how does Beijing describe …", "what was Beijing's
    /// explanation …", "according to US diplomats, what …": what one side says, which the other side saying does not tell.
    /// </summary>
    [GeneratedRegex(@"\bwhat (?:\w+ ){0,2}?(?:did|does|do|has|have) (?<who>(?:\w+ ){0,3}?\w+) (?:claim|insist|argue|maintain|allege|contend)\b|\bhow (?:did|does|do|has|have) (?<who>(?:\w+ ){0,3}?\w+) (?:describe|characteri[sz]e|portray|explain|justify)\b|\bwhat (?:is|was|s) (?<who>(?:\w+ ){0,2}?\w+) s (?:(?:official|own|public) )?(?:explanation|description|account|version|excuse|justification)\b|^according to (?<who>(?:\w+ ){0,3}?\w+) (?=what|which|who|how|when|where)")]
    private static partial Regex ClaimAsked();

    public static Judgement Judge(Candidate candidate, QuestionFacts facts, bool withVectors)
    {
        var passage = candidate.Passage;
        var question = facts.Question;
        var stems = facts.CandidateStems.TryGetValue(passage, out var read) ? read : PassageStems(passage);
        var named = facts.NamedStems.GetValueOrDefault(passage.Slug);
        var covered = 0.0;
        var described = withVectors ? DescribedStems(passage, facts.Actors) : null;
        var missing = new List<string>();
        var unknownMissing = 0;
        // Who wrote the article answers only a question about the article or its author, not any "who" that shares a word with it.
        var asksForAuthor = question.Terms.Any(t => AuthorWords.Contains(t.Word))
            || question.Terms.Any(t => PublisherWords.Contains(t.Word)) && question.Terms.Any(t => PieceWords.Contains(t.Word));
        // "The engineer who came over on a student visa — what was he passing": the clause only says who is meant, so its words
        // count in full only as far as the sentence holds the rest of the question. Otherwise the sentence introducing him
        // outranks the one saying what he passed, and answers a question about him that the store cannot answer.
        var describing = withVectors ? facts.DescribedWeight : 0;
        var asking = facts.TotalWeight - describing;
        // "The Paris researcher quoted all through the piece — who is he?": when the clause is nearly all of the question, the
        // question is about the one described as a whole.
        if (asking < MinimumAskingShare * facts.TotalWeight) describing = 0;
        var describedHeld = 0.0;
        var describedInIncident = 0.0;
        foreach (var term in question.Terms)
        {
            // A description may be how the incident was found ("student visa"): it still says only who is meant.
            var describes = describing > 0 && question.Described.Contains(term.Stem);
            if (describes)
            {
                if (stems.Contains(term.Stem) || term.Alternatives.Any(stems.Contains)) describedHeld += facts.Weights[term.Stem];
                else if (named?.Contains(term.Stem) == true
                    || facts.IncidentStems.GetValueOrDefault(passage.Slug) is { } holds && (holds.Contains(term.Stem) || term.Alternatives.Any(holds.Contains)))
                    describedInIncident += facts.Weights[term.Stem];
                else
                {
                    missing.Add(term.Word);
                    if (facts.UnknownStems.Contains(term.Stem)) unknownMissing++;
                }

                continue;
            }

            // Words that named the incident are covered by any of its sentences: "when was Xu Yanjun sentenced" needs no "Xu" in the answer.
            // The source line says who wrote and published the piece, whatever words the question uses for that.
            if (stems.Contains(term.Stem) || named?.Contains(term.Stem) == true
                || passage.Kind == PassageKind.Source && asksForAuthor && (AuthorWords.Contains(term.Word) || PublisherWords.Contains(term.Word) || term.Word is "news"))
                covered += facts.Weights[term.Stem];
            // With vectors, meaning is the model's job: a synonym ("head" for "president", "French" for "France") only half counts.
            else if (term.Alternatives.Any(stems.Contains))
                covered += facts.Weights[term.Stem] * (withVectors ? SynonymCredit : 1);
            // "Why is Washington nervous about the big Chinese telecom-gear maker's products": the sentence names Huawei, and
            // Huawei's actor line says what the question used instead of the name.
            // Not the thing asked for: "under which president, before Biden" is not answered by Biden being one.
            else if (described is not null && term.Stem != facts.AskedThing
                && (described.Contains(term.Stem) || term.Alternatives.Any(described.Contains)))
                covered += facts.Weights[term.Stem] * DescriptionCredit;
            // A word the question uses to describe who or what it means ("the guy who came over to study …") may sit in another
            // sentence of the same incident: it counts a little, so that the sentence holding what is asked can win. Not the
            // asked word itself, not a place (a name must be in the sentence), not for "where", whose answer is one place among
            // the incident's many, and not in the lexical engine, whose single coverage line was not measured with it.
            else if (withVectors && question.Type != QuestionType.Where && term.Stem != facts.AskedStem && !Lexicon.PlaceWords.Contains(term.Word)
                && !PhraseExtractor.IsNationality(term.Word) && facts.IncidentStems.GetValueOrDefault(passage.Slug) is { } incident
                && (incident.Contains(term.Stem) || term.Alternatives.Any(incident.Contains)))
                covered += facts.Weights[term.Stem] * IncidentCredit;
            else
            {
                missing.Add(term.Word);
                if (facts.UnknownStems.Contains(term.Stem)) unknownMissing++;
            }
        }

        if (describing > 0)
        {
            var asked = Math.Clamp(covered / asking, 0, 1);
            covered += describedHeld * (DescribedFloor + (1 - DescribedFloor) * asked) + describedInIncident * Math.Max(IncidentCredit, asked);
        }

        var coverage = facts.TotalWeight == 0 ? 0 : covered / facts.TotalWeight;
        if (passage.Kind == PassageKind.Source && !asksForAuthor && !question.Terms.Any(t => t.Word is "article" or "source" or "sources" or "story"))
            coverage = 0;
        // …and it is the line that answers "which reporter wrote this piece", however the question words the piece.
        var authorBonus = passage.Kind == PassageKind.Source && question.Type == QuestionType.Who && asksForAuthor ? AuthorBonus : 0;
        var phrase = PhraseExtractor.Extract(passage, question);
        // "Why" wants a reason as "when" wants a date: a sentence that only restates the event does not answer it.
        var givesReason = question.Type == QuestionType.Why && GivesReason(passage.Text, question);
        var holdsKind = question.Type == QuestionType.Why ? givesReason
            : !PhraseExtractor.NeedsPhrase(question.Type) || phrase is not null;
        if (facts.OutcomeStem is { } outcome && !stems.Contains(outcome)) holdsKind = false;
        if (facts.AsksDateOfUnknownEvent) holdsKind = false;
        // "Who built the thing that was shot down": the one who shot it down did not build it.
        if (facts.WhoDid is { } did && !stems.Contains(did) && !Lexicon.Alternatives(did).Any(stems.Contains) && !asksForAuthor) holdsKind = false;
        // "What did the engineer at the defence contractor take to China": a sentence that only describes him says nothing taken.
        if (question.SubjectDeed is { } deed && !stems.Contains(deed) && !Lexicon.Alternatives(deed).Any(stems.Contains)) holdsKind = false;
        if ((facts.AsksForAnother || facts.AsksForNames) && !NamesSomethingNew(passage.Text, question)) holdsKind = false;
        // "What aircraft or missile was used": a sentence that never mentions one does not say which was.
        if (facts.WhatNouns is { } whatNouns && !whatNouns.Any(stems.Overlaps)) holdsKind = false;
        // "What does Ifri stand for" is answered only by a sentence spelling it out.
        if (question.Acronym is not null && phrase is null) holdsKind = false;
        // "How did ZTE respond": a sentence that names ZTE but has it say nothing ("ZTE is one of the firms covered") does not tell.
        // Nor does one in which ZTE is only spoken of ("lawmakers fear ByteDance could …"): ZTE must be the one answering.
        if (facts.ReactingSide is { } reacting && (!reacting.Overlaps(stems) || !ReportsAReaction(passage.Text) || !SpeaksAs(passage, reacting, reactions: true))) holdsKind = false;
        if (facts.ClaimantSide is { } claimant && !SpeaksAs(passage, claimant)) holdsKind = false;
        // "Which diplomat …" is answered by a sentence naming a person, whether or not it says "diplomat".
        var namesAsked = facts.AskedThing is null || NamesTheAskedThing(passage, question, facts)
            // "The Chinese network-gear giant": a sentence naming Huawei names the giant when Huawei's actor line says it is one.
            || described is not null && (described.Contains(facts.AskedThing) || Lexicon.Alternatives(facts.AskedThing).Any(described.Contains))
            || (question.AskedNoun is not null && question.Type is QuestionType.Who or QuestionType.Where && phrase is not null
                // "Who is the chair of the FCC": a name is no answer unless the sentence says it holds the title.
                && !facts.AsksTitleHolder);

        var typeBonus = question.Type switch
        {
            // A reason is what "why" asks for; a sentence that merely repeats the question's facts does not give one.
            QuestionType.Why => givesReason ? (withVectors ? ReasonBonus : LexicalReasonBonus) : 0,
            QuestionType.Other => 0,
            _ => holdsKind ? 0.1 : 0,
        };
        var kindBonus = passage.Kind switch
        {
            PassageKind.Fact or PassageKind.Event => 0.04,
            // An actor line describes someone; it answers "who" well and other questions poorly.
            PassageKind.Actor when question.Type != QuestionType.Who && facts.AskedThing is null => -0.05,
            _ => 0.0,
        };
        var identityBonus = question.Terms.Any(t => Lexicon.IdentityNouns.Contains(t.Word)) && IdentityStatement().IsMatch(passage.Text) ? 0.06 : 0.0;
        var wordingBonus = question.Terms.Any(t => Lexicon.WordingNouns.Contains(t.Word)) && QuotedWords().IsMatch(passage.Text) ? 0.06 : 0.0;
        // "What was on the laptop": what it held, not what became of it.
        var contentsBonus = facts.AsksContents && ContentsMarker().IsMatch(passage.Text) ? 0.06 : 0.0;
        var speakerBonus = SaysWhatTheQuestionAsks(passage, question) ? 0.05 : 0.0;
        var focusBonus = facts.Focus.Contains(passage.Slug) ? 0.08 : 0.0;
        // "Useful even if it isn't a spy device": a sentence saying it spied answers what the question set aside.
        var setAsidePenalty = question.SetAside.Count > 0 && SaysWhatWasSetAside(passage, question.SetAside) ? SetAsidePenalty : 0.0;
        var rankBonus = candidate.LexicalRank is { } rank ? 0.05 / rank : 0;
        var similarity = double.IsNaN(candidate.Similarity) ? SimilarityFloor : candidate.Similarity;
        var meaning = withVectors && !double.IsNaN(candidate.Similarity) ? SimilarityWeight * (similarity - SimilarityFloor) : 0;
        var score = (withVectors ? CoverageWeight * coverage : coverage) + meaning + typeBonus + kindBonus + identityBonus + wordingBonus + contentsBonus + speakerBonus + focusBonus + rankBonus + authorBonus - setAsidePenalty + (namesAsked ? 0 : -0.2);
        return new Judgement(candidate, coverage, candidate.Similarity, phrase, holdsKind, namesAsked, score, missing) { UnknownMissing = unknownMissing };
    }

    public static string? OutcomeAsked(AnalyzedQuestion question) =>
        AskedOutcome().Match(question.Normalized) is { Success: true } outcome
            ? Stemmer.Stem(outcome.Groups[1].Success ? outcome.Groups[1].Value : outcome.Groups[2].Success ? outcome.Groups[2].Value : outcome.Groups[3].Value)
            : null;

    public static bool AsksForAnother(AnalyzedQuestion question) => AnotherAsked().IsMatch(question.Normalized);

    public static bool AsksContents(AnalyzedQuestion question) => ContentsAsked().IsMatch(question.Normalized);

    public static string? AskedStemOf(AnalyzedQuestion question)
    {
        var words = question.Normalized.Split(' ');
        var start = Array.FindIndex(words, w => w is "what" or "which" or "who" or "whom" or "whose" or "when" or "where" or "why" or "how");
        if (start < 0) return null;
        var terms = question.Terms.ToDictionary(t => t.Word, t => t.Stem, StringComparer.Ordinal);
        for (var i = start + 1; i < words.Length; i++)
            if (terms.TryGetValue(words[i], out var stem) && !Lexicon.LightWords.Contains(words[i])) return stem;
        return null;
    }

    public static bool AsksForNames(AnalyzedQuestion question) => NamesAsked().IsMatch(question.Normalized);

    private static readonly HashSet<string> ClosingPrepositions = new(StringComparer.Ordinal) { "from", "in", "by", "at", "on", "to", "for", "over", "off", "into" };

    /// <summary>The last verb of the question when only a short phrase of place or agent follows it ("launched from China"), or null.</summary>
    internal static string? ClosingVerb(string[] words)
    {
        var at = Enumerable.Range(0, words.Length).LastOrDefault(i => words[i].EndsWith("ed", StringComparison.Ordinal) || Stemmer.IsIrregularVerbForm(words[i]), -1);
        if (at < 0) return null;
        var after = words.Length - at - 1;
        return after == 0 || after <= 3 && ClosingPrepositions.Contains(words[at + 1]) ? words[at] : null;
    }

    /// <summary>The past-tense verb right after the asking "who" (adverbs such as "allegedly" skipped), stemmed, or null.</summary>
    public static string? WhoDidOf(AnalyzedQuestion question)
    {
        if (question.Type != QuestionType.Who) return null;
        var words = question.Normalized.Split(' ');
        // "According to US diplomats, who built …": the source named first is no noun the "who" describes.
        var opening = words.Length > 2 && words[0] == "according" && words[1] == "to" ? Array.FindIndex(words, 2, w => w is "who" or "what" or "which") : -1;
        // "Someone who worked on missiles … — who was it?", "who was the engineer who carried …": a "who" after a noun describes it.
        bool IsRelative(int i) => i > 0 && i != opening
            && (!Lexicon.IsStopWord(words[i - 1]) || words[i - 1] is "someone" or "somebody" or "anyone" or "anybody" or "one" or "those");
        var who = Enumerable.Range(0, words.Length).LastOrDefault(i => words[i] == "who" && !IsRelative(i), -1);
        if (who < 0) return null;
        var at = who + 1;
        // "Who allegedly built", "who even made": the adverb is no deed.
        while (at < words.Length && (words[at].EndsWith("ly", StringComparison.Ordinal) || words[at] is "even" or "first" or "then" or "also")) at++;
        if (at >= words.Length) return null;
        var verb = words[at];
        if (Lexicon.IsStopWord(verb) || AuthorWords.Contains(verb) || PublisherWords.Contains(verb)) return null;
        return verb.EndsWith("ed", StringComparison.Ordinal) || Stemmer.IsIrregularVerbForm(verb) ? Stemmer.Stem(verb) : null;
    }

    public static IReadOnlyList<IReadOnlySet<string>>? WhatNounsOf(AnalyzedQuestion question)
    {
        if (question.Type is not (QuestionType.Other or QuestionType.Who)) return null;
        if (WhatNoun().Match(question.Normalized) is not { Success: true } match) return KindAsked(question);
        var nouns = new[] { match.Groups[1], match.Groups[2] }.Where(g => g.Success).Select(g => g.Value)
            // "What word did the MP use": a wording is quoted, not named.
            .Where(w => !Lexicon.IsStopWord(w) && !Lexicon.AnswerKindNouns.Contains(w) && !Lexicon.WordingNouns.Contains(w)).ToList();
        if (nouns.Count == 0) return null;
        var askedStems = nouns.Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
        // A synonym that is itself another word of the question says nothing of the thing asked: in "what aircraft was used
        // to shoot down the balloon", "balloon" is what was shot, not what shot it.
        var otherWords = question.Terms.Select(t => t.Stem).Where(stem => !askedStems.Contains(stem)).ToHashSet(StringComparer.Ordinal);
        return nouns.Select(n => (IReadOnlySet<string>)Lexicon.Alternatives(Stemmer.Stem(n)).Append(Stemmer.Stem(n)).Where(a => !otherWords.Contains(a))
            .ToHashSet(StringComparer.Ordinal)).ToList();
    }

    /// <summary>
    /// "What kind of high end chips …": a sentence naming any word of the kind, or a synonym ("advanced semiconductors"),
    /// may say which. "What kind of outfit" or "what type of company" asks for a name, which any sentence naming one answers.
    /// </summary>
    private static IReadOnlyList<IReadOnlySet<string>>? KindAsked(AnalyzedQuestion question)
    {
        if (WhatKindOf().Match(question.Normalized) is not { Success: true } kind) return null;
        var run = kind.Groups[1].Value.Split(' ')
            .TakeWhile(w => !Lexicon.IsStopWord(w) && !Stemmer.IsIrregularVerbForm(w) && !w.EndsWith("ed", StringComparison.Ordinal))
            .Where(w => !GeneralKinds.Contains(w)).ToList();
        if (run.Count == 0 || run.Any(w => Lexicon.AnswerKindNouns.Contains(w) || Lexicon.WordingNouns.Contains(w) || Lexicon.OrganisationNouns.Contains(w)
                || Lexicon.PersonNouns.Contains(w) || Lexicon.PlaceNouns.Contains(w)))
            return null;
        var stems = run.Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
        return [stems.SelectMany(Lexicon.Alternatives).Concat(stems).ToHashSet(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Whether the sentence gives a reason other than the question's own action: "why did Wei Sun take the computer" is not
    /// answered by "he was sentenced after taking the computer", which gives the reason for something else.
    /// </summary>
    private static bool GivesReason(string text, AnalyzedQuestion question)
    {
        // "What are the stations for" asks what they do, which a rule they break ("they go against non-interference") does not say.
        if (PurposeAsked().IsMatch(question.Normalized)) return PurposeMarker().IsMatch(text);
        foreach (Match marker in ReasonMarker().Matches(text))
        {
            var words = marker.Value.Split(' ');
            if (words.Length == 2 && words[1].EndsWith("ing", StringComparison.OrdinalIgnoreCase) && RestatesQuestionVerb(words[1], question)) continue;
            return true;
        }

        return false;
    }

    private static bool RestatesQuestionVerb(string gerund, AnalyzedQuestion question)
    {
        var root = gerund[..^3].ToLowerInvariant();
        string[] forms = [root, root + "e", root.Length > 2 && root[^1] == root[^2] ? root[..^1] : root];
        var stems = forms.Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
        return question.Terms.Any(t => stems.Contains(t.Stem) || forms.Contains(t.Word));
    }

    /// <summary>Whether the sentence names someone or something the question did not: what "which other …" asks for.</summary>
    private static bool NamesSomethingNew(string text, AnalyzedQuestion question)
    {
        foreach (Match name in ProperName().Matches(text))
        {
            var words = TextNormalizer.Words(name.Value);
            // A place or a nationality ("the US", "Chinese companies") says where, not who; "Federal Communications Commission"
            // is the question's "FCC" spelled out.
            if (words.Any(w => Lexicon.PlaceWords.Contains(w) || PhraseExtractor.IsNationality(w)) || PhraseExtractor.IsSpelledOutQuestionWord(name.Value, question)) continue;
            // "Australian government: Announced on 9 February …": an actor line's description opens with a capital, not a name.
            if (words.Length == 1 && name.Index >= 2 && text[name.Index - 2] == ':' && VerbEnding().IsMatch(name.Value)) continue;
            if (words.Any(w => !Lexicon.IsStopWord(w) && !Lexicon.MonthNames.Contains(w) && !question.Terms.Any(t => t.Word == w || t.Stem == Stemmer.Stem(w))
                && !question.Terms.Any(t => t.Alternatives.Contains(Stemmer.Stem(w)))))
                return true;
        }

        return false;
    }

    /// <summary>
    /// "How did Dahua respond?": a reaction is answered only by a sentence in which the one reacting appears,
    /// by any of its names ("how did Beijing react" is answered by "China says …").
    /// </summary>
    public static IReadOnlySet<string>? ReactingOf(AnalyzedQuestion question) => Speaker(ReactionMatch(question));

    internal static Match ReactionMatch(AnalyzedQuestion question) => Reaction().Match(question.Normalized);

    internal static Match ClaimMatch(AnalyzedQuestion question) => ClaimAsked().Match(question.Normalized);

    /// <summary>The stems of the content words naming the side that reacts or claims ("the camera maker" → camera, mak).</summary>
    internal static IReadOnlyList<string> Side(Match match) => match.Success
        ? TextNormalizer.Words(match.Groups["who"].Value).Where(w => !Lexicon.IsStopWord(w) && w.Length > 1).Select(Stemmer.Stem).ToList()
        : [];

    /// <summary>
    /// The side's stems, with the names of the actors whose lines say they are what the side's words describe, when the
    /// side is described by two words or more ("the camera maker": Hikvision, "Chinese maker of video surveillance cameras").
    /// </summary>
    internal static IReadOnlySet<string>? WithDescribedActors(IReadOnlySet<string>? stems, IReadOnlyList<string> side, IReadOnlyList<ActorDescription> actors)
    {
        if (stems is null || side.Count < 2 || actors.Count == 0) return stems;
        var described = actors.Where(a => side.All(w => a.Stems.Contains(w) || Lexicon.Alternatives(w).Any(a.Stems.Contains))).ToList();
        if (described.Count == 0) return stems;
        var extended = stems.ToHashSet(StringComparer.Ordinal);
        foreach (var actor in described) extended.UnionWith(TextNormalizer.Words(actor.Name).Where(w => !Lexicon.IsStopWord(w)).Select(Stemmer.Stem));
        return extended;
    }

    /// <summary>"How does the article describe …" asks what the piece says, whoever says it in there.</summary>
    public static IReadOnlySet<string>? ClaimantOf(AnalyzedQuestion question) =>
        ClaimAsked().Match(question.Normalized) is { Success: true } claim && !claim.Groups["who"].Value.Split(' ').Any(PieceWords.Contains)
            ? Speaker(claim)
            : null;

    private static IReadOnlySet<string>? Speaker(Match match)
    {
        if (!match.Success) return null;
        var words = TextNormalizer.Words(match.Groups["who"].Value).Where(w => !Lexicon.IsStopWord(w) && w.Length > 1).ToList();
        // "China's foreign ministry": China is who speaks; "ministry" would let any department or state do. "The think-tank
        // analyst" is known only by what he is.
        if (words.Any(w => Lexicon.PlaceWords.Contains(w) || PhraseExtractor.IsNationality(w))) words = words.Where(w => !IsBodyNoun(w)).ToList();
        var stems = words.Select(Stemmer.Stem).SelectMany(stem => Lexicon.Alternatives(stem).Append(stem)).ToHashSet(StringComparer.Ordinal);
        return stems.Count == 0 ? null : stems;
    }

    private static bool IsBodyNoun(string word) => Lexicon.OrganisationNouns.Contains(word) || Lexicon.PersonNouns.Contains(word) || word is "foreign";

    /// <summary>
    /// Whether the one the question names is who speaks in the sentence: "China says …", "Chinese government, on …: “…”",
    /// "China: Says …". A sentence that only mentions them ("a US official said the Chinese balloon …") does not.
    /// </summary>
    private static bool SpeaksAs(Passage passage, IReadOnlySet<string> speaker, bool reactions = false)
    {
        static bool IsSpeaker(string words, IReadOnlySet<string> speaker) => TextNormalizer.Words(words).Any(w => speaker.Contains(Stemmer.Stem(w)));
        var text = passage.Text;
        if (passage.Kind is PassageKind.Quote or PassageKind.Actor && text.IndexOfAny([',', ':']) is > 0 and var end && IsSpeaker(text[..end], speaker)) return true;
        // "Blinken's Beijing trip postponed; Republicans attack Biden's response": each clause has its own speaker.
        foreach (var clause in text.Split([';', '.', '—', '–'], StringSplitOptions.RemoveEmptyEntries))
            if (SpeaksIn(TextNormalizer.Words(clause, 2000), speaker, reactions)) return true;
        return false;
    }

    private static bool SpeaksIn(string[] words, IReadOnlySet<string> speaker, bool reactions)
    {
        for (var i = 0; i + 1 < words.Length; i++)
        {
            // The one speaking comes before the verb, perhaps with a description in between ("Safeguard Defenders, a Madrid-based
            // NGO, published …"); someone merely mentioned comes after it ("a US official said the Chinese balloon …").
            // "The United States", "was due in Beijing to confirm the thaw": no one speaks there.
            if (words[i] is "united" or "to") continue;
            if ((Lexicon.ReportingVerbs.Contains(words[i + 1]) || PublishingVerbs.Contains(words[i + 1]) || reactions && ReactionWords.Contains(words[i + 1]))
                && words.Skip(Math.Max(0, i - 9)).Take(Math.Min(10, i + 1)).Any(w => speaker.Contains(Stemmer.Stem(w))))
                return true;
            // "…, according to Safeguard Defenders."
            if (words[i] == "according" && words[i + 1] == "to" && words.Skip(i + 2).Take(3).Any(w => speaker.Contains(Stemmer.Stem(w)))) return true;
        }

        return false;
    }

    private static readonly HashSet<string> PublishingVerbs = new(StringComparer.Ordinal)
    {
        "report", "reports", "reported", "publish", "publishes", "published", "reveal", "reveals", "revealed", "announce", "announces", "announced",
    };

    private static readonly HashSet<string> ReactionWords = new(StringComparer.Ordinal)
    {
        "respond", "responds", "responded", "response", "react", "reacts", "reacted", "reaction", "reply", "replies", "replied",
        "retort", "retorted", "reject", "rejects", "rejected", "retaliate", "retaliated", "condemn", "condemns", "condemned",
        "protest", "protests", "protested", "slam", "slams", "slammed", "dismiss", "dismisses", "dismissed", "comply", "complies",
    };

    private static bool ReportsAReaction(string text) =>
        text.Contains('“') || text.Contains('"') || TextNormalizer.Words(text) is var words
            && words.Where((w, i) => (i == 0 || words[i - 1] != "united") && (Lexicon.ReportingVerbs.Contains(w) || ReactionWords.Contains(w))).Any();

    /// <summary>Confident, closest or unknown, from the best judgement.</summary>
    public static AnswerLevel Decide(Judgement best, bool withVectors)
    {
        // A passage whose vector is not built yet (found by full text) is judged as the lexical engine judges.
        if (!withVectors || double.IsNaN(best.Similarity))
        {
            // As the lexical engine always did. Words alone cannot tell "close" from "about something else", so no middle level here.
            return best.Coverage >= CoverageThreshold && best.HoldsKind && best.NamesAsked ? AnswerLevel.Confident : AnswerLevel.Unknown;
        }

        if (!best.HoldsKind || !best.NamesAsked) return AnswerLevel.Unknown;
        if (best.Score >= ConfidentMinimumScore && best.Similarity >= MinimumSimilarity && best.Coverage >= MinimumCoverage
            && best.Coverage + SimilarityTilt * (best.Similarity - 0.60) >= ConfidentLine)
            return AnswerLevel.Confident;
        // Close in meaning, in other words: worth showing, not worth asserting.
        return best.Score >= ConfidentScore && best.Coverage >= ClosestCoverage && best.Similarity >= ClosestSimilarity ? AnswerLevel.Closest : AnswerLevel.Unknown;
    }

    /// <summary>
    /// The noun a "which X" or "the name of the X" question asks to identify ("which university",
    /// "the name of the company"), or null for other questions.
    /// </summary>
    /// <param name="names">Stems of the names the question mentions: "the name of the missile system Wei Sun had" asks for
    /// a system, and the name after it starts a clause about someone.</param>
    public static string? AskedThing(AnalyzedQuestion question, IReadOnlySet<string>? names = null)
    {
        var words = question.Normalized.Split(' ');
        for (var i = 0; i < words.Length - 1; i++)
        {
            // "What's the French firm in that story" asks which firm, as "which French firm" would; "who is the chair of the FCC"
            // asks for whoever holds that title, which a sentence not naming the title does not say.
            var whatIsThe = words[i] == "what" && i + 2 < words.Length && words[i + 1] is "is" or "was" or "s" or "are" or "were" && words[i + 2] == "the";
            var whoIsThe = words[i] == "who" && i + 2 < words.Length && words[i + 1] is "is" or "was" or "s" && words[i + 2] == "the";
            var start = words[i] == "which" ? i + 1
                : words[i] == "name" && words[i + 1] == "of" ? i + 2
                : whatIsThe || whoIsThe ? i + 2
                : -1;
            if (start < 0) continue;
            if (start < words.Length && words[start] is "the" or "a" or "an") start++;
            if (start + 1 < words.Length && words[start] is "kind" or "type" or "sort" && words[start + 1] == "of") start += 2;
            // "Which part of the US government …" asks for a body of that government.
            if (start + 1 < words.Length && Lexicon.PartWords.Contains(words[start]) && words[start + 1] == "of") start += 2;
            if (start < words.Length && words[start] is "the" or "a" or "an") start++;
            // The asked thing is the last noun of the run of content words: "which missile system" -> "system",
            // "the name of the French foreign-affairs think tank" -> "tank".
            // A word followed by an article ("recovered the") or ending in -ed closes the run as a verb.
            var run = new List<string>();
            for (var j = start; j < words.Length && run.Count < 5; j++)
            {
                var next = j + 1 < words.Length ? words[j + 1] : "";
                // "the Chinese phone and network gear giant": "and" joins what the thing makes; the thing is still the last noun.
                if (words[j] is "and" && run.Count > 0 && next.Length > 0 && !Lexicon.IsStopWord(next)) continue;
                if (Lexicon.IsStopWord(words[j])) break;
                if (run.Count > 0 && (next is "the" or "a" or "an" or "its" or "their" or "his" or "her"
                    || words[j].EndsWith("ed", StringComparison.Ordinal) || Stemmer.IsIrregularVerbForm(words[j])
                    || names?.Contains(Stemmer.Stem(words[j])) == true))
                    break;
                run.Add(words[j]);
            }

            if (whatIsThe && (run.Count == 0 || !NamesAKindOfActor(words, start, run))) continue;
            if (whoIsThe && (run.Count == 0 || !Lexicon.TitleNouns.Contains(run[^1]) || AuthorWords.Contains(run[^1]))) continue;
            if (run.Count == 0 || Lexicon.AnswerKindNouns.Contains(run[^1])) return null;
            return Stemmer.Stem(run[^1]);
        }

        return null;
    }

    /// <summary>
    /// "What's the French firm in that story" names a kind of actor and stops; "what was the agency's role", "what was the firm
    /// accused of" and "what is the purpose of …" ask something else about it.
    /// </summary>
    private static bool NamesAKindOfActor(string[] words, int start, List<string> run)
    {
        var noun = run[^1];
        if (!Lexicon.OrganisationNouns.Contains(noun) && !Lexicon.PersonNouns.Contains(noun) && !Lexicon.PlaceNouns.Contains(noun)) return false;
        var after = Array.IndexOf(words, noun, start) + 1;
        return after >= words.Length || words[after] is "in" or "that" or "which" or "who" or "behind" or "involved" or "here" or "there";
    }

    /// <summary>
    /// True when the sentence puts a proper name next to the thing asked about ("the Atlantic Ocean",
    /// "the US group Raytheon"). "A company linked to the army" does not name the company, and a
    /// sentence without the thing at all does not answer "which X".
    /// </summary>
    private static bool NamesTheAskedThing(Passage passage, AnalyzedQuestion question, QuestionFacts facts)
    {
        var text = passage.Text;
        var asked = facts.AskedThing!;
        var alternatives = facts.AskedThingAlternatives;
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
            // "Four Chinese nationals" opening a line is a count, not a name.
            var naming = TextNormalizer.Words(name.Value).Where(w => !Lexicon.NumberWords.ContainsKey(w)).Select(Stemmer.Stem)
                .Where(w => !IsNationality(w) && !alternatives.Contains(w) && !Lexicon.IsStopWord(w)).ToList();
            if (naming.Count == 0) continue;
            if (positions.Any(p => Math.Abs(p - name.Index) <= 40)) return true;
        }

        return false;
    }

    /// <summary>
    /// The words that name the asked thing in a sentence. A title is named only by a person's title: "the Biden
    /// administration" is an executive, but names no chief executive. "Which aircraft shot the balloon down": the balloon
    /// the question names is not the aircraft asked for; a word naming the thing itself ("which DIASPORA communities") is
    /// part of it.
    /// </summary>
    internal static IReadOnlyList<string> AlternativesOfAskedThing(AnalyzedQuestion question, string? asked, bool title)
    {
        if (asked is null) return [];
        IReadOnlyList<string> alternatives = title ? Lexicon.Alternatives(asked).Where(a => a == asked || !BodyStems.Contains(a)).ToList() : Lexicon.Alternatives(asked);
        var elsewhere = ElsewhereInQuestion(question, asked);
        return alternatives.Any(a => a != asked && elsewhere.Contains(a)) ? alternatives.Where(a => a == asked || !elsewhere.Contains(a)).ToList() : alternatives;
    }

    /// <summary>Stems of the question's words other than the asked thing and the word just before it.</summary>
    private static HashSet<string> ElsewhereInQuestion(AnalyzedQuestion question, string asked)
    {
        var words = question.Normalized.Split(' ');
        var at = Array.FindIndex(words, w => Stemmer.Stem(w) == asked);
        return words.Where((w, i) => at < 0 || (i != at && i != at - 1)).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Whether the sentence says what the question set aside, other than in a concession of its own ("even if it was not a spy device, …").</summary>
    private static bool SaysWhatWasSetAside(Passage passage, IReadOnlySet<string> setAside)
    {
        var said = QuestionAnalyzer.Analyze(passage.Text).Terms.Select(t => t.Stem).ToHashSet(StringComparer.Ordinal);
        return setAside.Any(a => said.Contains(a) || Lexicon.Alternatives(a).Any(said.Contains));
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

    /// <summary>The stems of the actor lines of everyone the sentence names, other than the actor line itself; null when it names none.</summary>
    private static HashSet<string>? DescribedStems(Passage passage, IReadOnlyList<ActorDescription> actors)
    {
        if (passage.Kind == PassageKind.Actor || actors.Count == 0) return null;
        HashSet<string>? stems = null;
        foreach (var actor in actors)
        {
            if (!actor.IsNamedIn(passage.Text)) continue;
            stems ??= new HashSet<string>(StringComparer.Ordinal);
            stems.UnionWith(actor.Stems);
        }

        return stems;
    }

    internal static HashSet<string> PassageStems(Passage passage) => TextStems(passage.Text);

    internal static HashSet<string> TextStems(string passageText)
    {
        // "Chinese-made cameras" says where they come from, not who makes them: "who makes the cameras" is not covered by it.
        var text = MadeCompound().Replace(passageText, "$1");
        return QuestionAnalyzer.Analyze(text).Terms.Select(t => t.Stem)
            .Concat(TextNormalizer.Words(text, 4000).Select(Stemmer.Stem))
            .ToHashSet(StringComparer.Ordinal);
    }
}
