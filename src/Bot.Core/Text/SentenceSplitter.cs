using System.Text.RegularExpressions;

namespace Bot.Core.Text;

/// <summary>Splits a paragraph into sentences so that an answer can quote one sentence, not a whole summary.</summary>
public static partial class SentenceSplitter
{
    // A sentence ends at . ! or ? followed by space and a capital, a digit or an opening quote; "U.S. officials" is not an end.
    [GeneratedRegex(@"(?<=[^A-Z.][.!?][""”’)]?)\s+(?=[A-Z0-9""“‘(])")]
    private static partial Regex Boundary();

    public static IReadOnlyList<string> Split(string paragraph) =>
        Boundary().Split(paragraph.Trim()).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
}
