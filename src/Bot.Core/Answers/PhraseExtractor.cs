using System.Text.RegularExpressions;
using Bot.Core.Text;

namespace Bot.Core.Answers;

/// <summary>
/// Finds, in one sentence, the phrase of the kind a question asks for: a date for "when", a number for
/// "how many", a person or organisation for "who", a place for "where". Among several, the one nearest
/// to the question's own words wins. Null means the sentence holds nothing of that kind, and the
/// engine then says it cannot tell rather than put the wrong kind of thing first.
/// </summary>
public static partial class PhraseExtractor
{
    private const string Months = "January|February|March|April|May|June|July|August|September|October|November|December";

    [GeneratedRegex(@"\b(?:(?:early|mid|late|the end of|the start of|the beginning of|end of|start of)\s+)?(?:\d{1,2} (?:" + Months + @")(?: \d{4})?|(?:" + Months + @")(?: \d{1,2},?)?(?: \d{4})?|(?:19|20)\d{2})\b")]
    private static partial Regex DatePhrase();

    [GeneratedRegex(@"\b((?:[Aa]t least|[Aa]bout|[Aa]round|[Nn]early|[Aa]lmost|[Mm]ore than|[Oo]ver|[Rr]oughly|[Uu]p to|[Ss]ome) )?(\d[\d,.]*|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds?|thousands?|dozens?|half a dozen))(?:(?:-| )(?:year|month|day|week|[a-z]+))?\b")]
    private static partial Regex NumberPhrase();

    [GeneratedRegex(@"\b(?:\d{1,3}[- ]years?[- ]old|aged \d{1,3}|age of \d{1,3})\b")]
    private static partial Regex AgePhrase();

    [GeneratedRegex(@"\b\d[\d,.]*\s?(?:m|metres?|meters?|feet|ft|foot|km|kilometres?|kilometers?|miles?|square (?:metres|meters|feet|kilometres|miles)|hectares?)\b")]
    private static partial Regex MeasurePhrase();

