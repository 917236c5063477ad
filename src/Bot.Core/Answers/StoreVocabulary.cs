using System.Numerics;
using Bot.Core.Text;

namespace Bot.Core.Answers;

/// <summary>
/// The words the store uses, with how many passages hold each, and which of them belong to names
/// (incident names and aliases, people, organisations, places written with a capital). Built from the
/// store and kept until its passages change; the typo resolver corrects questions against it.
/// </summary>
public sealed class StoreVocabulary
{
    private readonly Dictionary<string, int> _frequencies;
    private readonly HashSet<string> _names;
    private readonly Dictionary<int, List<(string Word, uint Letters)>> _byLength;
    private readonly Dictionary<string, HashSet<string>> _nextInName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _previousInName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), List<(string First, string Second)>> _namePairsByStart = [];

    public StoreVocabulary(Dictionary<string, int> frequencies, HashSet<string> names, IEnumerable<(string First, string Second)>? namePairs = null)
    {
        _frequencies = frequencies;
        _names = names;
        foreach (var (first, second) in namePairs ?? [])
        {
            Partners(_nextInName, first).Add(second);
            Partners(_previousInName, second).Add(first);
            var key = (Start(first), Start(second));
            if (!_namePairsByStart.TryGetValue(key, out var sameStart)) _namePairsByStart[key] = sameStart = [];
            sameStart.Add((first, second));
        }

        _byLength = frequencies.Keys.Concat(names).Distinct(StringComparer.Ordinal)
            .GroupBy(w => w.Length).ToDictionary(g => g.Key, g => g.Select(w => (w, LettersOf(w))).ToList());
    }

    public static StoreVocabulary Empty { get; } = new(new Dictionary<string, int>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    public int Count => _frequencies.Count;

    public bool Knows(string word) => _frequencies.ContainsKey(word) || _names.Contains(word);

    public bool IsName(string word) => _names.Contains(word);

    public int Frequency(string word) => _frequencies.GetValueOrDefault(word);

    /// <summary>Words that follow <paramref name="word"/> inside a name the store writes ("wei" → "sun").</summary>
    public IReadOnlySet<string> NextInName(string word) => _nextInName.TryGetValue(word, out var next) ? next : EmptySet;

    /// <summary>Words that come before <paramref name="word"/> inside a name the store writes ("julienne" → "marc").</summary>
    public IReadOnlySet<string> PreviousInName(string word) => _previousInName.TryGetValue(word, out var previous) ? previous : EmptySet;

    private static readonly HashSet<string> EmptySet = new(StringComparer.Ordinal);

    /// <summary>
    /// Two-word names the store writes whose halves start as these words do ("mark julian" → Marc Julienne). Slips are rare
    /// in the first two letters, and a store of 20,000 incidents holds many names: only these few are compared.
    /// </summary>
    public IReadOnlyList<(string First, string Second)> NamePairsStartingLike(string first, string second) =>
        _namePairsByStart.TryGetValue((Start(first), Start(second)), out var pairs) ? pairs : [];

    private static string Start(string word) => word.Length <= 2 ? word : word[..2];

    private static HashSet<string> Partners(Dictionary<string, HashSet<string>> map, string word)
    {
        if (!map.TryGetValue(word, out var partners)) map[word] = partners = new HashSet<string>(StringComparer.Ordinal);
        return partners;
    }

    /// <summary>Known words within <paramref name="maxDistance"/> edits of <paramref name="word"/>.</summary>
    public IEnumerable<(string Word, int Distance)> Near(string word, int maxDistance)
    {
        var letters = LettersOf(word);
        for (var length = word.Length - maxDistance; length <= word.Length + maxDistance; length++)
        {
            if (!_byLength.TryGetValue(length, out var words)) continue;
            foreach (var (candidate, candidateLetters) in words)
            {
                // One edit adds or removes at most two letters from the set of letters a word uses: most of a large
                // vocabulary is ruled out here, without computing a distance.
                if (BitOperations.PopCount(letters ^ candidateLetters) > 2 * maxDistance) continue;
                var distance = EditDistance.Compute(word, candidate);
                if (distance <= maxDistance) yield return (candidate, distance);
            }
        }
    }

    /// <summary>The set of letters a word uses, one bit each (digits and other letters share the upper bits).</summary>
    private static uint LettersOf(string word)
    {
        var set = 0u;
        foreach (var c in word)
            set |= 1u << (c is >= 'a' and <= 'z' ? c - 'a' : 26 + c % 6);
        return set;
    }

    /// <summary>Collects the vocabulary from passage texts and names as the store hands them over.</summary>
    public sealed class Builder
    {
        private readonly Dictionary<string, int> _frequencies = new(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly HashSet<(string, string)> _namePairs = [];

        public void AddPassage(string text)
        {
            _seen.Clear();
            var words = TextNormalizer.Words(text, 4000);
            foreach (var word in words)
                if (_seen.Add(word)) _frequencies[word] = _frequencies.GetValueOrDefault(word) + 1;

            // A word written with a capital after the first word of a sentence is part of a name.
            var raw = text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 1; i < raw.Length; i++)
            {
                if (raw[i].Length < 2 || !char.IsUpper(raw[i][0]) || raw[i - 1].EndsWith('.')) continue;
                foreach (var part in TextNormalizer.Words(raw[i], 200))
                    if (part.Length > 1 && !char.IsDigit(part[0]) && !Lexicon.IsStopWord(part)) _names.Add(part);
            }

            // Two capitalised words in a row are one name, even at the start of a sentence ("Wei Sun had taken …").
            for (var i = 0; i + 1 < raw.Length; i++)
            {
                if (raw[i].Length < 2 || raw[i + 1].Length < 2 || !char.IsUpper(raw[i][0]) || !char.IsUpper(raw[i + 1][0]) || !char.IsLetter(raw[i][^1])) continue;
                AddPair(TextNormalizer.Words(raw[i], 200).LastOrDefault(), TextNormalizer.Words(raw[i + 1], 200).FirstOrDefault());
            }
        }

        private void AddPair(string? first, string? second)
        {
            if (IsNamePart(first) && IsNamePart(second)) _namePairs.Add((first!, second!));
        }

        private static bool IsNamePart(string? word) => word is { Length: > 1 } && !char.IsDigit(word[0]) && !Lexicon.IsStopWord(word);

        public void AddName(string name)
        {
            var parts = TextNormalizer.Words(name, 300);
            foreach (var part in parts)
                if (IsNamePart(part)) _names.Add(part);
            for (var i = 0; i + 1 < parts.Length; i++) AddPair(parts[i], parts[i + 1]);
        }

        public StoreVocabulary Build() => new(_frequencies, _names, _namePairs);
    }
}

