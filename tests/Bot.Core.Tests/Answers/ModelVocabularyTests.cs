using Bot.Embeddings;

namespace Bot.Core.Tests.Answers;

/// <summary>The model's word list tells ordinary English words from names and slips, without loading the model.</summary>
public class ModelVocabularyTests
{
    private readonly ModelVocabulary _words = new();

    [Theory]
    [InlineData("community")]
    [InlineData("expert")]
    [InlineData("diplomat")]
    [InlineData("write")]
    [InlineData("paterson")]
    public void Ordinary_words_are_in_it(string word) => Assert.True(_words.Contains(word));

    [Theory]
    [InlineData("hikvision")]
    [InlineData("hikvison")]
    [InlineData("huawei")]
    [InlineData("canbera")]
    [InlineData("safegaurd")]
    [InlineData("chaoqun")]
    [InlineData("##ing")]
    [InlineData("[CLS]")]
    public void Names_slips_and_word_pieces_are_not(string word) => Assert.False(_words.Contains(word));

    [Fact]
    public void It_holds_tens_of_thousands_of_words() => Assert.InRange(ModelVocabulary.Count, 15_000, 30_000);
}