    [GeneratedRegex(@"(?:[$€£¥]\s?\d[\d,.]*(?:\s?(?:million|billion|trillion|bn|m)\b)?|\b\d[\d,.]*\s?(?:(?:million|billion|trillion)\s)?(?:dollars|euros|pounds sterling|yuan|renminbi|usd|eur)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyPhrase();

    [GeneratedRegex(@"\b\d[\d,.]*\s?(?:kg|kilograms?|kilos?|tonnes?|tons?|pounds|lbs?|grams?)\b")]
    private static partial Regex WeightPhrase();

    [GeneratedRegex(@"\b\d[\d,.]*\s?(?:km/h|kph|mph|knots|kilometres per hour|kilometers per hour|miles per hour)")]
    private static partial Regex SpeedPhrase();

    /// <summary>An event called off or only planned: its date is not the date the event took place.</summary>
    [GeneratedRegex(@"\b(?:postpone[ds]?|postponing|postponement|cancel(?:l?ed|s|lation)?|call(?:s|ed)? off|delayed|suspended|scrapped|put off|(?:was|were) (?:expected|supposed|due|scheduled|set) to|planned|scheduled)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CalledOff();

    [GeneratedRegex(@"\b(?:expect|suppos|due|schedul|plan|meant|original|initial)")]
    private static partial Regex AsksAboutThePlan();

    [GeneratedRegex(@"\b(?:postpon|cancel|call(?:ed|s)? off|delay|suspend|scrap|put off)")]
    private static partial Regex AsksAboutTheCallingOff();

    [GeneratedRegex(@"\b(?:after|later|before|earlier|ago|since)\b")]
    private static partial Regex AsksHowLongAfter();

    /// <summary>"ten years after arriving", "two days later": a number dating something, not lasting.</summary>
    [GeneratedRegex(@"^\s+(?:after|later|before|earlier|ago)\b")]
    private static partial Regex OffsetFollows();

    [GeneratedRegex(@"\b(?:expected|planned|scheduled|due|supposed|set|meant)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PlanWord();

    [GeneratedRegex(@"\b(?:postponed?|cancell?ed|called off|delayed|suspended|scrapped|put off)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CallingOffWord();

    [GeneratedRegex(@"\b([A-Z][a-z]+|US|UK) (?:government|authorities|administration|army|navy|police|parliament|senate|ministry|intelligence services|intelligence agencies|regulator)\b")]
    private static partial Regex NationalBody();

    [GeneratedRegex(@"^(?:19|20)\d{2}$")]
    private static partial Regex Year();

    /// <summary>A run of capitalised words, allowing "of", "for", "and" or "de" inside and a code like "FCC" or "Group 2".</summary>
    [GeneratedRegex(@"\b[A-Z][\w’'\-]*(?:\s+(?:(?:of|for|de|and)\s+(?:the\s+)?)?(?:[A-Z][\w’'\-]*|\d+\b))*(?:\s+\([A-Z]{2,}\))?")]
    private static partial Regex ProperName();

    [GeneratedRegex(@"\b(?:in|at|on|off|near|from|into|over|across|to)\s+((?:the\s+)?(?:[a-z]+\s+){0,2}(?:sites?|buildings?|soil|territory|ocean|sea|coast|premises|offices?|countries|airspace|abroad|facilities|networks?))\b")]
    private static partial Regex PlacePhrase();

    [GeneratedRegex(@"\b(?:" + Months + @")\b")]
    private static partial Regex MonthName();

    public static string? Extract(Passage passage, AnalyzedQuestion question)
    {
        if (question.Acronym is { } acronym) return FullName(passage.Text, acronym);
        if (question.DescribedName is { } name && SpellsAsName(passage.Text, name) is { } spelled) return Description(passage, spelled);
        return ByType(passage, question);
    }

    private static string? ByType(Passage passage, AnalyzedQuestion question) => question.Type switch
    {
        // "When is the postponed visit?": the date a visit was called off is not when it takes place.
        QuestionType.When when CalledOff().IsMatch(passage.Text) && !AsksAboutThePlan().IsMatch(question.Normalized) && !AsksAboutTheCallingOff().IsMatch(question.Normalized) => null,
        // "When was the visit originally supposed to happen?": the date planned, not the one it was called off.
        QuestionType.When when CalledOff().IsMatch(passage.Text) && AsksAboutThePlan().IsMatch(question.Normalized) && !AsksAboutTheCallingOff().IsMatch(question.Normalized)
            => DateAfter(PlanWord(), passage.Text),
        // "When was the visit postponed?": the date of the calling off, when the sentence also gives the plan's.
        QuestionType.When when CalledOff().IsMatch(passage.Text) && AsksAboutTheCallingOff().IsMatch(question.Normalized) && DateAfter(CallingOffWord(), passage.Text) is { } calledOff
            => passage.Date?.ToDisplayString() ?? calledOff,
        QuestionType.When => passage.Date is { } date ? date.ToDisplayString() : Nearest(DatePhrase().Matches(passage.Text), passage.Text, question),
        QuestionType.Quantity => Quantity(passage.Text, question),
        QuestionType.Who => Agent(passage.Text, question),
        QuestionType.Where => Place(passage.Text, question),
        _ => null,
    };

    /// <summary>
    /// The full name a sentence gives for a short form, either way round: "French Institute for International Relations (Ifri)",
    /// "FCC (Federal Communications Commission)". A name runs over capitalised words joined by "of", "for", "and"; not over
    /// "the", so "the Asia Center of the French Institute …" gives the institute, not the centre.
    /// </summary>
    private static string? FullName(string text, string acronym)
    {
        var shortForm = Regex.Escape(acronym);
        var before = Regex.Match(text, $@"\b((?:[A-Z][\w’'\-]*\s+(?:(?:of|for|de|and|on)\s+)?)*[A-Z][\w’'\-]*)\s*\((?i:{shortForm})\)");
        if (before.Success && !before.Groups[1].Value.Equals(acronym, StringComparison.OrdinalIgnoreCase)) return before.Groups[1].Value;
        var after = Regex.Match(text, $@"\b(?i:{shortForm})\s*\(([A-Z][^()]{{3,100}})\)");
        return after.Success ? after.Groups[1].Value.Trim() : null;
    }

    /// <summary>Where the sentence writes the asked words as a name ("xu yanjun" → "Xu Yanjun"), else null.</summary>
    private static Match? SpellsAsName(string text, string name)
    {
        var pattern = string.Join(@"\s+", name.Split(' ').Select(w => $"(?-i:(?=\\p{{Lu}})){Regex.Escape(w)}"));
        return Regex.Match(text, $@"\b{pattern}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant) is { Success: true } match ? match : null;
    }

    /// <summary>
    /// What a sentence says someone is: "Xu Yanjun is a Chinese intelligence officer who …", "Wei Sun, a naturalized engineer …,"
    /// or an actor line "Marc Julienne: Head of China activities at …". A sentence that names them doing something does not
    /// say who they are ("Xu Yanjun was found guilty …" is no answer to "who is Xu Yanjun"), so it gives nothing.
    /// </summary>
    private static string? Description(Passage passage, Match name)
    {
        var text = passage.Text;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (passage.Kind == PassageKind.Actor && colon > name.Index && colon - (name.Index + name.Length) <= 2 && colon + 1 < text.Length)
            // "President of the United States; criticised by Republicans …": the role is the part before the comment.
            return text[(colon + 1)..].Split(';')[0].Trim() is { Length: > 0 } role ? role : null;
        var after = text[(name.Index + name.Length)..];
        // After a comma, "the" starts a description only as "the head of …", "the company that …": not "According to Marc
        // Julienne, the balloon yielded …".
        if (DescriptionAfterName().Match(after) is { Success: true } description
            && (!after.StartsWith(',') || !description.Groups[1].Value.StartsWith("the ", StringComparison.Ordinal)
                || description.Groups[1].Value.Split(' ', 3) is [_, var noun, ..] && (Lexicon.PersonNouns.Contains(noun) || Lexicon.OrganisationNouns.Contains(noun))))
            return description.Groups[1].Value.Trim();
        // "Ifri researcher Marc Julienne", "opposition senator James Paterson": a title just before the name says what they are.
        return TitleBeforeName().Match(text[..name.Index]) is { Success: true } title && Lexicon.PersonNouns.Contains(title.Groups[2].Value.ToLowerInvariant())
            ? title.Value.Trim()
            : null;
    }

    [GeneratedRegex(@"(?:\b(\p{Lu}[\p{L}\-]*|opposition|former|senior|chief|deputy|top|foreign|defence|defense|intelligence)\s+)?\b(\p{L}+)\s+$")]
    private static partial Regex TitleBeforeName();

    [GeneratedRegex(@"^(?:\s+(?:is|was|are|were)\s+|,\s+)((?:a|an|the|one of)\s+[^,;:.()]{3,120}?)(?=\s+(?:who|which|that|whose|since|until)\b|\s+and\s+(?:\w+ed|is|was|has|had)\b|[,;:.()]|$)")]
    private static partial Regex DescriptionAfterName();

    /// <summary>The date soon after a word ("expected in early 2023", "postponed in February 2023"), or null when the sentence gives none.</summary>
    private static string? DateAfter(Regex word, string text)
    {
        foreach (Match plan in word.Matches(text))
        {
            var after = text.Substring(plan.Index + plan.Length, Math.Min(60, text.Length - plan.Index - plan.Length));
            if (DatePhrase().Match(after) is { Success: true } date) return date.Value;
        }

        return null;
    }

    /// <summary>True when the question's type needs a phrase of its kind to be answered.</summary>
    public static bool NeedsPhrase(QuestionType type) => type is QuestionType.When or QuestionType.Quantity or QuestionType.Who or QuestionType.Where;

    private static string? Quantity(string text, AnalyzedQuestion question)
    {
        if (question.Normalized.Contains("how old", StringComparison.Ordinal))
            return Nearest(AgePhrase().Matches(text), text, question);
        // A height, a weight, a price or a speed is a number with its unit, not "57 days" or "Group 2".
        switch (question.Measure)
        {
            case Measure.Length: return Nearest(MeasurePhrase().Matches(text), text, question);
            case Measure.Weight: return Nearest(WeightPhrase().Matches(text), text, question);
            case Measure.Money: return Nearest(MoneyPhrase().Matches(text), text, question);
            case Measure.Speed: return Nearest(SpeedPhrase().Matches(text), text, question);
        }

        var numbers = NumberPhrase().Matches(text)
            .Where(m => !Year().IsMatch(m.Groups[2].Value) && !IsPartOfDate(text, m) && !IsPartOfName(text, m) && !IsOneOf(m) && !CountsSomethingElse(m, question))
            .ToList();
        // "How long …" wants a length of time; "how many years in prison" too.
        var wantsDuration = question.Normalized.Contains("how long", StringComparison.Ordinal)
            || question.Terms.Any(t => t.Word is "years" or "months" or "days" or "weeks" or "time" or "jail" or "prison" or "sentence");
        // "Ten years after arriving" dates the sentence; it is not its length, unless the question asks how long after.
        if (wantsDuration && !AsksHowLongAfter().IsMatch(question.Normalized))
            numbers = numbers.Where(m => !OffsetFollows().IsMatch(text.AsSpan(m.Index + m.Length))).ToList();
        if (wantsDuration && numbers.Any(IsDuration)) numbers = numbers.Where(IsDuration).ToList();
        return Nearest(numbers, text, question);

        static bool IsDuration(Match m) => Regex.IsMatch(m.Value, @"(year|month|week|day)s?$");
    }

    /// <summary>"Group 2", "Article 23": a number that belongs to a name counts nothing.</summary>
    private static bool IsPartOfName(string text, Match number)
    {
        if (number.Groups[1].Success) return false;
        var before = text[..number.Index].TrimEnd();
        var start = before.LastIndexOf(' ') + 1;
        var word = before[start..];
        // "the FBI's 2,000 cases" is a count; "Group 2" is a name.
        var possessive = word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal);
        return word.Length > 1 && char.IsUpper(word[0]) && start > 0 && char.IsLetter(word[^1]) && !possessive && !MonthName().IsMatch(word);
    }

    /// <summary>"How many balloons …" is not answered by "five continents": a count of another plural noun.</summary>
    private static bool CountsSomethingElse(Match number, AnalyzedQuestion question)
    {
        // "How many parts of the world" counts nothing in particular: "five continents" answers it.
        var counted = question.CountedStems.Where(c => !VagueCounts.Contains(c)).ToList();
        var next = number.Value[(number.Groups[2].Index - number.Index + number.Groups[2].Length)..].Trim(' ', '-').ToLowerInvariant();
        if (counted.Count == 0 || next.Length < 4 || !next.EndsWith('s') || Regex.IsMatch(next, "^(years|months|weeks|days)$")) return false;
        var stem = Stemmer.Stem(next);
        return !counted.Any(c => c == stem || Lexicon.Alternatives(c).Contains(stem));
    }

    private static readonly HashSet<string> VagueCounts = new(StringComparer.Ordinal) { "part", "kind", "type", "sort", "area", "place", "thing" };

    /// <summary>"One of the companies" says which, not how many.</summary>
    private static bool IsOneOf(Match number) => number.Value.Equals("one of", StringComparison.OrdinalIgnoreCase);

    private static bool IsPartOfDate(string text, Match number)
    {
        // "9 February 2023" is a date, not a count.
        var after = text.AsSpan(number.Index + number.Length).TrimStart();
        if (MonthName().Match(after.ToString()) is { Success: true, Index: 0 }) return true;
        var before = text[..number.Index].TrimEnd();
        return MonthName().IsMatch(before.Length > 10 ? before[^10..] : before) && MonthName().Matches(before).Any(m => m.Index + m.Length == before.Length);
    }

    private static string? Agent(string text, AnalyzedQuestion question)
    {
        var names = Names(text, question).ToList();
        // People and organisations first; a country acting ("the United States shot it down") only for a plain "who",
        // never for "which company" or "which official".
        var agents = names.Where(n => !IsPlace(n.Value)).ToList();
        // "Which company …" is not answered by a government, a parliament or an agency.
        // Nor by a person ("opposition senator James Paterson").
        if (question.AskedNoun is { } noun && Lexicon.BusinessNouns.Contains(noun))
            agents = agents.Where(n => !TextNormalizer.Words(n.Value).Any(Lexicon.PublicBodyWords.Contains) && !AfterPersonNoun(text, n)).ToList();
        // "Which party does the senator belong to" is not answered by "the Australian government" either.
        var asksForParty = question.AskedNoun is "party" or "parties" or "camp";
        if (asksForParty)
            agents = agents.Where(n => !TextNormalizer.Words(n.Value).Any(GovernmentWords.Contains)).ToList();
        // "Which university did the engineer attend" is not answered by the engineer: a name the sentence calls a person
        // ("Ji Chaoqun is a Chinese engineer", "engineer Wei Sun") answers no "which <organisation>".
        if (question.AskedNoun is { } organisation && Lexicon.OrganisationNouns.Contains(organisation) && !Lexicon.PersonNouns.Contains(organisation))
            agents = agents.Where(n => !NamedAsPerson(text, n)).ToList();
        // "Which department", "which court": a public body's name says what it is ("Justice Department", "FBI"); a name that
        // does not is someone's, as "according to data from James Paterson" is.
        // Nor is a whole government a department of it ("which Australian department" is not "the UK government").
        if (question.AskedNoun is { } kind && StrictBodyNouns.Contains(kind))
            agents = agents.Where(n => LooksLikeOrganisation(n.Value) && !TextNormalizer.Words(n.Value).Any(WholeGovernmentWords.Contains)).ToList();
        // "Which reporter …" wants a person: not "RFI" when the sentence also names Baptiste Condominas. A title held by
        // one person ("who is the Australian minister …") is not answered by "the Australian government" at all.
        if (question.AskedNoun is { } person && Lexicon.PersonNouns.Contains(person) && !Lexicon.OrganisationNouns.Contains(person)
            && agents.Where(n => LooksLikePerson(n.Value)).ToList() is var people && (people.Count > 0 || Lexicon.TitleNouns.Contains(person)))
            // A full name beats a lone capitalised word ("Opposition senator James Paterson").
            agents = people.Where(n => n.Value.Trim().Contains(' ')).ToList() is { Count: > 0 } fullNames ? fullNames : people;
        // "Who was criticised over the balloon" asks who suffered it: not "Republicans" after "criticised by".
        if (PassiveWho().IsMatch(question.Normalized) && !question.Normalized.Contains(" by ", StringComparison.Ordinal)
            && agents.Where(n => !AfterBy(text, n)).ToList() is { Count: > 0 } sufferers)
            agents = sufferers;
        // "Which outlet published this piece" wants the outlet, not the reporter on the same line; "which political camp
        // criticised the president" wants "Republicans", not the president the line is about. A company's name need not look
        // like one ("ByteDance"), so "which company" keeps every agent.
        if (question.AskedNoun is { } body && Lexicon.OrganisationNouns.Contains(body) && !Lexicon.PersonNouns.Contains(body) && !Lexicon.BusinessNouns.Contains(body)
            && agents.Where(n => LooksLikeOrganisation(n.Value)).ToList() is { Count: > 0 } organisations)
            agents = organisations;
        // "Which government …" is answered by "the Australian government": a nationality and a public body.
        if (agents.Count == 0 && question.AskedNoun is { } asked && Lexicon.OrganisationNouns.Contains(asked) && !Lexicon.BusinessNouns.Contains(asked) && !asksForParty)
        {
            agents = NationalBody().Matches(text)
                .Where(m => NationOf(m.Groups[1].Value.ToLowerInvariant()) is { } nation
                    // "Which US body …" may be answered by "US intelligence agencies", not by the question's own "US government",
                    // and "which Australian department" not by the UK government.
                    && !TextNormalizer.Words(m.Value).All(w => IsQuestionWord(w, question))
                    && (NationBefore(asked, question) is not { } wanted || wanted == nation)
                    // "Which Australian department …" is not answered by "the Australian government": a named kind of body wants that kind.
                    && (!StrictBodyNouns.Contains(asked) || BodyNounOf(m.Value) is var body && (body == asked || Lexicon.Alternatives(Stemmer.Stem(asked)).Contains(Stemmer.Stem(body)))))
                .Cast<Capture>().ToList();
        }

        // A country may act ("shot down by the United States"), but one the thing flew over or was found in did nothing.
        return Nearest(agents.Count > 0 || question.AskedNoun is not null ? agents : names.Where(n => !PrecededByPlacePreposition(text, n)), text, question);
    }

    [GeneratedRegex(@"^(?:The )?\p{Lu}[\p{L}]*-\p{Ll}+$")]
    private static partial Regex HyphenatedAdjective();

    private static string? Place(string text, AnalyzedQuestion question)
    {
        // "Washington calls it a spy craft", "accusing Beijing of …": a capital that speaks or is accused is its government, not a place.
        // "from GE Aviation": an organisation after "from" is where something came from, not a place.
        var places = Names(text, question).Where(n => (IsPlace(n.Value) || PrecededByPlacePreposition(text, n) && !LooksLikeOrganisation(n.Value))
            && !StandsForItsGovernment(text, n, question)).ToList();
        var noun = question.AskedNoun;
        // "Which city …" is not answered by a country.
        // "Which city …", "which US state …": not answered by a country.
        // "Which state was it spotted over" asks for a state of a country, as "which US state" does: "the United States" is no answer.
        var belowCountry = noun is not null && (Lexicon.CityNouns.Contains(noun)
            || (noun is "state" or "states" && question.Type == QuestionType.Where)
            || (noun is "region" or "province" && Regex.IsMatch(question.Normalized, $@"\b(usa|us|american|australian|indian|chinese|german|canadian) {noun}\b")));
        if (belowCountry) places = places.Where(n => !IsCountryOrLarger(n.Value)).ToList();
        // "Which countries …" is not answered by a city or a continent ("Prague", "Europe").
        if (noun is not null && Lexicon.CountryNouns.Contains(noun)) places = places.Where(n => !IsKnownOtherThanCountry(n.Value)).ToList();
        if (places.Count > 0) return Nearest(places, text, question);
        // "Which country's senate …" is answered by "the French Senate": the nationality says the country.
        if (noun is not null && Lexicon.CountryNouns.Contains(noun) && CountryOfNationality(text, question) is { } country) return country;
        if (belowCountry) return null;
        // "at sensitive sites", "on US soil": a place without a name.
        return Nearest(PlacePhrase().Matches(text).Select(m => m.Groups[1]), text, question);
    }

    /// <summary>Capitalised names in the sentence that the question did not already say, and that are not dates or nationalities alone.</summary>
    private static IEnumerable<Capture> Names(string text, AnalyzedQuestion question)
    {
        // An actor line starts with who it is about: "ByteDance: Chinese parent company of TikTok".
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        // Not a title's colon: "X wrote the article “Balloons, pirates and cameras: when …”" is no actor line.
        // A quote line names its speaker before the comma: "James Paterson, on Australian government sites: “spyware”".
        var actor = colon > 0 && colon < 80 ? Regex.Match(text, @"^[^:“"",]+(?=(?:, [^:“""]*)?: )") : null;
        // "France shares the concern: …" opens with a clause, not with who the line is about.
        if (actor is { Success: true } && !IsQuestionsOwnName(TextNormalizer.Words(actor.Value), question) && !MonthName().IsMatch(actor.Value)
            && !Regex.IsMatch(actor.Value, @"^\d") && !Regex.IsMatch(actor.Value, @"^[^,]*\b(?!(?:of|for|and|de|on)\b)[a-z]+ (?:the|a|an)\b"))
            yield return actor;
        foreach (Match match in ProperName().Matches(text))
        {
            var value = match.Value.Trim();
            if (MonthName().IsMatch(value) && value.Split(' ').Length <= 2) continue;
            var words = TextNormalizer.Words(value);
            if (words.Length == 0) continue;
            // The first word of a sentence (or of an event after its date) is capitalised anyway: there a lone word counts only when it looks like a name
            // ("ByteDance", "ZTE") or is known as one, not when it is an ordinary word that opens the sentence.
            var opensSentence = match.Index == 0 || text.AsSpan(0, match.Index).TrimEnd().EndsWith(":", StringComparison.Ordinal);
            if (opensSentence && words.Length == 1 && !Lexicon.PlaceWords.Contains(words[0]) && !Lexicon.OrganisationWords.Contains(words[0])
                && !value.Skip(1).Any(char.IsUpper) && (Lexicon.IsStopWord(words[0]) || Lexicon.IsCommonWord(words[0]) || SentenceOpeners.Contains(words[0])
                    || words[0].EndsWith('s') || IsVerbForm(words[0]) || text.AsSpan(match.Index + match.Length).StartsWith(" of ", StringComparison.Ordinal)))
                continue;
            if (IsQuestionsOwnName(words, question)) continue;
            // "Chinese-made", "PLA-linked", "US-based": an adjective, not a name.
            if (HyphenatedAdjective().IsMatch(value)) continue;
            // "Federal Communications Commission (FCC)" is the question's "FCC" spelled out, not someone new.
            if (question.Acronym is null && IsSpelledOutQuestionWord(value, question)) continue;
            // "On 9 February 2023" opening a sentence is a date, not a name.
            if (words.All(w => Lexicon.IsStopWord(w) || w.All(char.IsDigit) || Lexicon.MonthNames.Contains(w))) continue;
            // "Two stations ordered shut …": a count opening a sentence names nobody.
            if (words.All(w => Lexicon.IsStopWord(w) || Lexicon.NumberWords.ContainsKey(w))) continue;
            // "Authorities in the Czech Republic …": a body named by its common noun alone names nobody ("FCC" does).
            // "Republicans" is a party's name, though.
            if (words.Length == 1 && Lexicon.PublicBodyWords.Contains(words[0]) && !value.All(c => !char.IsLetter(c) || char.IsUpper(c))
                && words[0] is not ("republicans" or "democrats")) continue;
            if (actor is { Success: true } && match.Index < actor.Length) continue;
            yield return match;
        }
    }

    /// <summary>
    /// A name the question itself uses is not what it asks: "according to Safeguard Defenders, who runs the stations" is not
    /// answered by "NGO Safeguard Defenders", nor "according to the State Department, who built it" by "US State Department".
    /// A nationality or a common noun for a body or a person ("NGO", "senator") does not make the name another one.
    /// </summary>
    private static bool IsQuestionsOwnName(string[] words, AnalyzedQuestion question)
    {
        // Read once per name of every candidate: one pass, each word checked against the question once.
        bool genericNotAsked = false, distinctive = false;
        foreach (var word in words)
        {
            if (Lexicon.IsStopWord(word) || IsNationality(word)) continue;
            var asked = IsQuestionWord(word, question);
            var generic = IsGenericNoun(word);
            if (!asked && !generic) return false;
            genericNotAsked |= !asked;
            distinctive |= !generic;
        }

        // "Senate" alone is a common noun the question did not use; "NGO Safeguard Defenders" has the question's own words.
        return !genericNotAsked || distinctive;
    }

    private static bool IsGenericNoun(string word) =>
        Lexicon.OrganisationNouns.Contains(word) || Lexicon.PublicBodyWords.Contains(word) || Lexicon.PersonNouns.Contains(word);

    /// <summary>"The Federal Communications Commission (FCC)" when the question says "FCC": its initials, "the" and a bracket aside.</summary>
    internal static bool IsSpelledOutQuestionWord(string name, AnalyzedQuestion question)
    {
        var full = Regex.Replace(name, @"\s*\([^)]*\)$", "");
        var initials = string.Concat(full.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => char.IsUpper(w[0]) && !Lexicon.IsStopWord(w.ToLowerInvariant())).Select(w => char.ToLowerInvariant(w[0])));
        return initials.Length >= 2 && question.Terms.Any(t => t.Word == initials);
    }

    /// <summary>Words that open a sentence without naming anything: "Around the same time, …", "Meanwhile, …".</summary>
    private static readonly HashSet<string> SentenceOpeners = new(StringComparer.Ordinal)
    {
        "around", "about", "after", "before", "since", "during", "following", "despite", "amid", "under", "among", "between", "within",
        "without", "while", "although", "though", "meanwhile", "however", "moreover", "also", "yet", "still", "later", "earlier",
        "part", "most", "some", "many", "several", "both", "each", "all", "another", "other", "others", "such", "this", "these", "those",
    };

    /// <summary>The question's own word (not a synonym: "Prague" answers a question about the Czech authorities).</summary>
    private static bool IsQuestionWord(string word, AnalyzedQuestion question)
    {
        // A question's "US" is read as "usa" (it is no pronoun there); in a sentence's "US court" it is the same country.
        if (word == "us") word = "usa";
        var stem = Stemmer.Stem(word);
        return question.Terms.Any(t => t.Word == word || t.Stem == stem);
    }

    private static bool PrecededByPlacePreposition(string text, Capture name)
    {
        var before = text[..name.Index].TrimEnd();
        if (before.EndsWith(" the", StringComparison.Ordinal)) before = before[..^4].TrimEnd();
        // "According to Marc Julienne" names a source, not a place.
        return Regex.IsMatch(before, @"\b(in|off|near|at|based in|from|over|to|into)$") && !before.EndsWith("according to", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"senator James Paterson", "according to data from James Paterson": a person, or the source of the sentence.</summary>
    private static bool AfterPersonNoun(string text, Capture name)
    {
        var before = TextNormalizer.Words(text[..name.Index], 2000);
        return before.Length > 0 && (Lexicon.PersonNouns.Contains(before[^1])
            || string.Join(' ', before.TakeLast(5)).Contains("according to", StringComparison.Ordinal));
    }

    private static readonly HashSet<string> StrictBodyNouns = new(StringComparer.Ordinal)
    {
        "department", "departments", "ministry", "ministries", "university", "universities", "court", "courts", "agency", "agencies",
        "commission", "committee", "council", "regulator", "institute",
    };

    private static string BodyNounOf(string nationalBody) => nationalBody.Split(' ')[^1].ToLowerInvariant();

    /// <summary>Words naming a whole government: no department, court or party is one.</summary>
    private static readonly HashSet<string> WholeGovernmentWords = new(StringComparer.Ordinal)
    {
        "government", "governments", "administration", "authorities",
    };

    /// <summary>A government or a part of it: no party is one.</summary>
    private static readonly HashSet<string> GovernmentWords = new(WholeGovernmentWords.Append("ministry").Append("department"), StringComparer.Ordinal);

    /// <summary>"Engineer Wei Sun", "Ji Chaoqun is a Chinese engineer", "Xu Yanjun, an intelligence officer": the sentence says the name is a person's.</summary>
    private static bool NamedAsPerson(string text, Capture name)
    {
        // "Opposition MP James Paterson" opening a line holds its own title.
        if (TextNormalizer.Words(name.Value).Any(Lexicon.PersonNouns.Contains)) return true;
        var before = TextNormalizer.Words(text[..name.Index], 2000);
        // "Engineer Wei Sun", "intelligence officer Xu Yanjun" — but not "the head of Huawei".
        if (before.Length > 0 && (Lexicon.PersonNouns.Contains(before[^1])
            || before.Length > 1 && Lexicon.PersonNouns.Contains(before[^2]) && !Lexicon.IsStopWord(before[^1]))) return true;
        var after = TextNormalizer.Words(text[(name.Index + name.Length)..], 2000);
        var start = after.Length > 0 && after[0] is "is" or "was" ? 1 : 0;
        if (after.Length <= start || after[start] is not ("a" or "an")) return false;
        // Up to three words describe before the noun: "a naturalized engineer", "a Chinese intelligence officer".
        return after.Skip(start + 1).Take(4).TakeWhile(w => !Lexicon.IsStopWord(w)).Any(Lexicon.PersonNouns.Contains);
    }

    /// <summary>"Announced", "Launching": a verb opening a line, not a name.</summary>
    private static bool IsVerbForm(string word) => word.Length > 5 && (word.EndsWith("ed", StringComparison.Ordinal) || word.EndsWith("ing", StringComparison.Ordinal));

    /// <remarks>The accused stays a place when the question asks who was accused ("which city did Beijing accuse").</remarks>
    private static bool StandsForItsGovernment(string text, Capture name, AnalyzedQuestion question) =>
        TextNormalizer.Words(text[(name.Index + name.Length)..], 40) is { Length: > 0 } after && (Lexicon.ReportingVerbs.Contains(after[0]) || StateActs.Contains(after[0]))
        || TextNormalizer.Words(text[..name.Index], 2000) is { Length: > 0 } before && AccusingVerbs.Contains(before[^1])
            && !question.Terms.Any(t => AccusingStems.Contains(t.Stem));

    /// <summary>"China operates secret police stations in Europe": a country doing something is its state acting, not where it happened.</summary>
    private static readonly HashSet<string> StateActs = new(StringComparer.Ordinal)
    {
        "operates", "operated", "runs", "ran", "sends", "sent", "imposes", "imposed", "bans", "banned", "orders", "ordered",
        "uses", "used", "spies", "spied", "targets", "targeted", "blacklists", "blacklisted", "monitors", "monitored", "shoots",
    };

    private static bool AfterBy(string text, Capture name) => text[..name.Index].TrimEnd().EndsWith(" by", StringComparison.Ordinal);

    [GeneratedRegex(@"\bwho (?:was|were|is|are|got|has been|have been) (?:\w+ly )?\w+(?:ed|en)\b")]
    private static partial Regex PassiveWho();

    private static readonly HashSet<string> AccusingVerbs = new(StringComparer.Ordinal)
    {
        "accuse", "accuses", "accused", "accusing", "blame", "blames", "blamed", "blaming", "urge", "urges", "urged", "urging",
        "criticise", "criticised", "criticize", "criticized", "condemn", "condemned", "sanction", "sanctioned", "warn", "warned", "warning",
    };

    // Declared after the verbs: static fields are set in order.
    private static readonly HashSet<string> AccusingStems = AccusingVerbs.Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);

    /// <summary>Neither an organisation nor a nationality's adjective ("Chinese-made").</summary>
    private static bool LooksLikePerson(string name) =>
        !LooksLikeOrganisation(name) && !TextNormalizer.Words(name).Any(Lexicon.CountryOfNationality.ContainsKey);

    private static bool LooksLikeOrganisation(string name) =>
        name.Length > 1 && name.All(c => !char.IsLetter(c) || char.IsUpper(c)) || TextNormalizer.Words(name).Any(w => Lexicon.OrganisationWords.Contains(w) || Lexicon.PublicBodyWords.Contains(w));

    private static bool IsCountryOrLarger(string name)
    {
        var places = TextNormalizer.Words(name).Where(Lexicon.PlaceWords.Contains).ToList();
        return places.Count > 0 && places.All(p => Lexicon.CountryWords.Contains(p) || Lexicon.ContinentWords.Contains(p));
    }

    /// <summary>A name made only of known places none of which is a country: "Prague", "South Carolina", "Europe".</summary>
    private static bool IsKnownOtherThanCountry(string name)
    {
        var words = TextNormalizer.Words(name).Where(w => !Lexicon.IsStopWord(w)).ToList();
        return words.Count > 0 && words.All(Lexicon.PlaceWords.Contains) && !words.Any(Lexicon.CountryWords.Contains);
    }

    private static bool IsCountry(string name)
    {
        var places = TextNormalizer.Words(name).Where(Lexicon.PlaceWords.Contains).ToList();
        return places.Count > 0 && places.All(Lexicon.CountryWords.Contains);
    }

    /// <summary>The country a word names or is the nationality of ("us", "american" → the United States), or null.</summary>
    private static string? NationOf(string word) => word switch
    {
        "us" or "usa" or "america" => Lexicon.CountryOfNationality["american"],
        "uk" or "britain" => Lexicon.CountryOfNationality["british"],
        _ => Lexicon.CountryOfNationality.GetValueOrDefault(word),
    };

    /// <summary>"Which AUSTRALIAN department": the country the question gives the noun it asks for, or null.</summary>
    private static string? NationBefore(string noun, AnalyzedQuestion question)
    {
        var words = question.Normalized.Split(' ');
        var at = Array.IndexOf(words, noun);
        return at > 0 ? NationOf(words[at - 1]) : null;
    }

    private static string? CountryOfNationality(string text, AnalyzedQuestion question)
    {
        var nationalities = Regex.Matches(text, @"\b[A-Z][a-z]+\b")
            .Where(m => Lexicon.CountryOfNationality.ContainsKey(m.Value.ToLowerInvariant()) && !IsQuestionWord(m.Value.ToLowerInvariant(), question));
        return Nearest(nationalities, text, question) is { } nationality ? Lexicon.CountryOfNationality[nationality.ToLowerInvariant()] : null;
    }

    private static bool IsPlace(string name)
    {
        var words = TextNormalizer.Words(name);
        return words.Length > 0 && words.Any(Lexicon.PlaceWords.Contains) && !words.Any(Lexicon.OrganisationWords.Contains);
    }

    internal static bool IsNationality(string word) => word is "chinese" or "american" or "americans" or "french" or "british" or "australian" or "dutch" or "czech"
        or "us" or "uk" or "western" or "european" or "russian" or "japanese" or "german" or "taiwanese" or "tibetan";

    private static string? Nearest(IEnumerable<Capture> matches, string text, AnalyzedQuestion question)
    {
        string? best = null;
        var bestScore = double.MinValue;
        var words = TextNormalizer.Words(text, 2000);
        var clauses = Clauses(text);
        var holding = clauses.Count > 1 ? HoldingQuestionWords(text, clauses, question) : null;
        foreach (var match in matches)
        {
            if (holding is not null && InAnotherClause(match, text, clauses, holding)) continue;
            // Words near the phrase that the question also uses pull it ahead of other phrases in the sentence.
            var position = TextNormalizer.Words(text[..match.Index], 2000).Length;
            var window = words.Skip(Math.Max(0, position - 6)).Take(14).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
            var score = question.Terms.Count(t => t.Alternatives.Any(window.Contains)) - position * 0.01;
            if (score > bestScore)
            {
                bestScore = score;
                best = match.Value.Trim();
            }
        }

        return best;
    }

    /// <summary>
    /// Where the sentence's clauses start: after a semicolon, and at "and"/"but" followed by a verb ("was spotted over the
    /// United States on 2 February and shot down off South Carolina"): each clause tells of its own event.
    /// </summary>
    private static List<int> Clauses(string text)
    {
        var starts = new List<int> { 0 };
        foreach (Match joint in ClauseJoint().Matches(text))
        {
            var next = joint.Groups["verb"];
            if (!next.Success || IsVerbForm(next.Value) || next.Value.EndsWith("ed", StringComparison.Ordinal) || Stemmer.IsIrregularVerbForm(next.Value)
                || next.Value is "was" or "were" or "is" or "are" or "has" or "had" or "have" or "will" or "says" or "said")
                starts.Add(joint.Index + joint.Length);
        }

        return starts;
    }

    [GeneratedRegex(@";\s*|\b(?:and|but) (?=(?:\w+ly )?(?<verb>[a-z]+)\b)")]
    private static partial Regex ClauseJoint();

    /// <summary>For each clause, whether it holds one of the question's words (light words and answer-kind nouns aside).</summary>
    private static bool[] HoldingQuestionWords(string text, List<int> clauses, AnalyzedQuestion question)
    {
        var holding = new bool[clauses.Count];
        for (var i = 0; i < clauses.Count; i++)
        {
            var end = i + 1 < clauses.Count ? clauses[i + 1] : text.Length;
            var stems = TextNormalizer.Words(text[clauses[i]..end], 2000).Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
            holding[i] = question.Terms.Any(t => !Lexicon.LightWords.Contains(t.Word) && !Lexicon.AnswerKindNouns.Contains(t.Word) && t.Alternatives.Append(t.Stem).Any(stems.Contains));
        }

        return holding;
    }

    /// <summary>
    /// True when the phrase sits in a clause holding none of the question's words while another clause holds some: "over which
    /// US state was the balloon first spotted" is not answered by where it was shot down. An actor line's subject covers all its clauses.
    /// </summary>
    private static bool InAnotherClause(Capture match, string text, List<int> clauses, bool[] holding)
    {
        if (match.Index == 0 && text.AsSpan(match.Length).StartsWith(": ", StringComparison.Ordinal)) return false;
        var own = clauses.FindLastIndex(start => start <= match.Index);
        return !holding[own] && holding.Any(h => h);
    }
}
