using Bot.Core.Answers;

namespace Bot.Core.Tests.Answers;

public class NearCopiesTests
{
    [Fact]
    public void A_ranking_keeps_two_copies_of_a_sentence_and_reaches_past_the_rest()
    {
        string[] ranked = ["30 diplomats were expelled.", "26 diplomats were expelled.", "8 diplomats were expelled.", "40 diplomats were expelled.", "The State Department says a company built it."];

        var kept = NearCopies.Thin(ranked, 3, (a, b) => NearCopies.Gist(a) == NearCopies.Gist(b));

        Assert.Equal(["30 diplomats were expelled.", "26 diplomats were expelled.", "The State Department says a company built it."], kept);
    }

    [Fact]
    public void Sentences_that_differ_only_in_numbers_have_one_gist_and_other_words_make_another()
    {
        Assert.Equal(NearCopies.Gist("30 diplomats were expelled."), NearCopies.Gist("8 Diplomats were expelled"));
        Assert.NotEqual(NearCopies.Gist("30 diplomats were expelled."), NearCopies.Gist("30 diplomats were recalled."));
    }

    [Fact]
    public void Thinning_nothing_or_asking_for_none_gives_nothing()
    {
        Assert.Empty(NearCopies.Thin(Array.Empty<string>(), 5, (a, b) => true));
        Assert.Empty(NearCopies.Thin(["a"], 0, (a, b) => false));
    }
}