/// <summary>
/// Puts misspelt words right against what the store knows: "hikvison" → "hikvision", "ballon" →
/// "balloon", "bidens" → "biden". Words the store already knows are left alone; short words are
/// corrected only towards names, where a slip matters and a near-miss to a common word would not.
/// Among candidates the fewest edits win, then names, then the word more passages use.
/// </summary>
public static class TypoResolver
{
    /// <summary>A misspelt word of the question and what the store calls it.</summary>
    public sealed record Correction(string Typed, string Known);

    public static IReadOnlyList<Correction> Resolve(IEnumerable<string> words, StoreVocabulary vocabulary, IEnglishWords? english = null)
    {
        var typed = words as IReadOnlyList<string> ?? words.ToList();
        var corrections = new List<Correction>();
        foreach (var word in typed.Distinct(StringComparer.Ordinal))
        {
            if (Correct(word, vocabulary, english) is { } known && known != word) corrections.Add(new Correction(word, known));
        }

        // "wei sung", "mark julienne": a real word can be a slip for the other half of a name the store writes. Only
        // beside that name's known half, so "sung" and "mark" are left alone everywhere else.
        var read = typed.Select(w => corrections.FirstOrDefault(c => c.Typed == w)?.Known ?? w).ToList();
        for (var i = 0; i + 1 < read.Count; i++)
        {
            if (NameHalf(read[i + 1], vocabulary.NextInName(read[i])) is { } second && corrections.All(c => c.Typed != typed[i + 1]))
                corrections.Add(new Correction(typed[i + 1], second));
            else if (NameHalf(read[i], vocabulary.PreviousInName(read[i + 1])) is { } first && corrections.All(c => c.Typed != typed[i]))
                corrections.Add(new Correction(typed[i], first));
        }

        // "mark julian": both halves a little off. The first may be one edit away, the second two (from five letters), or
        // three when the first four letters agree ("julian" for "julienne").
        for (var i = 0; i + 1 < read.Count; i++)
        {
            var (first, second) = (read[i], read[i + 1]);
            if (first.Length < 3 || second.Length < 5 || Lexicon.IsStopWord(first) || Lexicon.IsStopWord(second)
                || vocabulary.NextInName(first).Contains(second) || corrections.Any(c => c.Typed == typed[i] || c.Typed == typed[i + 1])
                // Two words the store knows ("australian camera") are what was meant, whatever name they resemble.
                || vocabulary.Knows(first) && vocabulary.Knows(second))
                continue;
            var near = vocabulary.NamePairsStartingLike(first, second)
                .Where(p => EditDistance.Compute(first, p.First) <= 1 && (p.First != first || p.Second != second)
                    && EditDistance.Compute(second, p.Second) is var distance && (distance <= 2 || distance == 3 && SharedStart(second, p.Second) >= 4))
                .Take(2).ToList();
            if (near.Count != 1) continue;
            if (near[0].First != first) corrections.Add(new Correction(typed[i], near[0].First));
            if (near[0].Second != second) corrections.Add(new Correction(typed[i + 1], near[0].Second));
        }

        return corrections;
    }

