using Bot.Core.Answers;
using Bot.Core.Incidents;

namespace Bot.Core.Tests.Answers;

/// <summary>The pieces that read a question before any search: chat wording, typo resolution, the kind of answer wanted.</summary>
public class QuestionReadingTests
{
    private static readonly StoreVocabulary Vocabulary = Build(
        passages:
        [
            "Hikvision is a Chinese company known in particular for making video surveillance cameras.",
            "Huawei is on Washington's blacklist.",
            "Safeguard Defenders, a human rights organisation based in Madrid, published a report.",
            "The Chinese balloon was spotted over the United States on 2 February 2023.",
            "The minute of the meeting was published.",
        ],
        names: ["Ji Chaoqun", "Hikvision", "Huawei", "Safeguard Defenders", "Joe Biden", "TikTok"]);

    private static StoreVocabulary Build(string[] passages, string[] names)
    {
        var builder = new StoreVocabulary.Builder();
        foreach (var passage in passages) builder.AddPassage(passage);
        foreach (var name in names) builder.AddName(name);
        return builder.Build();
    }

    [Theory]
    [InlineData("hikvison", "hikvision")]
    [InlineData("huwaei", "huawei")]
    [InlineData("chaoqan", "chaoqun")]
    [InlineData("safegaurd", "safeguard")]
    [InlineData("ballon", "balloon")]
    [InlineData("spoted", "spotted")]
    [InlineData("bidens", "biden")]
    [InlineData("tiktoks", "tiktok")]
    public void Misspelt_words_resolve_to_what_the_store_knows(string typed, string known)
    {
        Assert.Equal(known, TypoResolver.Correct(typed, Vocabulary));
    }

    [Theory]
    [InlineData("hikvision")]
    [InlineData("minutes")]
    [InlineData("risotto")]
    [InlineData("ji")]
    [InlineData("2023")]
    public void Known_common_short_and_unrelated_words_are_left_alone(string word)
    {
        Assert.Null(TypoResolver.Correct(word, Vocabulary));
    }

    [Fact]
    public void Short_words_are_corrected_only_towards_names()
    {
        var vocabulary = Build(["The mint was closed."], ["Dahua"]);

        Assert.Equal("dahua", TypoResolver.Correct("dahau", vocabulary));
        Assert.Null(TypoResolver.Correct("mynt", vocabulary));
    }

    [Fact]
    public void Two_slips_are_corrected_only_in_long_words()
    {
        var vocabulary = Build(["Investigators seized 56 devices linked to Operation Dellute."], ["Dellute", "Hikvision"]);

        Assert.Null(TypoResolver.Correct("delete", vocabulary));
        Assert.Equal("hikvision", TypoResolver.Correct("hikvisoin", vocabulary));
    }

    [Theory]
    [InlineData("r u sure abt the govt", "are you sure about the government")]
    [InlineData("hey bot so like who even wrote this", "who even wrote this")]
    [InlineData("whats tiktoks parent company pls", "what is tiktoks parent company")]
    [InlineData("what year does xi want china to be no 1 by", "what year does xi want china to be number one by")]
    [InlineData("When was the balloon shot down?", "When was the balloon shot down?")]
    [InlineData("ngl who is marc julienne tho", "who is marc julienne")]
    [InlineData("why won't china say", "why will not china say")]
    [InlineData("who won the cup", "who won the cup")]
    public void Chat_shorthand_is_spelled_out(string typed, string tidy)
    {
        Assert.Equal(tidy, ChatWording.Tidy(typed));
    }

    [Theory]
    [InlineData("who shot the balloon down?", QuestionType.Who)]
    [InlineData("Which company owns TikTok?", QuestionType.Who)]
    [InlineData("Which top diplomat cancelled a trip?", QuestionType.Who)]
    [InlineData("What company was he working for when he took a computer to China?", QuestionType.Who)]
    [InlineData("On which island did the leaders meet?", QuestionType.Where)]
    [InlineData("where was the debris recovered", QuestionType.Where)]
    [InlineData("On what day was it shot down?", QuestionType.When)]
    [InlineData("huawei been in the us crosshairs since when", QuestionType.When)]
    [InlineData("how many cameras were found", QuestionType.Quantity)]
    [InlineData("How old is he?", QuestionType.Quantity)]
    [InlineData("why was he jailed", QuestionType.Why)]
    [InlineData("what did the senate do", QuestionType.Other)]
    public void The_first_question_word_and_its_noun_decide_the_kind_of_answer(string question, QuestionType type)
    {
        Assert.Equal(type, QuestionAnalyzer.Analyze(question).Type);
    }
}

