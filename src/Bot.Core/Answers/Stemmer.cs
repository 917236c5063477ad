namespace Bot.Core.Answers;

/// <summary>
/// A deliberately light suffix stripper, applied the same way to questions and passages so that
/// "sentenced"/"sentence", "spies"/"spy" and "banned"/"ban" meet. It only has to be consistent,
/// not linguistically right.
/// </summary>
public static class Stemmer
{
    private static readonly string[] Suffixes = ["ingly", "edly", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ers", "ed", "ly", "er", "al"];

    /// <summary>Irregular past forms, so "led" meets "leading" and "stole" meets "stealing".</summary>
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["led"] = "lead",
        ["made"] = "make",
        ["took"] = "take",
        ["taken"] = "take",
        ["gave"] = "give",
        ["given"] = "give",
        ["came"] = "come",
        ["went"] = "go",
        ["gone"] = "go",
        ["got"] = "get",
        ["sold"] = "sell",
        ["told"] = "tell",
        ["stole"] = "steal",
        ["stolen"] = "steal",
        ["shot"] = "shoot",
        ["met"] = "meet",
        ["brought"] = "bring",
        ["bought"] = "buy",
        ["caught"] = "catch",
        ["fought"] = "fight",
        ["held"] = "hold",
        ["kept"] = "keep",
        ["left"] = "leave",
        ["lost"] = "lose",
        ["paid"] = "pay",
        ["ran"] = "run",
        ["saw"] = "see",
        ["seen"] = "see",
        ["sent"] = "send",
        ["spent"] = "spend",
        ["stood"] = "stand",
        ["thought"] = "think",
        ["wrote"] = "write",
        ["written"] = "write",
        ["began"] = "begin",
        ["begun"] = "begin",
        ["chose"] = "choose",
        ["flew"] = "fly",
        ["flown"] = "fly",
        ["grew"] = "grow",
        ["hid"] = "hide",
        ["hidden"] = "hide",
        ["knew"] = "know",
        ["known"] = "know",
        ["rose"] = "rise",
        ["spoke"] = "speak",
        ["spoken"] = "speak",
        ["threw"] = "throw",
        ["found"] = "find",
        ["built"] = "build",
        ["struck"] = "strike",
        ["sought"] = "seek",
        ["taught"] = "teach",
        ["fell"] = "fall",
        ["drew"] = "draw",
        ["drawn"] = "draw",
        ["said"] = "say",
        ["going"] = "go",
        ["done"] = "do",
        ["won"] = "win",
    };

    /// <summary>True for "went", "stole", "built": forms that are verbs whatever follows them.</summary>
    public static bool IsIrregularVerbForm(string word) => Irregular.ContainsKey(word);

    public static string Stem(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.EndsWith("'s", StringComparison.Ordinal) || w.EndsWith("’s", StringComparison.Ordinal)) w = w[..^2];
        if (Irregular.TryGetValue(w, out var baseForm)) w = baseForm;
        if (w.Length <= 3) return w;

        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) w = w[..^3] + "y";
        else if (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal))
            w = w[..^2];
        else if (w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
            w = w[..^1];

        foreach (var suffix in Suffixes)
        {
            if (!w.EndsWith(suffix, StringComparison.Ordinal) || w.Length - suffix.Length < 3) continue;
            w = w[..^suffix.Length];
            // "banned" -> "bann" -> "ban"; but "fall", "pass" and "buzz" keep their pair.
            if (w.Length >= 3 && w[^1] == w[^2] && w[^1] is not ('l' or 's' or 'z')) w = w[..^1];
            break;
        }

        if (w.Length > 4 && w.EndsWith('e')) w = w[..^1];
        return w;
    }
}