    private static int SharedStart(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }

    /// <summary>The one half of a known name a word is a slip for: one edit away, same first letter; null when it is already one.</summary>
    private static string? NameHalf(string word, IReadOnlySet<string> halves)
    {
        if (halves.Count == 0 || halves.Contains(word) || word.Length < 3 || Lexicon.IsStopWord(word)) return null;
        // "jim paterson": a first name's short form.
        if (Lexicon.FirstNameShortForms.TryGetValue(word, out var full) && full.FirstOrDefault(halves.Contains) is { } spelled) return spelled;
        var near = halves.Where(h => h[0] == word[0] && EditDistance.Compute(word, h) == 1).Take(2).ToList();
        return near.Count == 1 ? near[0] : null;
    }

    public static string? Correct(string word, StoreVocabulary vocabulary, IEnglishWords? english = null)
    {
        if (word.Length < 4 || vocabulary.Count == 0 || vocabulary.Knows(word) || Lexicon.IsStopWord(word) || word.Any(char.IsDigit)) return null;
        // "bidens", "tiktoks": a possessive typed without its apostrophe.
        if (word.EndsWith('s') && vocabulary.IsName(word[..^1])) return word[..^1];
        if (Lexicon.IsCommonWord(word)) return null;
        // "talkin", "yankin": a dropped g, not a slip for some name of the store ("taken").
        // A name one letter off is still the likelier meaning ("blinkin" is Blinken, not "blinking").
        if (word.EndsWith("in", StringComparison.Ordinal) && english?.Contains(word) != true && english?.Contains(word + "g") == true
            && !vocabulary.Near(word, 1).Any(near => vocabulary.IsName(near.Item1)))
            return word + "g";
        // A real English word was meant as typed ("community" is not a slip for "communist"); only a name
        // one letter off may have been misheard as one ("patterson" for "paterson").
        var isEnglish = english is not null && IsEnglish(word, english);
        if (isEnglish && word.Length < 6) return null;

        // Slips are mostly one edit; two only in long words, where two edits still leave a word recognisable
        // (in a store of invented code names, "delete" is two edits from "Dellute"). Names, where a slip
        // matters most, allow two from six letters when the word keeps its first two letters and its last.
        var maxDistance = isEnglish ? 1 : word.Length >= 6 ? 2 : 1;
        (string Word, int Distance)? best = null;
        var bestRank = double.MinValue;
        foreach (var (candidate, distance) in vocabulary.Near(word, maxDistance))
        {
            var isName = vocabulary.IsName(candidate);
            if (candidate.Length < 3) continue;
            if (!isName && (distance > 1 || word.Length < 6 || isEnglish)) continue;
            // Aliases make ordinary words names too ("export controls"): a short English word typed ("expert") is not a slip for
            // another one; a long one may still be a surname misheard ("patterson").
            if (isEnglish && word.Length < 8 && english!.Contains(candidate)) continue;
            if (distance > 1 && word.Length < 8 && !SameEnds(word, candidate) && !candidate.StartsWith(word, StringComparison.Ordinal)) continue;
            var rank = -distance * 10 + (isName ? 3 : 0) + (candidate[0] == word[0] ? 2 : 0) + Math.Log(1 + vocabulary.Frequency(candidate)) * 0.3;
            if (rank > bestRank)
            {
                bestRank = rank;
                best = (candidate, distance);
            }
        }

        // "julien" for "julienne": a name cut short. Not an ordinary word grown longer ("diplomat" is not "diplomatic").
        if (best is null && isEnglish && word.Length >= 5)
        {
            foreach (var (candidate, distance) in vocabulary.Near(word, 2))
            {
                if (distance == 2 && vocabulary.IsName(candidate) && candidate.StartsWith(word, StringComparison.Ordinal) && english?.Contains(candidate) != true)
                    return candidate;
            }
        }

        return best?.Word;
    }

    /// <summary>
    /// A word of the list, or the plural of one ("tabs": a word list holds "tab", and "labs" is no likelier). "companys"
    /// is no plural (a consonant and y make "ies"), so it is still put right.
    /// </summary>
    private static bool IsEnglish(string word, IEnglishWords english) =>
        english.Contains(word)
        || (word.EndsWith('s') && !ConsonantThenY(word[..^1]) && english.Contains(word[..^1]))
        || (word.EndsWith("es", StringComparison.Ordinal) && english.Contains(word[..^2]))
        || (word.EndsWith("ies", StringComparison.Ordinal) && english.Contains(word[..^3] + "y"));

    private static bool ConsonantThenY(string stem) => stem.Length >= 2 && stem[^1] == 'y' && !"aeiou".Contains(stem[^2], StringComparison.Ordinal);

    private static bool SameEnds(string word, string candidate) =>
        word.AsSpan(0, 2).SequenceEqual(candidate.AsSpan(0, 2)) && word[^1] == candidate[^1];
}
