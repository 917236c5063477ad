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

    [GeneratedRegex(@"^(?:19|20)\d{2}$")]
    private static partial Regex Year();

    /// <summary>A run of capitalised words, allowing "of", "for", "and" or "de" inside and a code like "FCC" or "Group 2".</summary>
    [GeneratedRegex(@"\b[A-Z][\w’'\-]*(?:\s+(?:(?:of|for|de|and)\s+(?:the\s+)?)?(?:[A-Z][\w’'\-]*|\d+\b))*(?:\s+\([A-Z]{2,}\))?")]
    private static partial Regex ProperName();

    [GeneratedRegex(@"\b(?:in|at|on|off|near|from|into|over|across|to)\s+((?:the\s+)?(?:[a-z]+\s+){0,2}(?:sites?|buildings?|soil|territory|ocean|sea|coast|premises|offices?|countries|airspace|abroad|facilities|networks?))\b")]
    private static partial Regex PlacePhrase();

    [GeneratedRegex(@"\b(?:" + Months + @")\b")]
    private static partial Regex MonthName();

    public static string? Extract(Passage passage, AnalyzedQuestion question) => question.Type switch
    {
        QuestionType.When => passage.Date is { } date ? date.ToDisplayString() : Nearest(DatePhrase().Matches(passage.Text), passage.Text, question),
        QuestionType.Quantity => Quantity(passage.Text, question),
        QuestionType.Who => Agent(passage.Text, question),
        QuestionType.Where => Place(passage.Text, question),
        _ => null,
    };

    /// <summary>True when the question's type needs a phrase of its kind to be answered.</summary>
    public static bool NeedsPhrase(QuestionType type) => type is QuestionType.When or QuestionType.Quantity or QuestionType.Who or QuestionType.Where;

    private static string? Quantity(string text, AnalyzedQuestion question)
    {
        if (question.Normalized.Contains("how old", StringComparison.Ordinal))
            return Nearest(AgePhrase().Matches(text), text, question);
        // A height or a distance is a number with a unit of length, not "57 days".
        if (Regex.IsMatch(question.Normalized, @"\bhow (tall|high|far|wide|deep|big|large)\b"))
            return Nearest(MeasurePhrase().Matches(text), text, question);
        var numbers = NumberPhrase().Matches(text)
            .Where(m => !Year().IsMatch(m.Groups[2].Value) && !IsPartOfDate(text, m))
            .ToList();
        // "How long …" wants a length of time; "how many years in prison" too.
        var wantsDuration = question.Normalized.Contains("how long", StringComparison.Ordinal)
            || question.Terms.Any(t => t.Word is "years" or "months" or "days" or "weeks" or "time" or "jail" or "prison" or "sentence");
        if (wantsDuration && numbers.Any(IsDuration)) numbers = numbers.Where(IsDuration).ToList();
        return Nearest(numbers, text, question);

        static bool IsDuration(Match m) => Regex.IsMatch(m.Value, @"(year|month|week|day)s?$");
    }

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
        return Nearest(agents.Count > 0 || question.AskedNoun is not null ? agents : names, text, question);
    }

    private static string? Place(string text, AnalyzedQuestion question)
    {
        var places = Names(text, question).Where(n => IsPlace(n.Value) || PrecededByPlacePreposition(text, n)).ToList();
        if (places.Count > 0) return Nearest(places, text, question);
        // "at sensitive sites", "on US soil": a place without a name.
        return Nearest(PlacePhrase().Matches(text).Select(m => m.Groups[1]), text, question);
    }

    /// <summary>Capitalised names in the sentence that the question did not already say, and that are not dates or nationalities alone.</summary>
    private static IEnumerable<Capture> Names(string text, AnalyzedQuestion question)
    {
        // An actor line starts with who it is about: "ByteDance: Chinese parent company of TikTok".
        var colon = text.IndexOf(": ", StringComparison.Ordinal);
        var actor = colon > 0 && colon < 80 ? Regex.Match(text, @"^[^:]+(?=: )") : null;
        if (actor is { Success: true } && !TextNormalizer.Words(actor.Value).All(w => IsQuestionWord(w, question)) && !MonthName().IsMatch(actor.Value)
            && !Regex.IsMatch(actor.Value, @"^\d"))
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
                && !value.Skip(1).Any(char.IsUpper) && (Lexicon.IsStopWord(words[0]) || Lexicon.IsCommonWord(words[0]) || words[0].EndsWith('s')))
                continue;
            if (words.All(w => Lexicon.IsStopWord(w) || IsNationality(w) || IsQuestionWord(w, question))) continue;
            if (actor is { Success: true } && match.Index < actor.Length) continue;
            yield return match;
        }
    }

    /// <summary>The question's own word (not a synonym: "Prague" answers a question about the Czech authorities).</summary>
    private static bool IsQuestionWord(string word, AnalyzedQuestion question)
    {
        var stem = Stemmer.Stem(word);
        return question.Terms.Any(t => t.Word == word || t.Stem == stem);
    }

    private static bool PrecededByPlacePreposition(string text, Capture name)
    {
        var before = text[..name.Index].TrimEnd();
        if (before.EndsWith(" the", StringComparison.Ordinal)) before = before[..^4].TrimEnd();
        return Regex.IsMatch(before, @"\b(in|off|near|at|based in|from|over|to|into)$");
    }

    private static bool IsPlace(string name)
    {
        var words = TextNormalizer.Words(name);
        return words.Length > 0 && words.Any(Lexicon.PlaceWords.Contains) && !words.Any(Lexicon.OrganisationWords.Contains);
    }

    private static bool IsNationality(string word) => word is "chinese" or "american" or "americans" or "french" or "british" or "australian" or "dutch" or "czech"
        or "us" or "uk" or "western" or "european" or "russian" or "japanese" or "german" or "taiwanese" or "tibetan";

    private static string? Nearest(IEnumerable<Capture> matches, string text, AnalyzedQuestion question)
    {
        string? best = null;
        var bestScore = double.MinValue;
        var words = TextNormalizer.Words(text, 2000);
        foreach (var match in matches)
        {
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
}
