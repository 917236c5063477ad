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

    private sealed class Words(params string[] words) : IEnglishWords
    {
        public bool Contains(string word) => words.Contains(word);
    }

    [Fact]
    public void Real_english_words_are_not_corrected_into_store_words_that_look_alike()
    {
        var vocabulary = Build(["The Communist Party's export controls.", "A diplomatic row."], ["Marc Julienne", "James Paterson", "Diplomatic crisis"]);
        var english = new Words("community", "expert", "diplomat", "diplomatic", "mark", "patterson", "julien");

        Assert.Null(TypoResolver.Correct("community", vocabulary, english));
        Assert.Null(TypoResolver.Correct("expert", vocabulary, english));
        Assert.Null(TypoResolver.Correct("diplomat", vocabulary, english));
        Assert.Null(TypoResolver.Correct("mark", vocabulary, english));
        // A name misheard as a common one still resolves: one letter off, or cut short.
        Assert.Equal("paterson", TypoResolver.Correct("patterson", vocabulary, english));
        Assert.Equal("julienne", TypoResolver.Correct("julien", vocabulary, english));
        // Without the word list the old behaviour stands.
        Assert.Equal("communist", TypoResolver.Correct("community", vocabulary));
    }

    [Fact]
    public void The_plural_of_an_english_word_is_english_too_but_a_misspelt_plural_is_put_right()
    {
        // A large store's aliases make "lab" a name ("quantum lab breach"); "keep tabs on" still means tabs.
        var vocabulary = Build(["A quantum lab breach.", "One company made the cameras."], ["Quantum Labs breach"]);
        var english = new Words("tab", "company", "day");

        Assert.Null(TypoResolver.Correct("tabs", vocabulary, english));
        Assert.Equal("labs", TypoResolver.Correct("tabs", vocabulary));
        Assert.Equal("company", TypoResolver.Correct("companys", vocabulary, english));
    }

    [Theory]
    [InlineData("Why is the balloon useful to China even if it isn't a spy device?", "spy", "useful")]
    [InlineData("Even if the craft wasn't built for snooping, what does the French expert say Beijing learns?", "snoop", "learns")]
    [InlineData("if its not a spy balloon what does julienne say it still tells china", "spy", "julienne")]
    public void What_a_question_concedes_is_set_aside_not_asked(string question, string setAside, string kept)
    {
        var analyzed = QuestionAnalyzer.Analyze(question);

        Assert.Contains(Stemmer.Stem(setAside), analyzed.SetAside);
        Assert.DoesNotContain(analyzed.Terms, t => t.Stem == Stemmer.Stem(setAside));
        Assert.Contains(analyzed.Terms, t => t.Word == kept);
        Assert.DoesNotContain("balloon", QuestionAnalyzer.Analyze("why was the balloon shot down even though it was over the sea").SetAside);
    }

    [Fact]
    public void A_short_english_word_is_not_corrected_into_another_that_an_alias_made_a_name()
    {
        var vocabulary = Build(["The US export controls on chips."], ["export controls", "James Paterson"]);
        var english = new Words("expert", "export", "patterson", "paterson");

        Assert.Null(TypoResolver.Correct("expert", vocabulary, english));
        Assert.Equal("paterson", TypoResolver.Correct("patterson", vocabulary, english));
    }

    [Fact]
    public void A_dropped_g_is_put_back_unless_a_name_is_one_letter_away()
    {
        var vocabulary = Build(["The cameras were taken down.", "Antony Blinken postponed his visit."], ["Antony Blinken"]);
        var english = new Words("talking", "blinking", "yanking", "taken");

        Assert.Equal("talking", TypoResolver.Correct("talkin", vocabulary, english));
        Assert.Equal("yanking", TypoResolver.Correct("yankin", vocabulary, english));
        Assert.Equal("blinken", TypoResolver.Correct("blinkin", vocabulary, english));
    }

    [Fact]
    public void How_the_asker_met_someone_is_no_subject_of_the_question()
    {
        var terms = QuestionAnalyzer.Analyze("the Paris think-tank analyst quoted all through the piece, what's his name?").Terms.Select(t => t.Word).ToList();

        Assert.DoesNotContain("through", terms);
        Assert.DoesNotContain("here", QuestionAnalyzer.Analyze("which camera companies are we talking about here").Terms.Select(t => t.Word));
        Assert.Contains("quoted", Lexicon.LightWords);
    }

    [Fact]
    public void A_name_of_six_or_seven_letters_takes_two_slips_when_its_ends_agree()
    {
        Assert.Equal("chaoqun", TypoResolver.Correct("chaquon", Vocabulary));
        Assert.Null(TypoResolver.Correct("shaquon", Vocabulary));
    }

    [Fact]
    public void The_near_words_of_a_typo_are_all_found_however_the_vocabulary_is_screened()
    {
        var random = new Random(7);
        // Cyrillic letters and digits share the screen's upper bits; accents would be folded by the normaliser.
        const string Letters = "abcdehiknorstuжщ0";
        string Word(int length) => new(Enumerable.Range(0, length).Select(_ => Letters[random.Next(Letters.Length)]).ToArray());
        var words = Enumerable.Range(0, 3000).Select(_ => Word(random.Next(3, 10))).Distinct().ToList();
        Assert.All(words, w => Assert.Equal(w, Bot.Core.Text.TextNormalizer.Normalize(w)));
        var builder = new StoreVocabulary.Builder();
        foreach (var word in words) builder.AddPassage(word);
        var vocabulary = builder.Build();

        // Typed words one or two edits from a known word, and words from nowhere.
        var typed = words.Take(200).Select((w, i) => i % 3 == 0 ? Word(w.Length) : w.Remove(i % w.Length, 1).Insert(0, i % 2 == 0 ? "s" : "")).ToList();
        foreach (var word in typed)
        {
            foreach (var max in new[] { 1, 2 })
            {
                var expected = words.Where(w => Math.Abs(w.Length - word.Length) <= max && Bot.Core.Text.EditDistance.Compute(word, w) <= max).Order(StringComparer.Ordinal);
                Assert.True(expected.SequenceEqual(vocabulary.Near(word, max).Select(n => n.Word).Order(StringComparer.Ordinal)), $"{word} {max}: {string.Join(",", expected)} vs {string.Join(",", vocabulary.Near(word, max).Select(n => n.Word))}");
            }
        }
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
    [InlineData("what cams is australia ripping out", "what cameras is australia ripping out")]
    [InlineData("remind me, who's the politician down under", ", who's the politician Australia")]
    [InlineData("what did doj say", "what did Justice Department say")]
    [InlineData("What did the upper house in Paris open?", "What did the Senate in Paris open?")]
    [InlineData("the Asian superpower's excuse", "the China's excuse")]
    [InlineData("back when the real-estate mogul was in the Oval Office", "back when the Donald Trump was in the presidency")]
    [InlineData("who owns the short-video app", "who owns the TikTok")]
    [InlineData("per the US foreign ministry, what was on board", "per the US State Department, what was on board")]
    [InlineData("the spook - how much time did he get", "the spook - how long a prison sentence did he get")]
    [InlineData("why does the upper house want to dig into the dancing-video app", "why does the Senate want to dig into the TikTok")]
    [InlineData("who blew the whistle on the outposts", "who exposed the outposts")]
    [InlineData("where did the two presidents sit down", "where did the two presidents meet")]
    [InlineData("when did Wei Son get sent down", "when did Wei Son get sentenced")]
    [InlineData("which side of the aisle", "which party")]
    [InlineData("wat did hikvision say back re the aussie camera move", "what did hikvision say back about the australian camera move")]
    [InlineData("idk who xu yanjun is, can sum1 explain", "who is xu yanjun")]
    [InlineData("y did the us go after huawei", "why did the us go after huawei")]
    [InlineData("what did the americans blast out of the sky", "what did the americans shot down")]
    [InlineData("who knocked it out of the sky", "who shot it down")]
    [InlineData("whats goin on with tiktok", "what is going on with tiktok")]
    [InlineData("does anyone know when the balloon was shot down?", "when the balloon was shot down?")]
    [InlineData("who r the cameras aus is ripping out made by", "who are the cameras Australia is ripping out made by")]
    [InlineData("who knows who wei sun was", "who knows who was wei sun")]
    public void Chat_shorthand_is_spelled_out(string typed, string tidy)
    {
        Assert.Equal(tidy, ChatWording.Tidy(typed));
    }

    [Fact]
    public void A_real_word_beside_half_of_a_known_name_is_read_as_its_other_half()
    {
        var vocabulary = Build(["Wei Sun had taken a company computer to China.", "The sun rose and they sung.", "Did they mark the date?"], ["Marc Julienne"]);
        IReadOnlyList<TypoResolver.Correction> Resolve(string question) => TypoResolver.Resolve(question.Split(' '), vocabulary);

        Assert.Contains(new TypoResolver.Correction("sung", "sun"), Resolve("which company was wei sung working for"));
        Assert.Contains(new TypoResolver.Correction("mark", "marc"), Resolve("who is mark julienne"));
        Assert.Empty(Resolve("who sung when the sun rose"));
        Assert.Empty(Resolve("did julienne mark the date"));
        Assert.Empty(Resolve("who is wei sun"));
        // Both halves a little off.
        var both = TypoResolver.Resolve("what does mark julian say".Split(' '), vocabulary);
        Assert.Contains(new TypoResolver.Correction("mark", "marc"), both);
        Assert.Contains(new TypoResolver.Correction("julian", "julienne"), both);
        Assert.Empty(TypoResolver.Resolve("what did they sung at julienne".Split(' '), vocabulary));
        // Two words the store knows are what was meant, though a two-word name is near both.
        var cameras = Build(["Australian officials counted every camera.", "Australia Cameras Review was published."], []);
        Assert.Empty(TypoResolver.Resolve("which australian camera".Split(' '), cameras));
        // A first name's everyday short form, beside the surname only.
        var paterson = Build(["Senator James Paterson counted the cameras."], []);
        Assert.Contains(new TypoResolver.Correction("jim", "james"), TypoResolver.Resolve("what did jim paterson say".Split(' '), paterson));
        Assert.Empty(TypoResolver.Resolve("jim said paterson knows".Split(' '), paterson));
    }

    [Theory]
    [InlineData("who is xu yanjun", "xu yanjun")]
    [InlineData("Who was Wei Sun?", "wei sun")]
    [InlineData("who is the president of France", null)]
    [InlineData("who was sentenced to 20 years", null)]
    [InlineData("who is responsible", "responsible")]
    [InlineData("Who is James Paterson in this story?", "james paterson")]
    [InlineData("who was wei sun in all this", "wei sun")]
    public void Who_is_followed_by_a_bare_name_asks_for_a_description(string question, string? name)
    {
        Assert.Equal(name, QuestionAnalyzer.Analyze(question).DescribedName);
    }

    [Theory]
    [InlineData("who makes the cameras", "maker")]
    [InlineData("who made the balloon", null)]
    public void Who_makes_asks_for_a_maker(string question, string? noun)
    {
        Assert.Equal(noun, QuestionAnalyzer.Analyze(question).AskedNoun);
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
    [InlineData("Which part of the US government said the craft carried gear?", QuestionType.Who)]
    [InlineData("that engineer who came over to study, what kind of info was he passing along", QuestionType.Other)]
    [InlineData("the guy who came over to study, when was he sentenced", QuestionType.When)]
    [InlineData("How did Beijing react when Australia decided to pull the cameras out?", QuestionType.Other)]
    [InlineData("how come the trip was called off", QuestionType.Why)]
    [InlineData("What was the balloon's maximum altitude?", QuestionType.Quantity)]
    [InlineData("what is the height of the balloon", QuestionType.Quantity)]
    public void The_first_question_word_and_its_noun_decide_the_kind_of_answer(string question, QuestionType type)
    {
        Assert.Equal(type, QuestionAnalyzer.Analyze(question).Type);
    }

    [Theory]
    [InlineData("What did the naturalised engineer at the US defence contractor take with him to China?", "take")]
    [InlineData("what did the chinese-born engineer at the american missile maker carry off to china", "carry")]
    // Short subjects, vague verbs, and questions that are not "what did …" name no deed the answer must repeat.
    [InlineData("What did Wei Sun take to China?", null)]
    [InlineData("What did the White House press secretary say about the balloons?", null)]
    [InlineData("How long did Xu Yanjun's trade-secret scheme run?", null)]
    [InlineData("Which other countries did the Chinese balloon fleet fly over?", null)]
    public void The_deed_after_a_long_subject_is_what_a_what_did_question_asks(string question, string? deed)
    {
        Assert.Equal(deed, QuestionAnalyzer.Analyze(question).SubjectDeed);
    }

    [Theory]
    [InlineData("The engineer who came over on a student visa - what info was he passing on?", "engin student visa", "inform pass")]
    [InlineData("What did the defence contractor employee take to China that landed him in prison?", "land prison", "take defenc")]
    [InlineData("What is the name of the company that makes the cameras?", "", "company make camera")]
    [InlineData("Which company owns TikTok?", "", "company own tiktok")]
    [InlineData("did the officer who got 20 years go after ge aviation", "", "offic aviation")]
    // A clause in the middle ends where the question's own verb comes back.
    [InlineData("What kind of data did the engineer who came over to study in 2013 pass to Beijing?", "come study 2013", "data pass beij")]
    [InlineData("Where is the NGO that exposed the police stations based?", "expos polic station", "ngo base")]
    [InlineData("Where is the NGO that exposed the hidden police stations?", "", "ngo expos")]
    public void A_clause_that_only_says_whom_the_question_is_about_is_read_as_such(string question, string describing, string asking)
    {
        var described = QuestionAnalyzer.Analyze(question).Described;

        foreach (var stem in describing.Split(' ', StringSplitOptions.RemoveEmptyEntries)) Assert.Contains(stem, described);
        foreach (var stem in asking.Split(' ')) Assert.DoesNotContain(stem, described);
    }
}

/// <summary>Phrase extraction: the phrase put first is of the kind asked, or there is none.</summary>
public class PhraseExtractorTests
{
    [Fact]
    public void Of_two_counts_in_a_sentence_the_one_of_the_thing_asked_is_the_answer()
    {
        Assert.Equal("more than 250", Extract("how many government sites had those cameras",
            Sentence("At least 913 Chinese-made surveillance cameras had been installed at more than 250 Australian government sites.")));
    }

    [Fact]
    public void A_quote_line_names_its_speaker_before_the_comma()
    {
        Assert.Equal("James Paterson", Extract("who called the government sites spyware",
            Sentence("James Paterson, on Australian government sites equipped with Chinese cameras: “spyware”", PassageKind.Quote)));
    }

    [Fact]
    public void A_name_the_sentence_calls_a_person_answers_no_which_organisation()
    {
        Assert.Null(Extract("which university did he attend",
            Sentence("Ji Chaoqun is a Chinese engineer who arrived in the United States in 2013 on a student visa.")));
        Assert.Equal("Raytheon", Extract("which firm employed him",
            Sentence("Raytheon is the US defence group that employed engineer Wei Sun.")));
    }

    [Fact]
    public void A_count_opening_a_sentence_is_nobody()
    {
        Assert.Null(Extract("Which Czech official confirmed that the Prague police stations were closed?",
            Sentence("Two stations ordered shut in the Netherlands and two closed in Prague.", PassageKind.Status)));
        Assert.Equal("Czech authorities", Extract("Which Czech official confirmed that the Prague police stations were closed?",
            Sentence("Czech authorities: Say Beijing closed two such structures in Prague", PassageKind.Actor)));
    }

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
    public void Who_is_someone_is_answered_by_what_a_sentence_says_they_are()
    {
        Assert.Equal("a Chinese intelligence officer", Extract("who is xu yanjun",
            Sentence("Xu Yanjun is a Chinese intelligence officer who was sentenced by a US court in 2022 to 20 years in prison.")));
        Assert.Equal("a naturalized engineer of Chinese origin", Extract("who is wei sun",
            Sentence("Wei Sun is a naturalized engineer of Chinese origin and worked in defence for the Raytheon group.")));
        Assert.Equal("a human rights organisation based in Madrid", Extract("who are safeguard defenders",
            Sentence("Safeguard Defenders, a human rights organisation based in Madrid, published a report.")));
        Assert.Equal("President of the United States", Extract("who is joe biden",
            Sentence("Joe Biden: President of the United States; criticised by Republicans over his response to the balloon", PassageKind.Actor)));
        Assert.Equal("Ifri researcher", Extract("who is marc julienne", Sentence("Ifri researcher Marc Julienne says there is a grey area.")));
        Assert.Equal("opposition senator", Extract("who is james paterson", Sentence("It came after opposition senator James Paterson counted 913 cameras.")));
        // Naming them doing something does not say who they are; nor does a sentence where the words are no name.
        Assert.Null(Extract("who is marc julienne", Sentence("According to Marc Julienne, the balloon yielded information.")));
        Assert.Null(Extract("who is xu yanjun", Sentence("Xu Yanjun was found guilty of stealing trade secrets from GE Aviation.")));
        Assert.Equal("United States", Extract("who is responsible", Sentence("The balloon was shot down by the United States, which was responsible for its recovery.")));
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

    [Theory]
    [InlineData("anyone know what ifri stands for", "French Institute for International Relations")]
    [InlineData("What does IFRI stand for?", "French Institute for International Relations")]
    [InlineData("what is ifri short for", "French Institute for International Relations")]
    public void A_short_form_is_answered_with_the_full_name_the_sentence_gives(string question, string expected)
    {
        Assert.Equal(expected, Extract(question, Sentence(
            "Marc Julienne heads China research at the Asia Center of the French Institute for International Relations (Ifri).")));
        Assert.Null(Extract(question, Sentence("Ifri researcher Marc Julienne says the balloon yielded information.")));
    }

    [Fact]
    public void A_short_form_before_its_full_name_is_read_too()
    {
        Assert.Equal("Federal Communications Commission", Extract("what does fcc stand for",
            Sentence("In November 2022 the FCC (Federal Communications Commission) banned equipment from Huawei and ZTE.")));
    }

    [Fact]
    public void Asking_for_a_short_form_keeps_only_the_short_form_as_the_word_to_find()
    {
        var question = QuestionAnalyzer.Analyze("what does ifri stand for");

        Assert.Equal("ifri", question.Acronym);
        Assert.Equal(QuestionType.Other, QuestionAnalyzer.Analyze("what does fcc stand for").Type);
        Assert.Equal(["ifri"], question.Terms.Select(t => t.Word));
        Assert.Null(QuestionAnalyzer.Analyze("where does ifri stand on the balloon").Acronym);
    }

    [Fact]
    public void A_colon_inside_a_title_does_not_make_an_actor_line()
    {
        Assert.Equal("Baptiste Condominas", Extract("who wrote the article", Sentence(
            "Baptiste Condominas wrote the article “Balloons, pirates and cameras: when the United States and its allies accuse China of spying” for RFI.", PassageKind.Source)));
    }

    [Theory]
    [InlineData("Part of a string of Western espionage accusations against Beijing, the FCC case has no outcome yet.", "FCC")]
    [InlineData("Around the same time, the US Justice Department accused four Chinese nationals.", "US Justice Department")]
    public void An_ordinary_word_opening_the_sentence_is_not_a_name(string sentence, string expected)
    {
        Assert.Equal(expected, Extract("who made the accusations", Sentence(sentence)));
    }

    [Fact]
    public void What_are_the_two_companies_asks_which()
    {
        var question = QuestionAnalyzer.Analyze("what are the 2 camera companies australia is ripping out");
        Assert.Equal(QuestionType.Who, question.Type);
        Assert.Equal("companies", question.AskedNoun);
        Assert.Equal(QuestionType.Other, QuestionAnalyzer.Analyze("what are the companies accused of").Type);
    }

    [Fact]
    public void What_sentence_asks_how_long()
    {
        Assert.Equal(QuestionType.Quantity, QuestionAnalyzer.Analyze("What sentence did Ji Chaoqun receive?").Type);
        // "Ten years after arriving" dates the sentence; it is not its length.
        Assert.Null(Extract("What sentence did Ji Chaoqun receive?", Sentence("Ji Chaoqun was sentenced about ten years after first arriving in the United States.")));
        Assert.Equal("eight years", Extract("What sentence did Ji Chaoqun receive?", Sentence("Ji Chaoqun was sentenced in January 2023 to eight years in prison.")));
        Assert.Equal("about ten years", Extract("How long after arriving was Ji Chaoqun sentenced?", Sentence("Ji Chaoqun was sentenced about ten years after first arriving in the United States.")));
    }

    [Fact]
    public void Digits_and_number_words_are_the_same_word()
    {
        Assert.Contains("four", QuestionAnalyzer.Analyze("what were those 4 guys hacking").Terms.Single(t => t.Word == "4").Alternatives);
        Assert.Contains("4", QuestionAnalyzer.Analyze("who were the four nationals").Terms.Single(t => t.Word == "four").Alternatives);
    }

    [Fact]
    public void A_vague_count_is_answered_by_any_count()
    {
        Assert.Equal("over five continents", Extract("Spread across how many parts of the world?", Sentence("The White House said Beijing flew spy balloons over five continents.")));
        Assert.Null(Extract("How many balloons were there?", Sentence("The White House said Beijing flew spy balloons over five continents.")));
    }

    [Fact]
    public void The_questions_short_form_spelled_out_is_nobody_new()
    {
        Assert.Null(Extract("Who heads the FCC?", Sentence("The Federal Communications Commission (FCC), the US telecoms regulator, banned gear from six Chinese companies.")));
        Assert.Equal("The Federal Communications Commission (FCC)", Extract("Who banned the gear?", Sentence("The Federal Communications Commission (FCC), the US telecoms regulator, banned gear from six Chinese companies.")));
    }

    [Theory]
    [InlineData("Who is the current head of MI5?")]
    [InlineData("Who currently heads MI5 and the FBI?")]
    [InlineData("who's the boss of the FBI")]
    public void The_head_of_something_is_a_person_not_another_organisation(string question)
    {
        var passage = Sentence("The heads of Britain's MI5 security service and of the US FBI have jointly warned against Chinese commercial espionage, the subject of a related RFI report.");

        Assert.Null(Extract(question, passage));
        Assert.Equal("Marc Julienne", Extract("Who is the head of China activities at Ifri?",
            Sentence("Marc Julienne: Head of China activities at the Asia Center of the French Institute for International Relations (Ifri)", PassageKind.Actor)));
    }

    [Fact]
    public void Which_body_is_answered_by_a_nationality_and_a_public_body_without_a_name()
    {
        Assert.Equal("US intelligence agencies", Extract("Which US body said in a 2022 annual report that China was the broadest, most active and persistent cyber espionage threat?",
            Sentence("A group of US intelligence agencies said in a 2022 annual report that China was \"the broadest, most active and persistent cyber espionage threat\".")));
        Assert.Null(Extract("Which Australian department had the most cameras?", Sentence("In November 2022, the UK government said no Chinese-made cameras should be connected.")));
    }

    [Fact]
    public void Which_reporter_wants_a_person_not_the_outlet()
    {
        Assert.Equal("Baptiste Condominas", Extract("Which reporter wrote this piece on Western accusations of Chinese spying?", Sentence(
            "Baptiste Condominas wrote the article “Balloons, pirates and cameras: when the United States and its allies accuse China of spying” for RFI.", PassageKind.Source)));
    }

    [Fact]
    public void A_title_one_person_holds_is_not_answered_by_an_organisation_or_a_nationality()
    {
        var actor = Sentence("Australian government: Announced on 9 February 2023 the removal of Chinese-made cameras from its buildings", PassageKind.Actor);
        Assert.Null(Extract("Who is the Australian minister that announced the camera removal?", actor));
        Assert.Equal("Australian government", Extract("Who announced the camera removal?", actor));
        Assert.Equal("James Paterson", Extract("who is the mp who counted the cameras", Sentence("Opposition senator James Paterson counted 913 Chinese cameras at government sites.")));
    }

    [Fact]
    public void A_capital_that_speaks_or_is_accused_stands_for_its_government_not_a_place()
    {
        Assert.Null(Extract("which us state did the balloon first fly over", Sentence("Washington calls it a spy craft and says it was flown over five continents.")));
        Assert.Null(Extract("which us state did the balloon first fly over", Sentence("The White House spokeswoman, accusing Beijing of flying balloons over five continents.", PassageKind.Quote)));
        Assert.Equal("Washington", Extract("Where is the State Department?", Sentence("The State Department is in Washington.")));
    }

    [Fact]
    public void Which_body_wants_an_organisation_and_a_party_is_one()
    {
        var actor = Sentence("Joe Biden: President of the United States; criticised by Republicans over his response to the balloon", PassageKind.Actor);
        Assert.Equal("Republicans", Extract("Which American political camp slammed the president for reacting too slowly?", actor));
        Assert.Equal("Joe Biden", Extract("Who was criticised over the balloon?", actor));
    }

    [Fact]
    public void An_adjective_of_origin_is_no_name_and_an_organisation_no_place()
    {
        Assert.Null(Extract("Which two camera makers are behind the kit Australia is removing?", Sentence("Australian government, on the aim of removing Chinese-made cameras: “completely secure”", PassageKind.Quote)));
        Assert.Equal("Hikvision and Dahua", Extract("Which two camera makers are behind the kit Australia is removing?",
            Sentence("The Chinese-made cameras in Australian government buildings were produced by Hikvision and Dahua.")));
        Assert.Null(Extract("Where was Xu Yanjun tried?", Sentence("Xu Yanjun was found guilty of a scheme to steal trade secrets from GE Aviation and the French group Safran.")));
    }

    [Fact]
    public void A_country_flown_over_did_nothing()
    {
        Assert.Null(Extract("Who built the balloon?", Sentence("A Chinese balloon was spotted over the United States on 2 February 2023.")));
        Assert.Equal("United States", Extract("Who shot the balloon down?", Sentence("The balloon was shot down by the United States on 4 February 2023.")));
    }

    [Fact]
    public void A_plan_called_off_is_dated_by_the_plan()
    {
        const string Planned = "Antony Blinken's visit to Beijing, expected in early 2023, was postponed at the last minute in February 2023.";
        Assert.Equal("early 2023", Extract("When was Blinken originally supposed to go to Beijing?", Sentence(Planned)));
        Assert.Null(Extract("When was Blinken originally supposed to go to Beijing?", Sentence("Antony Blinken's visit to Beijing was postponed at the last minute in February 2023.")));
        Assert.Equal("February 2023", Extract("When was Blinken's planned visit postponed?", Sentence(Planned)));
    }

    [Fact]
    public void A_clause_before_a_colon_is_no_actor_line()
    {
        Assert.NotEqual("France shares the concern", Extract("Who chairs the French Senate's inquiry?", Sentence("France shares the concern: on 9 February 2023 the French Senate opened an inquiry.")));
        Assert.Equal("US State Department", Extract("Who made the claim?", Sentence("US State Department: Says the balloon was made by a company linked to the army", PassageKind.Actor)));
    }

    [Fact]
    public void A_phrase_is_taken_from_the_clause_that_tells_of_the_asked_event()
    {
        var sentence = Sentence("A Chinese balloon was spotted over the United States on 2 February 2023 and shot down off the coast of South Carolina two days later.");
        // Where it was shot down is not where it was first seen; the only place of the spotting is the question's own.
        Assert.Null(Extract("Over which US state was the balloon first spotted?", sentence));
        Assert.Equal("South Carolina", Extract("Off which US state was the balloon shot down?", sentence));
        // "and" before a noun joins names, not clauses.
        Assert.Equal("Hikvision and Dahua", Extract("Which companies made the cameras?", Sentence("The cameras were made by Hikvision and Dahua, two Chinese firms.")));
    }

    [Fact]
    public void An_actor_line_whose_subject_is_the_questions_own_words_names_nobody_new()
    {
        Assert.Null(Extract("Which US court sentenced Xu Yanjun?", Sentence("US court: Sentenced Xu Yanjun to 20 years in prison", PassageKind.Actor)));
        Assert.Equal("US court", Extract("Who sentenced Xu Yanjun?", Sentence("US court: Sentenced Xu Yanjun to 20 years in prison", PassageKind.Actor)));
    }

    [Fact]
    public void The_thing_asked_for_ends_where_a_mentioned_name_begins()
    {
        var question = QuestionAnalyzer.Analyze("what was the name of the missile system wei sun had info on");
        Assert.Equal("system", PassageJudge.AskedThing(question, new HashSet<string> { "wei", "sun" }));
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

    [Fact]
    public void Which_country_is_answered_by_a_nationality_when_no_country_is_named()
    {
        Assert.Equal("France", Extract("Which country's senate launched an inquiry into TikTok?", Sentence("9 February 2023: The French Senate launches a commission of inquiry into TikTok.")));
        Assert.Equal("France", Extract("which country's aerospace group was targeted alongside GE Aviation", Sentence("The scheme targeted the trade secrets of GE Aviation and of the French group Safran.")));
    }

    [Fact]
    public void Which_government_is_answered_by_a_nationality_and_a_body_but_never_by_a_date()
    {
        Assert.Equal("Australian government", Extract("Which government did Beijing accuse of misusing its power?", Sentence("On 9 February 2023, Beijing accused the Australian government of abusing state power.")));
        Assert.Null(Extract("Which official spoke?", Sentence("On 9 February 2023, the minister spoke.")));
        Assert.Null(Extract("Which official spoke?", Sentence("The Chinese government said so.")));
    }

    [Fact]
    public void Which_city_is_not_answered_by_a_country()
    {
        Assert.Null(Extract("In which Dutch cities were the stations?", Sentence("November 2022: The Netherlands orders China to close two \"police stations\" on Dutch territory.")));
        Assert.Null(Extract("Which US state was the balloon spotted over?", Sentence("The balloon was spotted over the United States on 2 February 2023.")));
        Assert.Equal("Montana", Extract("Which US state was the balloon spotted over?", Sentence("The balloon was spotted over Montana on 2 February 2023.")));
        Assert.Equal("Canberra", Extract("Which city did Beijing accuse of misusing its power?", Sentence("Beijing accused Canberra of abusing state power against Chinese companies.")));
    }

    [Fact]
    public void Which_company_is_not_answered_by_a_government()
    {
        Assert.Null(Extract("Which company made the cameras Australia is removing?", Sentence("Australian government: Announced on 9 February 2023 the removal of Chinese-made cameras from its buildings", PassageKind.Actor)));
        Assert.Equal("Hikvision", Extract("Which company made the cameras?", Sentence("Hikvision: Chinese maker of the cameras the Australian government is removing", PassageKind.Actor)));
        Assert.Null(Extract("Which companies made the cameras?", Sentence("Chinese-made cameras were found at government sites, according to opposition senator James Paterson.")));
        Assert.Null(Extract("Which companies made the cameras?", Sentence("Chinese-made cameras were found at 250 sites, according to data from James Paterson.")));
        Assert.Null(Extract("Which Czech official confirmed the closures?", Sentence("1 November 2001: Authorities in Czech Republic open an investigation.", PassageKind.Event)));
    }

    [Fact]
    public void A_number_that_belongs_to_a_name_counts_nothing()
    {
        Assert.Null(Extract("How many sailors recovered the debris?", Sentence("Sailors of Explosive Ordnance Disposal Group 2 recovered the debris.")));
        Assert.Null(Extract("How many companies were covered?", Sentence("ZTE is one of the Chinese telecoms companies covered by the ban.")));
        Assert.Equal("roughly six", Extract("How many companies were covered?", Sentence("The ban covered roughly six Chinese companies.")));
        Assert.StartsWith("2,000", Extract("How many cases does the FBI have?", Sentence("The FBI's 2,000 cases involve China.")));
        Assert.StartsWith("three", Extract("How many companies were fined?", Sentence("Regulators fined three companies.")));
    }

    [Fact]
    public void A_weight_a_price_and_an_altitude_want_their_units()
    {
        Assert.Equal(QuestionType.Quantity, QuestionAnalyzer.Analyze("At what exact altitude was the balloon flying?").Type);
        Assert.Null(Extract("At what exact altitude was the balloon flying?", Sentence("A Chinese high-altitude balloon was spotted on 2 February 2023 and shot down two days later.")));
        Assert.Equal("18,000 metres", Extract("At what altitude was the balloon flying?", Sentence("The balloon flew at about 18,000 metres.")));
        Assert.Null(Extract("How much did the recovered debris weigh?", Sentence("Sailors of Group 2 recovered the debris in 3 days.")));
        Assert.Equal("2 tonnes", Extract("How much did the recovered debris weigh?", Sentence("Sailors recovered 2 tonnes of debris, then 3 more pieces.")));
        Assert.Null(Extract("How much will it cost Australia to remove the cameras?", Sentence("Australia will remove all 913 Chinese-made cameras from its buildings.")));
        Assert.Equal("$1.5 million", Extract("How much will it cost Australia to remove the cameras?", Sentence("Removing the cameras will cost Australia $1.5 million.")));
    }

    [Fact]
    public void A_count_of_one_thing_does_not_answer_how_many_of_another()
    {
        Assert.Null(Extract("How many balloons are in China's fleet?", Sentence("The spokeswoman accused Beijing of flying balloons over five continents.")));
        Assert.StartsWith("913", Extract("How many cameras were found?", Sentence("Paterson found 913 cameras at government sites.")));
        Assert.StartsWith("roughly six", Extract("how many chinese companies did the fcc ban", Sentence("The FCC banned gear from roughly six Chinese companies.")));
        Assert.Null(Extract("how many feet up was the balloon flying", Sentence("A high-altitude balloon was spotted over five continents.")));
        Assert.Equal("60,000 feet", Extract("how many feet up was the balloon flying", Sentence("The balloon flew at 60,000 feet.")));
        Assert.Null(Extract("How much money did GE Aviation lose?", Sentence("Xu Yanjun led a five-year scheme against GE Aviation.")));
    }

    [Fact]
    public void The_date_an_event_was_called_off_does_not_say_when_it_takes_place()
    {
        var postponed = Sentence("Antony Blinken's planned visit to Beijing is postponed at the last minute.", PassageKind.Event, new PartialDate(2023, 2, null));
        Assert.Null(Extract("When is Blinken's rescheduled trip to Beijing?", postponed));
        Assert.Null(Extract("When did Blinken finally travel to Beijing?", Sentence("Antony Blinken was expected to visit Beijing at the beginning of 2023.")));
        Assert.Equal("February 2023", Extract("When was Blinken's trip postponed?", postponed));
        Assert.Equal("the beginning of 2023", Extract("When was Blinken expected in Beijing?", Sentence("Antony Blinken was expected to visit Beijing at the beginning of 2023.")));
    }
}
