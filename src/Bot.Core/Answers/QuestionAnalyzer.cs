using System.Text.RegularExpressions;
using Bot.Core.Text;

namespace Bot.Core.Answers;

public enum QuestionType
{
    /// <summary>Wants a date: "when", "what year", "since when".</summary>
    When,
    /// <summary>Wants a number or a length: "how many", "how long", "how much".</summary>
    Quantity,
    /// <summary>Wants a person or an organisation: "who", "which company".</summary>
    Who,
    /// <summary>Wants a place: "where", "which country".</summary>
    Where,
    /// <summary>Wants a reason: "why".</summary>
    Why,
    /// <summary>Anything else: "what", "which", yes/no.</summary>
    Other,
}

/// <summary>The unit a quantity question asks for: a height wants metres or feet, a price a sum of money.</summary>
public enum Measure { None, Length, Weight, Money, Speed }

/// <summary>A content word of the question, with the stems that count as covering it.</summary>
public sealed record QuestionTerm(string Word, string Stem, IReadOnlyList<string> Alternatives);

public sealed record AnalyzedQuestion(string Text, string Normalized, QuestionType Type, IReadOnlyList<QuestionTerm> Terms, bool RefersBack)
{
    /// <summary>The noun after "which"/"what" when it names a kind of person, organisation or place ("which diplomat"), else null.</summary>
    public string? AskedNoun { get; init; }

    /// <summary>The unit asked for ("at what altitude", "how much money"), or <see cref="Measure.None"/>.</summary>
    public Measure Measure { get; init; }

    /// <summary>Stems of what "how many …" counts ("how many chinese companies" → chines, company); empty otherwise.</summary>
    public IReadOnlyList<string> CountedStems { get; init; } = [];

    /// <summary>"What does Ifri stand for?": the short form whose full name is asked (lower case), else null.</summary>
    public string? Acronym { get; init; }

    /// <summary>
    /// "Who is Xu Yanjun?": the words after "who is" when they could be a name (lower case), else null. Whether they are one
    /// is decided per sentence: only a sentence that spells them as a name is asked to describe it.
    /// </summary>
    public string? DescribedName { get; init; }

    /// <summary>
    /// "Why is the balloon useful even if it isn't a spy device": stems of what the question sets aside (spy, device). A sentence
    /// saying the balloon spied answers something else.
    /// </summary>
    public IReadOnlySet<string> SetAside { get; init; } = new HashSet<string>();

    /// <summary>
    /// "The engineer who came over on a student visa — what info was he passing", "what did he carry to China that landed him
    /// in prison": stems of a clause that only says whom the question is about. Any sentence of that incident is about them;
    /// the sentence that answers is the one holding the rest of the question.
    /// </summary>
    public IReadOnlySet<string> Described { get; init; } = new HashSet<string>();

    /// <summary>
    /// "What did the naturalised engineer at the defence contractor TAKE to China": the stem of the deed asked about after a
    /// long subject, which the answer must hold; null when there is none or the verb says little ("do", "say", "get").
    /// </summary>
    public string? SubjectDeed { get; init; }

    /// <summary>Words for the full-text query: the question's own words and their synonyms.</summary>
    public IReadOnlyList<string> SearchWords =>
        Terms.SelectMany(t => Lexicon.AlternativeWords(t.Stem).Prepend(t.Word)).Distinct(StringComparer.Ordinal).Take(48).ToList();
}

/// <summary>Reads what a question asks for and which words carry its meaning.</summary>
public static partial class QuestionAnalyzer
{
    /// <summary>Questions are cut here: a real one is shorter, and longer text would only cost time.</summary>
    public const int MaxQuestionLength = 500;

