using Bot.Core.Text;

namespace Bot.Core.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("  Xu   YANJUN ", "xu yanjun")]
    [InlineData("Hikvision/Dahua", "hikvision dahua")]
    [InlineData("Café Société", "cafe societe")]
    [InlineData("balloon' OR 1=1 --", "balloon or 1 1")]
    [InlineData("\"*NEAR(", "near")]
    [InlineData("🎈 balloon 🎈", "balloon")]
    [InlineData("🎈🎈", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Keeps_only_lower_case_letters_and_digits_separated_by_single_spaces(string? input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Fact]
    public void Long_input_cut_in_the_middle_of_an_emoji_is_still_normalised()
    {
        var text = new string('a', TextNormalizer.MaxQueryLength * 4 - 1) + "🎈 balloon";

        Assert.Equal(new string('a', TextNormalizer.MaxQueryLength), TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Broken_utf16_and_U_FFFE_separate_words_instead_of_throwing()
    {
        // Not in InlineData: attribute strings are stored as UTF-8, where a lone surrogate cannot survive.
        Assert.Equal("ab cd", TextNormalizer.Normalize("ab\ud800cd"));
        Assert.Equal("ab cd", TextNormalizer.Normalize("ab\uFFFEcd"));
    }

    [Fact]
    public void Cuts_very_long_input_to_the_query_limit()
    {
        var normalized = TextNormalizer.Normalize(new string('a', 10_000));

        Assert.Equal(TextNormalizer.MaxQueryLength, normalized.Length);
    }

    [Fact]
    public void Keeps_letters_of_other_scripts()
    {
        Assert.Equal("华为 huawei", TextNormalizer.Normalize("华为 (Huawei)"));
    }

    [Theory]
    [InlineData("balloon\\ud800", "balloon")]
    [InlineData("\\udc00balloon", "balloon")]
    [InlineData("spy\\ud800balloon", "spy balloon")]
    [InlineData("spy\\udc00\\ud800balloon", "spy balloon")]
    public void Lone_surrogates_separate_words_instead_of_throwing(string escaped, string expected)
    {
        // Escaped: attribute arguments cannot carry a lone surrogate (it would arrive as U+FFFD).
        var text = System.Text.RegularExpressions.Regex.Unescape(escaped);

        Assert.Equal(expected, TextNormalizer.Normalize(text));
    }

    [Fact]
    public void A_surrogate_pair_cut_by_the_length_limit_does_not_throw()
    {
        // Input is cut at maxLength × 4 = 12 characters: here between the two halves of the emoji.
        var text = new string('a', 11) + "🎈";

        Assert.Equal("aaa", TextNormalizer.Normalize(text, maxLength: 3));
    }
}

public class EditDistanceTests
{
    [Theory]
    [InlineData("balloon", "balloon", 0)]
    [InlineData("baloon", "balloon", 1)]
    [InlineData("hikvsion", "hikvision", 1)]
    [InlineData("", "abc", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Counts_edits_with_adjacent_swaps_as_one(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Compute(a, b));
    }

    [Fact]
    public void A_typo_inside_a_long_name_still_scores_as_a_near_match()
    {
        Assert.True(EditDistance.BestWindowSimilarity("hikvison", "hikvision and dahua surveillance cameras") > 0.8);
    }
}
