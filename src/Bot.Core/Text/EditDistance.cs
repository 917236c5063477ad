namespace Bot.Core.Text;

/// <summary>Optimal-string-alignment distance: Levenshtein plus adjacent swaps ("hikvsion").</summary>
public static class EditDistance
{
    public static int Compute(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0) return b.Length;
        if (b.Length == 0) return a.Length;
        var columns = b.Length + 1;
        Span<int> previousPrevious = columns <= 256 ? stackalloc int[columns] : new int[columns];
        Span<int> previous = columns <= 256 ? stackalloc int[columns] : new int[columns];
        Span<int> current = columns <= 256 ? stackalloc int[columns] : new int[columns];
        for (var j = 0; j < columns; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previousPrevious[j - 2] + 1);
                current[j] = value;
            }

            var recycled = previousPrevious;
            previousPrevious = previous;
            previous = current;
            current = recycled;
        }

        return previous[b.Length];
    }

    /// <summary>1 for equal strings, 0 for nothing in common.</summary>
    public static double Similarity(string a, string b)
    {
        var longest = Math.Max(a.Length, b.Length);
        return longest == 0 ? 1 : 1 - (double)Compute(a, b) / longest;
    }

    /// <summary>
    /// How well the query matches the best stretch of words in a longer name: "hikvison" against
    /// "hikvision and dahua cameras" should score as a near match, not as a poor whole-string one.
    /// </summary>
    public static double BestWindowSimilarity(string query, string name)
    {
        var best = Similarity(query, name);
        var queryWordCount = query.Count(c => c == ' ') + 1;
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= queryWordCount) return best;
        for (var start = 0; start + queryWordCount <= words.Length; start++)
        {
            var window = string.Join(' ', words, start, queryWordCount);
            best = Math.Max(best, Similarity(query, window) * 0.95);
        }

        return best;
    }
}