/// <summary>Phrase extraction: the phrase put first is of the kind asked, or there is none.</summary>
public class PhraseExtractorTests
{
    private static Passage Sentence(string text, PassageKind kind = PassageKind.Fact, PartialDate? date = null) =>
        new(1, "x", "X", kind, text, date, 0);

    private static string? Extract(string question, Passage passage) => PhraseExtractor.Extract(passage, QuestionAnalyzer.Analyze(question));

    [Fact]
    public void Who_gets_a_person_or_organisation_not_a_date()
    {
        Assert.Equal("ByteDance", Extract("Which company owns TikTok?", Sentence("ByteDance is the Chinese group that owns the social network TikTok.")));
        Assert.Equal("United States", Extract("who shot the balloon down?", Sentence("The Chinese balloon was shot down by the United States on 4 February 2023, off the coast of South Carolina.")));
        Assert.EndsWith("Antony Blinken", Extract("Which top diplomat had to postpone his visit?", Sentence("Secretary of State Antony Blinken was due in Beijing early in 2023, but the visit was postponed.")));
    }

    [Fact]
    public void Who_asked_with_a_noun_never_falls_back_to_a_place()
    {
        Assert.Null(Extract("Which university did Ji Chaoqun attend?", Sentence("Ji Chaoqun is a Chinese engineer who arrived in the United States in 2013 on a student visa.")));
    }

    [Fact]
    public void An_actor_line_answers_with_its_name()
    {
        Assert.Equal("Dahua", Extract("which camera companies are blacklisted in the us", Sentence("Dahua: Chinese camera maker; blacklisted in the US", PassageKind.Actor)));
    }

    [Fact]
    public void Where_gets_a_place()
    {
        Assert.Equal("Madrid", Extract("Where is Safeguard Defenders based?", Sentence("Safeguard Defenders, a human rights organisation based in Madrid, published a report in September 2022.")));
        Assert.Equal("Prague", Extract("In which city did Beijing close two stations, according to the Czech authorities?", Sentence("Beijing has closed two \"police stations\" in Prague, according to the Czech authorities.")));
        Assert.Equal("sensitive sites", Extract("Where did the UK ban the cameras?", Sentence("In November 2022, the UK government barred Chinese-made security cameras from being installed at sensitive sites.")));
    }

    [Fact]
    public void When_gets_a_date_and_how_many_a_number_that_is_not_a_date()
    {
        Assert.Equal("4 February 2023", Extract("when was the balloon shot down", Sentence("The balloon was shot down on 4 February 2023.")));
        Assert.Equal("4 February 2023", Extract("when was it shot down", Sentence("The United States shoots the balloon down.", PassageKind.Event, new PartialDate(2023, 2, 4))));
        Assert.Equal("at least 913 cameras", Extract("how many cameras were found", Sentence("On 9 February 2023 the count was at least 913 cameras.")));
        Assert.Equal("eight years", Extract("how long was he jailed", Sentence("He was sentenced in January 2023 to eight years in prison.")));
    }

    [Fact]
    public void How_old_wants_an_age_not_any_number()
    {
        Assert.Null(Extract("How old is Ji Chaoqun?", Sentence("Ji Chaoqun was sentenced in January 2023 to eight years in prison.")));
        Assert.Equal("31-year-old", Extract("How old is he?", Sentence("The 31-year-old engineer was sentenced.")));
    }

    [Fact]
    public void A_height_wants_a_length_not_a_count_of_days()
    {
        Assert.Null(Extract("How tall was the balloon?", Sentence("State media did not mention the balloon for 57 days.")));
        Assert.Equal("60 metres", Extract("How tall was the balloon?", Sentence("The balloon was about 60 metres tall.")));
    }

    [Fact]
    public void A_sentence_without_the_kind_asked_gives_no_phrase()
    {
        Assert.Null(Extract("when did the senate act", Sentence("The senate opened an inquiry.")));
        Assert.Null(Extract("how many stations are there", Sentence("China denies the accusations.")));
    }
}
