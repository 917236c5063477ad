namespace Bot.Core.Answers;

/// <summary>
/// Ordinary English words. The typo resolver leaves them alone, so "community" is not "corrected" into the
/// store's "communist", nor "expert" into "export": a real word typed is meant, a slip makes a non-word.
/// </summary>
public interface IEnglishWords
{
    bool Contains(string word);
}

public static class EnglishWords
{
    /// <summary>No word list: only the store's own vocabulary and the built-in common words guide corrections.</summary>
    public static IEnglishWords None { get; } = new Empty();

    private sealed class Empty : IEnglishWords
    {
        public bool Contains(string word) => false;
    }
}
