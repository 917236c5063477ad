namespace Bot.Core.Answers;

/// <summary>
/// Thins a ranking of passages where one sentence recurs in many incidents with a number, a place or a name changed
/// ("30 diplomats were expelled …" in a hundred incidents): left alone, such copies fill every place of a candidate
/// list and crowd out the one sentence that answers. Two copies are kept, not one, because a store's own sentences
/// often say a thing twice in different roles (a fact and the actor line it comes from), and both help the judge.
/// </summary>
public static class NearCopies
{
    /// <summary>Cosine from which two sentence vectors say the same thing (a number or a place changed, nothing else).</summary>
    public const float SameFrom = 0.95f;

    /// <summary>How many near-copies of one sentence a ranking keeps.</summary>
    public const int Kept = 2;

    /// <summary>The first <paramref name="limit"/> of <paramref name="ranked"/>, each passed over when <see cref="Kept"/> of those already taken are copies of it.</summary>
    public static List<T> Thin<T>(IEnumerable<T> ranked, int limit, Func<T, T, bool> same)
    {
        var taken = new List<T>(limit);
        foreach (var item in ranked)
        {
            if (taken.Count == limit) break;
            var copies = 0;
            foreach (var earlier in taken)
                if (same(earlier, item) && ++copies == Kept) break;
            if (copies < Kept) taken.Add(item);
        }

        return taken;
    }

    /// <summary>Without vectors, a sentence is a copy of another when they differ only in their numbers.</summary>
    public static string Gist(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
            if (char.IsLetter(c)) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }
}