    private static readonly HashSet<string> BackReferences = new(StringComparer.Ordinal) { "it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "that", "this", "those", "these", "there" };

    [GeneratedRegex(@"\b(U\.S\.A?\.?|US|USA)\b")]
    private static partial Regex UnitedStates();

    [GeneratedRegex(@"\b(U\.K\.?|UK)\b")]
    private static partial Regex UnitedKingdom();

    [GeneratedRegex(@"\bwhat (?:(?:does|do|did|is) (?:the )?(\w+) (?:stand for|short for)|(\w+) (?:stands for|is short for))\b")]
    private static partial Regex AcronymAsked();

    [GeneratedRegex(@"^who (?:is|was|are|were) ([\p{L}][\p{L}\p{N}'’\-]*(?: [\p{L}][\p{L}\p{N}'’\-]*){0,3})$")]
    private static partial Regex WhoIsName();

    [GeneratedRegex(@" (?:in|from) (?:this|the|that|all this) ?(?:story|article|piece|report|news|thread|stuff|mess)?$")]
    private static partial Regex WhereMet();

    [GeneratedRegex(@"^(?:\w+ ){0,2}?what (?:is|was|s|were|are) (?:the |its |their )?(?:\w+ ){0,3}?(?:altitude|height|elevation|weight|speed|cost|price|distance|depth|width|length|size|value)(?: of (?:\w+ ){0,3}?\w+)?$")]
    private static partial Regex MeasureOfSomething();

    [GeneratedRegex(@"\bwhat (?:are|were) the (\d{1,2}|two|three|four|five|six|seven|eight|nine|ten) ")]
    private static partial Regex WhatAreTheCounted();

    /// <summary>The words that only say "spell it out": the short form alone is what a sentence must hold.</summary>
    private static readonly HashSet<string> AcronymWording = new(StringComparer.Ordinal) { "stand", "stands", "short", "letters", "acronym", "abbreviation" };

    public static AnalyzedQuestion Analyze(string question)
    {
        var text = question.Length > MaxQuestionLength ? question[..MaxQuestionLength] : question;
        // "US" in capitals is the country, not the pronoun, before everything is lower-cased.
        var marked = UnitedKingdom().Replace(UnitedStates().Replace(text, " usa "), " uk ");
        // "What are the two companies …" asks which ones, as "which two companies …" does.
        var normalized = WhatAreTheCounted().Replace(TextNormalizer.Normalize(marked, MaxQuestionLength), "which $1 ");
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var acronym = AcronymAsked().Match(normalized) is { Success: true } asked ? (asked.Groups[1].Success ? asked.Groups[1].Value : asked.Groups[2].Value) : null;
        // "What does FCC stand for" ends in "for" without asking a purpose.
        var type = acronym is null ? Classify(normalized, words) : QuestionType.Other;

        var terms = new List<QuestionTerm>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var conceded = Conceded(words);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (conceded.Contains(i) || Lexicon.IsStopWord(word) || word.Length < 2 && !char.IsDigit(word[0])) continue;
            if (acronym is not null && AcronymWording.Contains(word)) continue;
            var stem = Stemmer.Stem(word);
            if (!seen.Add(stem)) continue;
            terms.Add(new QuestionTerm(word, stem, Lexicon.Alternatives(stem)));
        }

        var refersBack = words.Any(BackReferences.Contains) || words.FirstOrDefault() is "and" or "also" or "so" or "then";
        return new AnalyzedQuestion(text, normalized, type, terms, refersBack)
        {
            AskedNoun = AskedNounOf(words),
            Measure = type == QuestionType.Quantity ? MeasureAsked(normalized) : Measure.None,
            CountedStems = CountedBy(words),
            Acronym = acronym,
            DescribedName = DescribedNameOf(normalized),
            SetAside = conceded.Select(i => words[i]).Where(w => !Lexicon.IsStopWord(w) && !Lexicon.LightWords.Contains(w)).Select(Stemmer.Stem)
                .ToHashSet(StringComparer.Ordinal),
            Described = DescribingClause(words).Where(w => !Lexicon.IsStopWord(w)).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal),
            // Only for "what did …": "how long did the scheme run" is answered by "from 2013 to 2018", which need not say "run".
            SubjectDeed = type == QuestionType.Other && LongSubjectVerb(words) is var verb and > 0 && !VagueVerbs.Contains(words[verb])
                && words[Array.FindIndex(words, w => QuestionWords.Contains(w)) + 1] is "did" or "does" or "do" ? Stemmer.Stem(words[verb]) : null,
        };
    }

    private static readonly HashSet<string> RelativePronouns = new(StringComparer.Ordinal) { "who", "that", "which" };

    /// <summary>
    /// The words of a clause describing whom the question is about: everything before the question word when the question
    /// opens with "the X who …", a "that/who …" clause closing it, or one in the middle that ends where the question's own
    /// verb comes ("did the officer who got 20 years GO after", "is the NGO that exposed the stations HEADQUARTERED").
    /// </summary>
    private static IEnumerable<string> DescribingClause(string[] words)
    {
        for (var i = 1; i < words.Length - 1; i++)
        {
            if (!RelativePronouns.Contains(words[i]) || Lexicon.IsStopWord(words[i - 1]) || QuestionWords.Contains(words[i - 1])) continue;
            var before = Array.FindIndex(words, 0, i, w => QuestionWords.Contains(w));
            var after = Array.FindIndex(words, i + 1, w => QuestionWords.Contains(w));
            // "The engineer who came over to study … what was he passing": the question starts at its later question word.
            if (before < 0 && after > 0) return words[..after];
            if (before >= 0 && after < 0 && MainVerbAfterClause(words, before, i) is var main and > 0) return words[(i + 1)..main];
            // "What did he take to China that landed him in prison": the clause runs to the end, unless it is what is asked
            // ("what's the name of the company that makes the cameras"): the words before it must say something of their own.
            var asking = words[(before + 1)..(i - 1)].Count(w => !Lexicon.IsStopWord(w) && !Lexicon.LightWords.Contains(w) && !IsAskedKind(w));
            if (before >= 0 && after < 0 && asking >= 2) return words[(i + 1)..];
            return [];
        }

        return [];
    }

    /// <summary>Where the verb after a subject of three content words or more comes ("what did … TAKE"), or -1.</summary>
    private static int LongSubjectVerb(string[] words)
    {
        var question = Array.FindIndex(words, w => QuestionWords.Contains(w));
        if (question < 0) return -1;
        var auxiliary = Array.FindIndex(words, question + 1, w => w is "did" or "does" or "do");
        if (auxiliary < 0 || auxiliary > question + 4) return -1;
        for (var j = auxiliary + 2; j < words.Length; j++)
        {
            if (!BareVerbs.Contains(words[j]) || Lexicon.IsStopWord(words[j - 1])) continue;
            return words[(auxiliary + 1)..j].Count(w => !Lexicon.IsStopWord(w)) >= 3 ? j : -1;
        }

        return -1;
    }

    /// <summary>Verbs that say too little of the deed for an answer to have to repeat them.</summary>
    private static readonly HashSet<string> VagueVerbs = new(StringComparer.Ordinal)
    {
        "do", "say", "get", "make", "mean", "want", "try", "use", "call", "tell", "go", "describe", "explain", "claim", "respond",
        "react", "run", "report", "reveal", "deny", "accuse", "blame", "announce", "end", "start", "begin",
    };

    /// <summary>
    /// Where the question's own verb comes back after a clause in the middle, or -1: after "did the engineer who came over
    /// in 2013", a bare verb ("pass", "get", "go"); after "is the NGO that exposed the stations", a participle ("based").
    /// The verb follows a word of the clause, never "to" ("came over to study" is still the clause).
    /// </summary>
    private static int MainVerbAfterClause(string[] words, int question, int pronoun)
    {
        var auxiliary = Array.FindIndex(words, question + 1, pronoun - question - 1, w => w is "did" or "does" or "do" or "is" or "was" or "were" or "are");
        if (auxiliary < 0 || pronoun + 2 >= words.Length) return -1;
        var bare = words[auxiliary] is "did" or "does" or "do";
        // The clause's own verb comes first: "who GOT two decades …".
        for (var j = pronoun + 2; j < words.Length; j++)
        {
            var word = words[j];
            var previous = words[j - 1];
            if (Lexicon.IsStopWord(previous) && !previous.All(char.IsDigit)) continue;
            // A participle closes the question or comes before a preposition ("based in", "tied to"); before a noun it is an
            // adjective ("hidden overseas offices").
            var closes = j + 1 == words.Length || Lexicon.IsStopWord(words[j + 1]);
            var isVerb = bare ? BareVerbs.Contains(word)
                : closes && (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4 || Stemmer.IsIrregularVerbForm(word) && !BareVerbs.Contains(word));
            // "reportedly tied to": the adverb goes with the verb.
            if (!bare && word.EndsWith("ly", StringComparison.Ordinal) && j + 1 < words.Length && words[j + 1].EndsWith("ed", StringComparison.Ordinal)) return j;
            if (isVerb) return j;
        }

        return -1;
    }

    /// <summary>Verbs people ask about in their bare form, after "did": "what did he TAKE", "how long did she GET".</summary>
    private static readonly HashSet<string> BareVerbs = new(StringComparer.Ordinal)
    {
        "pass", "give", "take", "steal", "get", "go", "do", "say", "send", "hand", "leak", "share", "sell", "work", "try", "want",
        "use", "make", "tell", "call", "target", "hack", "spy", "admit", "face", "receive", "serve", "pay", "build", "carry",
        "bring", "leave", "attend", "join", "claim", "deny", "respond", "react", "accuse", "blame", "ban", "remove", "find",
        "discover", "shoot", "launch", "fly", "provide", "supply", "reveal", "expose", "collect", "count", "gather", "announce",
        "decide", "order", "plead", "confess", "spend", "earn", "end", "land", "hit", "cross", "enter", "visit", "meet", "run",
        "head", "lead", "own", "buy", "study", "teach", "mean", "describe", "explain", "publish", "write", "report", "sentence",
        "jail", "convict", "charge", "arrest", "recruit", "help", "assist", "betray", "obtain", "acquire", "copy", "download",
    };

    private static bool IsAskedKind(string word) =>
        word is "name" or "kind" or "type" or "sort" || Lexicon.PersonNouns.Contains(word) || Lexicon.OrganisationNouns.Contains(word) || Lexicon.PlaceNouns.Contains(word);

    private static readonly HashSet<string> Copulas = new(StringComparer.Ordinal) { "is", "was", "were", "are", "s", "not", "t", "nt", "isnt", "wasnt", "be" };

    private static readonly HashSet<string> QuestionWords = new(StringComparer.Ordinal) { "what", "why", "how", "which", "who", "when", "where" };

    /// <summary>
    /// "… even if it isn't a spy device", "even if the craft wasn't built for snooping, what …": the positions of what is
    /// conceded (after the verb of an "even if" clause of a few words), which the question is not about.
    /// </summary>
    private static HashSet<int> Conceded(string[] words)
    {
        var conceded = new HashSet<int>();
        for (var i = 0; i + 2 < words.Length; i++)
        {
            // "Even" may have gone with the chat filler that opened the question.
            var opens = words[i] == "even" && words[i + 1] is "if" or "though";
            if (!opens && !(i == 0 && words[0] == "if")) continue;
            var start = opens ? i + 2 : i + 1;
            var end = start;
            while (end < words.Length && end < i + 10 && !QuestionWords.Contains(words[end])) end++;
            var verb = -1;
            for (var j = start; j < end; j++)
                if (Copulas.Contains(words[j])) verb = j;
            if (verb < 0 || end - verb > 5) continue;
            for (var j = verb + 1; j < end; j++) conceded.Add(j);
        }

        return conceded;
    }

    /// <summary>"who is the minister" asks for a person, not a description: a name has no article, title or other question word.</summary>
    private static string? DescribedNameOf(string normalized)
    {
        // "who is james paterson in this story": where the asker met the name is not part of it.
        normalized = WhereMet().Replace(normalized, "");
        if (WhoIsName().Match(normalized) is not { Success: true } match) return null;
        var name = match.Groups[1].Value;
        return name.Split(' ').Any(w => Lexicon.IsStopWord(w) || Lexicon.PersonNouns.Contains(w) || Lexicon.OrganisationNouns.Contains(w) || Lexicon.PlaceNouns.Contains(w))
            ? null
            : name;
    }

    public static QuestionType Classify(string normalized, string[] words)
    {
        static bool Has(string text, string phrase) => $" {text} ".Contains($" {phrase} ", StringComparison.Ordinal);

        if (Has(normalized, "how many") || Has(normalized, "how much") || Has(normalized, "how long") || Has(normalized, "how old")
            || Has(normalized, "what number") || Has(normalized, "number of") || Has(normalized, "what percentage") || Has(normalized, "how big")
            || Has(normalized, "how tall") || Has(normalized, "how far") || Has(normalized, "how high"))
            return QuestionType.Quantity;
        // "What was the balloon's maximum altitude": a measure asked of something named first.
        if (MeasureOfSomething().IsMatch(normalized)) return QuestionType.Quantity;
        // The first question word decides: "what company was he working for when he …" asks for a company, not a date.
        var first = Array.FindIndex(words, w => w is "what" or "which" or "who" or "whom" or "whose" or "when" or "where" or "why");
        // "That engineer who came over to study … what kind of info was he passing": a "who" after a noun describes it; the
        // question word comes later.
        if (first > 0 && words[first] is "who" or "which" && !Lexicon.IsStopWord(words[first - 1])
            && Array.FindIndex(words, first + 1, w => w is "what" or "which" or "who" or "when" or "where" or "why" or "how") is var later and > 0)
            return Classify(string.Join(' ', words[later..]), words[later..]);
        // "How did Beijing react when Canberra …": the question is the "how"; the "when" only sets the scene.
        var how = Array.IndexOf(words, "how");
        if (how >= 0 && how + 1 < words.Length && (first < 0 || how < first))
            return words[how + 1] == "come" ? QuestionType.Why : QuestionType.Other;
        if (first >= 0)
        {
            var word = words[first];
            var next = Following(words, first);
            if (word is "when") return QuestionType.When;
            if (word is "where") return QuestionType.Where;
            if (word is "why") return QuestionType.Why;
            if (word is "who" or "whom" or "whose") return QuestionType.Who;
            if (next is "year" or "date" or "day" or "month" or "time" or "decade") return QuestionType.When;
            if (next is "reason" or "purpose" or "grounds") return QuestionType.Why;
            // "What sentence did Ji Chaoqun get?" asks how long.
            if (next is "sentence" && word is "what") return QuestionType.Quantity;
            // "At what altitude …", "what did it cost": a measure is a number with its unit.
            if (next is "altitude" or "height" or "elevation" or "weight" or "speed" or "cost" or "price" or "distance" or "depth" or "width") return QuestionType.Quantity;
            if (next is not null && Lexicon.PlaceNouns.Contains(next)) return QuestionType.Where;
            if (next is not null && (Lexicon.PersonNouns.Contains(next) || Lexicon.OrganisationNouns.Contains(next))) return QuestionType.Who;
        }

        if (Has(normalized, "since when") || Has(normalized, "by what year")) return QuestionType.When;
        // "What was it built for?" asks for a purpose, like "why".
        if (Has(normalized, "for what reason") || Has(normalized, "on what grounds") || (words.Length > 2 && words[0] == "what" && words[^1] == "for"))
            return QuestionType.Why;
        if (Has(normalized, "in which place")) return QuestionType.Where;
        return QuestionType.Other;
    }

    private static Measure MeasureAsked(string question) =>
        Regex.IsMatch(question, @"\b(how (tall|high|far|wide|deep|big|large)|altitude|height|elevation|distance|how many (feet|metres|meters|miles|kilometres|kilometers|km))\b") ? Measure.Length
        : Regex.IsMatch(question, @"\b(weigh|weighs|weighed|weight|how heavy|how many (kilos|kilograms|tonnes|tons|pounds))\b") ? Measure.Weight
        : Regex.IsMatch(question, @"\b(cost|costs|costing|worth|price|priced|budget|how much money|how many (dollars|euros))\b")
            || (question.Contains("how much", StringComparison.Ordinal) && Regex.IsMatch(question, @"\b(pay|paid|spend|spent|fined|fine|funding|invested|investment|value|valued)\b")) ? Measure.Money
        : Regex.IsMatch(question, @"\b(how fast|speed)\b") ? Measure.Speed
        : Measure.None;

    private static IReadOnlyList<string> CountedBy(string[] words)
    {
        var at = Array.IndexOf(words, "many");
        if (at < 1 || words[at - 1] != "how") return [];
        return words.Skip(at + 1).TakeWhile(w => !Lexicon.IsStopWord(w)).Select(Stemmer.Stem).ToList();
    }

    private static readonly HashSet<string> MakerVerbs = new(StringComparer.Ordinal)
    {
        "makes", "manufactures", "manufactured", "produces", "sells",
    };

    private static string? AskedNounOf(string[] words)
    {
        var first = Array.FindIndex(words, w => w is "what" or "which");
        // "Who is the Australian minister that …" asks for a minister as "which minister" would.
        var who = Array.FindIndex(words, w => w is "who");
        // "Who makes the cameras …" asks for the maker, as "which company makes …" would; "who made the balloon" need not be one.
        if (who >= 0 && who + 1 < words.Length && MakerVerbs.Contains(words[who + 1])) return "maker";
        // "Who heads MI5" asks for the head, a person, as "who is the head of MI5" does.
        if (who >= 0)
        {
            var verb = who + 1;
            while (verb < words.Length - 1 && (words[verb].EndsWith("ly", StringComparison.Ordinal) || words[verb] is "now")) verb++;
            if (verb < words.Length && words[verb] is "heads" or "headed" or "leads") return "head";
        }

        if (first < 0 && who >= 0 && who + 2 < words.Length && words[who + 1] is "is" or "s" or "was" or "are" or "were" && words[who + 2] is "the") first = who + 1;
        if (first < 0) return null;
        var noun = Following(words, first);
        return noun is not null && (Lexicon.PlaceNouns.Contains(noun) || Lexicon.PersonNouns.Contains(noun) || Lexicon.OrganisationNouns.Contains(noun)) ? noun : null;
    }

    /// <summary>The noun a "which …"/"what …" asks about: the last of up to three words after it, before a verb or preposition.</summary>
    private static string? Following(string[] words, int at)
    {
        string? noun = null;
        var reach = at + 4;
        for (var i = at + 1; i < words.Length && i <= reach; i++)
        {
            var word = words[i];
            if (word is "year" or "date" or "day" or "month" or "time" or "decade" or "reason" or "purpose" or "grounds") return word;
            if (word is "the" or "a" or "an" or "kind" or "type" or "sort" or "of" && noun is null) continue;
            // "Which part of the US government": the words after "part of" are read as far as the others would be.
            if (Lexicon.PartWords.Contains(word) && noun is null && i + 1 < words.Length && words[i + 1] == "of")
            {
                reach += 2;
                continue;
            }

            if (Lexicon.IsStopWord(word)) break;
            noun = word;
            if (Lexicon.PlaceNouns.Contains(word) || Lexicon.PersonNouns.Contains(word) || Lexicon.OrganisationNouns.Contains(word)
                || word is "year" or "date" or "day" or "month" or "time" or "decade" or "reason" or "purpose" or "grounds")
                return word;
        }

        return noun;
    }
}
