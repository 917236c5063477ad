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

/// <summary>A content word of the question, with the stems that count as covering it.</summary>
public sealed record QuestionTerm(string Word, string Stem, IReadOnlyList<string> Alternatives);

public sealed record AnalyzedQuestion(string Text, string Normalized, QuestionType Type, IReadOnlyList<QuestionTerm> Terms, bool RefersBack)
{
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

    public static AnalyzedQuestion Analyze(string question)
    {
        var text = question.Length > MaxQuestionLength ? question[..MaxQuestionLength] : question;
        // "US" in capitals is the country, not the pronoun, before everything is lower-cased.
        var marked = UnitedKingdom().Replace(UnitedStates().Replace(text, " usa "), " uk ");
        var normalized = TextNormalizer.Normalize(marked, MaxQuestionLength);
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var type = Classify(normalized, words);

        var terms = new List<QuestionTerm>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (Lexicon.IsStopWord(word) || word.Length < 2 && !char.IsDigit(word[0])) continue;
            var stem = Stemmer.Stem(word);
            if (!seen.Add(stem)) continue;
            terms.Add(new QuestionTerm(word, stem, Lexicon.Alternatives(stem)));
        }

        var refersBack = words.Any(BackReferences.Contains) || words.FirstOrDefault() is "and" or "also" or "so" or "then";
        return new AnalyzedQuestion(text, normalized, type, terms, refersBack);
    }

    public static QuestionType Classify(string normalized, string[] words)
    {
        static bool Has(string text, string phrase) => $" {text} ".Contains($" {phrase} ", StringComparison.Ordinal);

        if (Has(normalized, "how many") || Has(normalized, "how much") || Has(normalized, "how long") || Has(normalized, "how old")
            || Has(normalized, "what number") || Has(normalized, "number of") || Has(normalized, "what percentage") || Has(normalized, "how big"))
            return QuestionType.Quantity;
        if (Has(normalized, "when") || Has(normalized, "what year") || Has(normalized, "which year") || Has(normalized, "what date")
            || Has(normalized, "what day") || Has(normalized, "which day") || Has(normalized, "what month") || Has(normalized, "which month")
            || Has(normalized, "since when") || Has(normalized, "by what year") || Has(normalized, "what time"))
            return QuestionType.When;
        // "What was it built for?" asks for a purpose, like "why".
        if (Has(normalized, "why") || Has(normalized, "what reason") || Has(normalized, "for what reason") || Has(normalized, "on what grounds")
            || Has(normalized, "what purpose") || (words.Length > 2 && words[0] == "what" && words[^1] == "for"))
            return QuestionType.Why;
        if (Has(normalized, "where") || Has(normalized, "which country") || Has(normalized, "what country") || Has(normalized, "which city")
            || Has(normalized, "what city") || Has(normalized, "in which place"))
            return QuestionType.Where;
        if (words.Contains("who") || words.Contains("whom") || words.Contains("whose") || Has(normalized, "which person")
            || Has(normalized, "which company") || Has(normalized, "which organisation") || Has(normalized, "which organization"))
            return QuestionType.Who;
        return QuestionType.Other;
    }
}
