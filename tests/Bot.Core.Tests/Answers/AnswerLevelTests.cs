using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Text;

namespace Bot.Core.Tests.Answers;

/// <summary>The three honest levels, decided from the best judgement and rendered for chat.</summary>
public class AnswerLevelTests
{
    private static Judgement Judged(double score, double coverage, double similarity, bool holdsKind = true, bool namesAsked = true) =>
        new(new Candidate(new Passage(1, "balloon", "Balloon", PassageKind.Fact, "The balloon was shot down.", null, -1), 1, 1, similarity, 0.03),
            coverage, similarity, null, holdsKind, namesAsked, score, []);

    [Fact]
    public void A_high_score_with_enough_coverage_is_confident()
    {
        Assert.Equal(AnswerLevel.Confident, PassageJudge.Decide(Judged(1.5, 0.8, 0.8), withVectors: true));
    }

    [Fact]
    public void Close_in_meaning_but_in_other_words_is_only_the_closest()
    {
        Assert.Equal(AnswerLevel.Closest, PassageJudge.Decide(Judged(1.0, 0.25, 0.72), withVectors: true));
    }

    [Theory]
    [InlineData(0.5, 0.8, 0.8, true, true)]
    [InlineData(1.5, 0.8, 0.8, false, true)]
    [InlineData(1.5, 0.8, 0.8, true, false)]
    [InlineData(1.0, 0.1, 0.9, true, true)]
    [InlineData(1.0, 0.25, 0.6, true, true)]
    [InlineData(1.1, 0.4, 0.54, true, true)]
    [InlineData(0.85, 0.5, 0.7, true, true)]
    [InlineData(1.2, 0.3, 0.56, true, true)]
    [InlineData(1.5, 0.15, 0.9, true, true)]
    public void Too_low_a_score_the_wrong_kind_or_too_little_in_common_is_unknown(double score, double coverage, double similarity, bool holdsKind, bool namesAsked)
    {
        Assert.Equal(AnswerLevel.Unknown, PassageJudge.Decide(Judged(score, coverage, similarity, holdsKind, namesAsked), withVectors: true));
    }

    [Theory]
    [InlineData(0.7, 0.29)]
    [InlineData(0.6, 0.36)]
    [InlineData(0.56, 0.40)]
    public void The_closer_in_meaning_the_fewer_shared_words_a_confident_answer_needs(double similarity, double coverage)
    {
        Assert.Equal(AnswerLevel.Confident, PassageJudge.Decide(Judged(1.2, coverage, similarity), withVectors: true));
        Assert.NotEqual(AnswerLevel.Confident, PassageJudge.Decide(Judged(1.2, coverage - 0.03, similarity), withVectors: true));
    }

    [Fact]
    public void For_why_a_sentence_giving_a_reason_beats_one_that_only_repeats_the_facts()
    {
        var question = QuestionAnalyzer.Analyze("why was wei sun sentenced");
        var facts = new QuestionFacts(question, question.Terms.ToDictionary(t => t.Stem, _ => 1.0), new HashSet<string>(), new Dictionary<string, HashSet<string>>(), null);
        Judgement JudgeSentence(string text) =>
            PassageJudge.Judge(new Candidate(new Passage(1, "wei-sun", "Wei Sun", PassageKind.Fact, text, null, -1), 1, 1, 0.7, 0.03), facts, withVectors: true);

        var repeats = JudgeSentence("Wei Sun, an engineer working for a US defence group, was sentenced in 2020.");
        var reason = JudgeSentence("Wei Sun was sentenced in 2020 after taking a company computer to China.");

        Assert.True(reason.Score > repeats.Score, $"{reason.Score} should beat {repeats.Score}");
    }

    /// <summary>One sentence judged for one question, as the engine does with vectors (equal word weights, cosine 0.8).</summary>
    private static Judgement JudgeFor(string question, string sentence, PassageKind kind = PassageKind.Fact)
    {
        var analyzed = QuestionAnalyzer.Analyze(question);
        var facts = new QuestionFacts(analyzed, analyzed.Terms.ToDictionary(t => t.Stem, _ => 1.0), new HashSet<string>(),
            new Dictionary<string, HashSet<string>>(), PassageJudge.AskedThing(analyzed));
        return PassageJudge.Judge(new Candidate(new Passage(1, "x", "X", kind, sentence, null, -1), 1, 1, 0.8, 0.03), facts, withVectors: true);
    }

    /// <summary>As <see cref="JudgeFor"/>, with the other candidate sentences of the same incident holding <paramref name="incidentWords"/>.</summary>
    private static Judgement JudgeWithIncident(string question, string sentence, string incidentWords)
    {
        var analyzed = QuestionAnalyzer.Analyze(question);
        var stems = TextNormalizer.Words($"{sentence} {incidentWords}").Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
        var facts = new QuestionFacts(analyzed, analyzed.Terms.ToDictionary(t => t.Stem, _ => 1.0), new HashSet<string>(),
            new Dictionary<string, HashSet<string>>(), PassageJudge.AskedThing(analyzed))
        { IncidentStems = new Dictionary<string, HashSet<string>> { ["x"] = stems } };
        return PassageJudge.Judge(new Candidate(new Passage(1, "x", "X", PassageKind.Fact, sentence, null, -1), 1, 1, 0.8, 0.03), facts, withVectors: true);
    }

    [Fact]
    public void Words_describing_the_person_count_a_little_when_another_sentence_of_the_incident_holds_them()
    {
        const string Question = "The guy who came over to study and fed the spies info on scientists - how long is he locked up for?";
        const string Sentence = "Ji Chaoqun was sentenced in January 2023 to eight years in prison.";
        var alone = JudgeFor(Question, Sentence);
        var withIncident = JudgeWithIncident(Question, Sentence, "Ji Chaoqun came to the US to study and gave Chinese spies information about scientists.");

        Assert.True(withIncident.Coverage > alone.Coverage, $"{withIncident.Coverage} should beat {alone.Coverage}");
        // Not the word asked ("owns"), and not a place: those must be in the sentence itself.
        const string Owner = "Who owns the app that French lawmakers are probing?";
        Assert.Equal(JudgeFor(Owner, "The French Senate opened an inquiry into TikTok.").Coverage,
            JudgeWithIncident(Owner, "The French Senate opened an inquiry into TikTok.", "ByteDance owns TikTok.").Coverage);
        Assert.Equal(JudgeFor("where did the balloon fly over first", "The balloon was shot down off South Carolina.").Coverage,
            JudgeWithIncident("where did the balloon fly over first", "The balloon was shot down off South Carolina.", "It was first spotted flying over Montana.").Coverage);
    }

    [Fact]
    public void Who_wrote_the_piece_is_answered_by_the_source_line_however_the_piece_is_described()
    {
        const string Question = "Which reporter wrote this piece on Chinese spying?";
        var status = JudgeFor(Question, "Part of a string of accusations of Chinese spying by the Justice Department.", PassageKind.Status);
        var source = JudgeFor(Question, "Baptiste Condominas wrote the article for RFI.", PassageKind.Source);

        Assert.True(source.Score > status.Score, $"{source.Score} should beat {status.Score}");
        Assert.Equal(0, JudgeFor("Who shot down the balloon?", "Baptiste Condominas wrote the article for RFI, February 2023.", PassageKind.Source).Coverage);
    }

    [Fact]
    public void What_someone_said_in_response_is_told_only_by_a_sentence_that_has_them_say_or_do_something()
    {
        Assert.False(JudgeFor("What did ZTE say in response to the FCC ban?", "ZTE is one of the Chinese telecoms companies covered by the FCC ban of November 2022.").HoldsKind);
        Assert.True(JudgeFor("What did ZTE say in response to the FCC ban?", "ZTE rejected the FCC ban of November 2022 as groundless.").HoldsKind);
        Assert.True(JudgeFor("how did hikvision respond", "Hikvision says its products comply with Australian law.").HoldsKind);
    }

    [Fact]
    public void The_names_asked_for_are_told_only_by_a_sentence_that_names_someone_new()
    {
        const string Question = "What are the names of the four Chinese nationals the Justice Department accused?";
        Assert.False(JudgeFor(Question, "The four Chinese nationals accused by the US Justice Department were three security officials and one hacker.").HoldsKind);
        Assert.True(JudgeFor(Question, "The four Chinese nationals accused by the US Justice Department were Ding Xiaoyang, Cheng Qingmin, Zhu Yunmin and Wu Shurong.").HoldsKind);
    }

    [Fact]
    public void A_thing_asked_for_by_its_name_needs_a_sentence_that_names_it()
    {
        const string Actor = "US State Department: Says the balloon was built by a company linked to the Chinese army";
        Assert.False(JudgeFor("State Dept says a PLA-linked firm built the balloon - what's the company called?", Actor, PassageKind.Actor).HoldsKind);
        Assert.False(JudgeFor("what did hikvision say back about the camera move", "The cameras in Australian government buildings were made by Hikvision and Dahua.").HoldsKind);
    }

    [Fact]
    public void The_name_of_a_thing_described_with_and_is_the_last_noun_of_the_description()
    {
        const string Question = "What's the name of the Chinese phone and network-gear giant that the Americans have had in their sights since 2019?";

        Assert.Equal("giant", PassageJudge.AskedThing(QuestionAnalyzer.Analyze(Question)));
        Assert.True(JudgeFor(Question, "Huawei: Chinese telecoms giant, world leader in mobile and 5G network equipment; blacklisted by Washington", PassageKind.Actor).NamesAsked);
    }

    [Fact]
    public void A_title_asked_for_needs_a_sentence_that_names_the_title()
    {
        const string Question = "Who is the chief executive of Huawei?";

        Assert.Equal("executiv", PassageJudge.AskedThing(QuestionAnalyzer.Analyze(Question)));
        Assert.False(JudgeFor(Question, "January 2023: The Biden administration stops approving licences for American companies to export goods to Huawei.").NamesAsked);
    }

    /// <summary>As <see cref="JudgeFor"/>, with these actor lines among the candidates.</summary>
    private static Judgement JudgeWithActors(string question, string sentence, params string[] actorLines)
    {
        var analyzed = QuestionAnalyzer.Analyze(question);
        var actors = actorLines.Select((line, i) => ActorDescription.Of(new Passage(10 + i, "x", "X", PassageKind.Actor, line, null, -1))).OfType<ActorDescription>().ToList();
        var facts = new QuestionFacts(analyzed, analyzed.Terms.ToDictionary(t => t.Stem, _ => 1.0), new HashSet<string>(),
            new Dictionary<string, HashSet<string>>(), PassageJudge.AskedThing(analyzed))
        { Actors = actors };
        return PassageJudge.Judge(new Candidate(new Passage(1, "x", "X", PassageKind.Fact, sentence, null, -1), 1, 1, 0.8, 0.03), facts, withVectors: true);
    }

    [Fact]
    public void A_question_that_describes_someone_instead_of_naming_them_is_covered_by_a_sentence_naming_them()
    {
        const string Question = "Why is Washington nervous about the big Chinese telecom-gear maker's products?";
        const string Sentence = "The United States fears, without providing evidence, that Huawei products could serve as a backdoor for monitoring communications.";
        const string Huawei = "Huawei: Chinese telecoms giant, world leader in mobile and 5G network equipment; blacklisted by Washington";

        var alone = JudgeFor(Question, Sentence);
        var described = JudgeWithActors(Question, Sentence, Huawei);

        Assert.Contains("telecom", alone.Missing);
        Assert.DoesNotContain("telecom", described.Missing);
        Assert.DoesNotContain("gear", described.Missing);
        Assert.True(described.Coverage > alone.Coverage + 0.2, $"{alone.Coverage} → {described.Coverage}");
        // Only a sentence that names the actor is helped.
        Assert.Equal(alone.Coverage, JudgeWithActors(Question, Sentence.Replace("Huawei", "their"), Huawei).Coverage);
    }

    [Fact]
    public void What_an_actor_did_is_not_what_it_is_and_covers_nothing_in_other_sentences()
    {
        var says = ActorDescription.Of(new Passage(1, "x", "X", PassageKind.Actor,
            "US State Department: Says the balloon carried communications-interception devices and was built by a company linked to the Chinese army", null, -1));
        var officer = ActorDescription.Of(new Passage(1, "x", "X", PassageKind.Actor, "Xu Yanjun: Chinese intelligence officer convicted of leading a trade-secret theft scheme", null, -1));

        Assert.Null(says);
        Assert.NotNull(officer);
        Assert.Equal("Yanjun", officer.ShortName);
        Assert.Contains("offic", officer.Stems);
        Assert.DoesNotContain("convict", officer.Stems);
        Assert.DoesNotContain("scheme", officer.Stems);
        Assert.Null(ActorDescription.Of(new Passage(1, "x", "X", PassageKind.Fact, "Xu Yanjun: a fact that happens to hold a colon", null, -1)));
        // The short name stands for the actor as a whole word only.
        Assert.True(officer.IsNamedIn("Yanjun was convicted."));
        Assert.True(officer.IsNamedIn("The case of Xu Yanjun."));
        Assert.False(officer.IsNamedIn("Yanjunx and Yanjun_ are other words."));
        Assert.Null(ActorDescription.Of(new Passage(1, "x", "X", PassageKind.Actor, ": no name", null, -1)));
        Assert.Null(ActorDescription.Of(new Passage(1, "x", "X", PassageKind.Actor, "Name only: ", null, -1)));
    }

    [Fact]
    public void A_sentence_naming_an_actor_names_what_the_actor_line_says_it_is()
    {
        const string Question = "What's the name of the Chinese phone and network-gear giant that the Americans have had in their sights since 2019?";
        const string Sentence = "Huawei has been targeted by US authorities since 2019, as they consider its products a risk to national security.";

        Assert.Equal("giant", PassageJudge.AskedThing(QuestionAnalyzer.Analyze(Question)));
        Assert.False(JudgeFor(Question, Sentence).NamesAsked);
        Assert.True(JudgeWithActors(Question, Sentence, "Huawei: Chinese telecoms giant, world leader in mobile and 5G network equipment").NamesAsked);
    }

    [Fact]
    public void What_someone_claimed_is_answered_only_by_a_sentence_in_which_they_claim_it()
    {
        const string Question = "What purpose did Beijing claim its high-altitude craft over America was serving?";

        Assert.False(JudgeFor(Question, "The first analyses by US services point to espionage as the purpose of the Chinese balloon.").HoldsKind);
        Assert.True(JudgeFor(Question, "China says the balloon was a civilian aircraft used for research, mainly meteorological.").HoldsKind);
        // Mentioned is not speaking; a description between the speaker and the verb, or "according to", still is.
        Assert.False(JudgeFor(Question, "A senior US official said the Chinese balloon was designed for espionage.").HoldsKind);
        Assert.True(JudgeFor(Question, "Chinese government, Beijing's description of the balloon: “civilian aircraft used for research purposes”", PassageKind.Quote).HoldsKind);
        const string Report = "What does Safeguard Defenders claim China runs abroad?";
        Assert.True(JudgeFor(Report, "Safeguard Defenders, a human rights organisation based in Madrid, published a report on clandestine Chinese police stations.").HoldsKind);
        Assert.True(JudgeFor(Report, "The Chinese police stations abroad are undeclared structures, according to Safeguard Defenders.").HoldsKind);
        Assert.False(JudgeFor(Report, "The Chinese police stations abroad are run by clandestine officials.").HoldsKind);
    }

    [Fact]
    public void How_a_claim_was_put_weighs_less_than_what_it_was_about()
    {
        Assert.Contains("insisted", Lexicon.LightWords);
        Assert.Contains("excuse", Lexicon.LightWords);
        Assert.Contains("civilian", QuestionAnalyzer.Analyze("China insists the thing was harmless").Terms.Single(t => t.Word == "harmless").Alternatives);
        Assert.Equal("how did it come over America", ChatWording.Tidy("how did it end up over America"));
    }

    [Theory]
    [InlineData("water", "sea")]
    [InlineData("aerial", "airspace")]
    [InlineData("hauled", "recovered")]
    [InlineData("team", "unit")]
    public void Everyday_words_for_the_sea_the_air_and_a_salvage_crew_stand_for_the_stores_words(string asked, string stored)
    {
        Assert.True(JudgeFor($"which {asked} was it", $"It was the {stored}.").Coverage > 0);
    }

    [Fact]
    public void Knocked_that_airborne_thing_out_of_the_sky_is_shot_down()
    {
        Assert.Equal("after they shot that airborne thing down", ChatWording.Tidy("after they knocked that airborne thing out of the sky"));
    }

    [Fact]
    public void A_sentence_saying_what_the_question_set_aside_loses_to_one_that_does_not()
    {
        const string Question = "Why is the balloon useful to China even if it isn't a spy device?";
        var spying = JudgeFor(Question, "The first analyses by US services point to espionage as the purpose of the Chinese balloon.");
        var conceding = JudgeFor(Question, "Marc Julienne says that even if the balloon was not a spy device, it still collected useful data for China.");
        var plain = JudgeFor(Question, "The Chinese balloon collected useful data for China.");

        Assert.Equal(plain.Score - PassageJudge.SetAsidePenalty, JudgeFor(Question, "The Chinese balloon collected useful data for China as a spy.").Score, 2);
        Assert.True(conceding.Score > spying.Score, $"{conceding.Score} vs {spying.Score}");
    }

    [Fact]
    public void Why_a_year_is_answered_by_what_the_year_marks()
    {
        Assert.True(JudgeFor("Why is 2049 significant for Xi?", "The year 2049 marks the centenary of the Communist takeover of China.").HoldsKind);
        Assert.False(JudgeFor("Why is 2049 significant for Xi?", "Xi Jinping wants China to lead the world by 2049.").HoldsKind);
    }

    [Fact]
    public void What_something_is_for_is_answered_by_a_purpose_not_by_a_rule_it_breaks()
    {
        const string Question = "what are these secret chinese police stations even for";

        Assert.False(JudgeFor(Question, "The Chinese police stations abroad go against the principle of non-interference.").HoldsKind);
        Assert.True(JudgeFor(Question, "Safeguard Defenders says the police stations probably serve to keep watch on dissidents.").HoldsKind);
        // Why they are illegal is still answered by the rule.
        Assert.True(JudgeFor("why are the police stations illegal", "The Chinese police stations abroad go against the principle of non-interference.").HoldsKind);
    }

    [Fact]
    public void Which_island_asks_for_a_name_and_holding_talks_is_meeting()
    {
        Assert.Contains("island", Lexicon.AnswerKindNouns);
        Assert.Equal("where did the leaders meet", ChatWording.Tidy("where did the leaders hold talks"));
        Assert.Equal("the leaders met in Bali", ChatWording.Tidy("the leaders held talks in Bali"));
    }

    [Fact]
    public void A_defence_contractor_is_a_company_and_a_group_names_one()
    {
        Assert.True(JudgeFor("Which defense contractor did Wei Sun work for?", "Raytheon is the US defence group that employed engineer Wei Sun.").NamesAsked);
    }

    [Fact]
    public void Which_part_of_a_government_asks_for_a_body_of_it()
    {
        Assert.Equal("govern", PassageJudge.AskedThing(QuestionAnalyzer.Analyze("Which part of the US government said the craft carried gear?")));
    }

    [Fact]
    public void Made_in_a_compound_says_where_a_thing_comes_from_not_who_makes_it()
    {
        Assert.Contains("makes", JudgeFor("who makes the cameras", "Australia removes Chinese-made cameras.").Missing);
        Assert.DoesNotContain("makes", JudgeFor("who makes the cameras", "The cameras were made by Hikvision.").Missing);
    }

    [Fact]
    public void An_actor_lines_description_opening_with_a_capital_names_nobody_new()
    {
        const string Question = "Apart from Hikvision, who made the cameras Australia is removing?";

        Assert.False(JudgeFor(Question, "Australian government: Announced on 9 February 2023 the removal of Chinese-made cameras from its buildings", PassageKind.Actor).HoldsKind);
        Assert.True(JudgeFor(Question, "The cameras in Australian government buildings were produced by Hikvision and Dahua.").HoldsKind);
    }

    [Fact]
    public void Which_outlet_published_the_piece_is_answered_by_the_source_line()
    {
        var source = JudgeFor("which news outlet published this piece", "Baptiste Condominas wrote the article for RFI, February 2023.", PassageKind.Source);

        Assert.Equal("RFI", source.Phrase);
        Assert.True(source.Coverage > 0.5, $"coverage {source.Coverage}");
        // A report published by someone else is no question about the piece.
        Assert.Equal(0, JudgeFor("who published the report on the police stations", "Baptiste Condominas wrote the article for RFI, February 2023.", PassageKind.Source).Coverage);
    }

    [Fact]
    public void A_rule_broken_is_a_reason()
    {
        Assert.True(JudgeFor("why r those police stations illegal", "The Chinese police stations abroad go against the principle of non-interference.").HoldsKind);
    }

    [Fact]
    public void Why_is_answered_only_by_a_sentence_giving_a_reason()
    {
        const string Question = "Why did Biden wait until Feb 4 to shoot down the balloon?";
        var restates = JudgeFor(Question, "4 February 2023: The United States shoots the balloon down off the coast of South Carolina.", PassageKind.Event);

        Assert.False(restates.HoldsKind);
        Assert.Equal(AnswerLevel.Unknown, PassageJudge.Decide(restates, withVectors: true));
        Assert.True(JudgeFor(Question, "Biden waited until 4 February to shoot the balloon down to avoid debris falling on people.").HoldsKind);
        Assert.True(JudgeFor(Question, "China says the balloon entered US airspace by accident.").HoldsKind);
    }

    [Fact]
    public void An_outcome_still_to_come_is_answered_only_by_a_sentence_that_states_it()
    {
        const string Question = "What will the French Senate's TikTok inquiry conclude?";

        Assert.False(JudgeFor(Question, "9 February 2023: The French Senate launches a commission of inquiry into TikTok.", PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor(Question, "The French Senate's inquiry concluded that TikTok should be banned on official phones.").HoldsKind);
    }

    [Fact]
    public void An_outcome_asked_in_the_past_is_answered_only_by_a_sentence_that_states_it()
    {
        const string Question = "What did the French Senate's TikTok inquiry conclude?";

        Assert.False(JudgeFor(Question, "9 February 2023: The French Senate launches a commission of inquiry into TikTok.", PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor(Question, "The French Senate's inquiry concluded that TikTok should be banned on official phones.").HoldsKind);
        // "Decide" in the past asks what was done, which the sentence says without the verb.
        Assert.True(JudgeFor("What did Canberra decide to do with the Chinese cameras?", "Australia announces it will remove all Chinese-made cameras from government buildings.").HoldsKind);
    }

    [Fact]
    public void What_an_inquiry_ended_up_concluding_needs_a_sentence_that_states_a_conclusion()
    {
        const string Question = "What did the French Senate's TikTok inquiry end up concluding?";

        Assert.False(JudgeFor(Question, "9 February 2023: The French Senate launches a commission of inquiry into TikTok.", PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor(Question, "The French Senate's inquiry concluded that TikTok should be banned on official phones.").HoldsKind);
    }

    [Fact]
    public void A_fear_spelled_out_is_the_reason_for_being_scared()
    {
        Assert.True(JudgeFor("why are lawmakers scared of tiktok", "Some US lawmakers fear that ByteDance could pass American TikTok users' data to the Chinese authorities.").HoldsKind);
        Assert.False(JudgeFor("why are lawmakers scared of tiktok", "Some US lawmakers fear TikTok.").HoldsKind);
    }

    [Theory]
    [InlineData("What kind of fighter jet shot down the balloon?")]
    [InlineData("what type of missile was fired at the balloon")]
    public void What_kind_of_thing_needs_a_sentence_that_names_that_thing(string question)
    {
        Assert.False(JudgeFor(question, "4 February 2023: The United States shoots the balloon down off the coast of South Carolina.", PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor(question, "An F-22 fighter jet shot the balloon down with a Sidewinder missile.").HoldsKind);
    }

    [Fact]
    public void What_kind_is_told_by_any_word_of_the_kind_or_its_synonyms_and_a_general_kind_by_any_sentence()
    {
        const string Restriction = "November 2022: The United States imposes drastic restrictions on exports of advanced semiconductors.";

        Assert.True(JudgeFor("What kind of high-end chips did Washington curb shipments of?", Restriction, PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor("what kind of products did the US restrict exporting to china", Restriction, PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor("what kind of outfit built the balloon", "The balloon was built by the Chinese army.").HoldsKind);
    }

    [Fact]
    public void Why_is_not_answered_by_a_sentence_whose_reason_is_the_asked_action_itself()
    {
        const string Question = "Why did Wei Sun decide to take the company computer to China?";

        Assert.False(JudgeFor(Question, "Wei Sun was sentenced after taking a Raytheon company computer to China.").HoldsKind);
        Assert.True(JudgeFor("Why was Wei Sun sentenced?", "Wei Sun was sentenced after taking a Raytheon company computer to China.").HoldsKind);
    }

    [Theory]
    [InlineData("Apart from Huawei and ZTE, which other Chinese companies were hit by the FCC ban?")]
    [InlineData("besides huawei and zte which companies did the fcc ban")]
    [InlineData("The FCC banned Huawei and ZTE; what other companies did it ban?")]
    public void Which_other_is_answered_only_by_a_sentence_naming_something_new(string question)
    {
        Assert.False(JudgeFor(question, "November 2022: The FCC bans telecoms equipment and services from about half a dozen Chinese companies, including Huawei and ZTE.", PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor(question, "The FCC ban also covers Hikvision and Dahua, alongside Huawei and ZTE.").HoldsKind);
    }

    [Fact]
    public void Which_other_is_not_answered_by_a_place_or_by_a_short_form_spelled_out()
    {
        Assert.False(JudgeFor("Apart from Huawei and ZTE, which other companies did the FCC ban?",
            "At the end of November 2022, the Federal Communications Commission (FCC), the US telecoms regulator, banned gear from six Chinese companies, including Huawei and ZTE.").HoldsKind);
        // Opening the sentence, "The" is no initial.
        Assert.False(JudgeFor("Apart from Huawei and ZTE, which other companies did the FCC ban?",
            "The Federal Communications Commission (FCC) banned gear from six Chinese companies, including Huawei and ZTE.").HoldsKind);
        Assert.False(JudgeFor("Hikvision was one of the camera makers, what was the other one?",
            "Hikvision: Chinese maker of video surveillance cameras; blacklisted in the US", PassageKind.Actor).HoldsKind);
        Assert.True(JudgeFor("Hikvision was one of the camera makers, what was the other one?",
            "The cameras in Australian government buildings were produced by Hikvision and Dahua.").HoldsKind);
    }

    [Theory]
    [InlineData("What aircraft or missile was used to shoot down the balloon?")]
    [InlineData("which fighter jet or missile did the us use to shoot down the balloon")]
    public void The_instrument_asked_for_is_not_named_by_the_thing_it_was_used_on(string question)
    {
        // "Balloon" is a synonym of "aircraft", but here it is what was shot, not what shot it.
        Assert.False(JudgeFor(question, "4 February 2023: The United States shoots the balloon down off the coast of South Carolina.", PassageKind.Event).HoldsKind);
        Assert.True(JudgeFor(question, "An F-22 fighter jet shot the balloon down with a Sidewinder missile.").HoldsKind);
    }

    [Fact]
    public void A_wording_asked_for_with_use_is_not_an_instrument()
    {
        Assert.True(JudgeFor("What word did the opposition MP use to describe what was in those buildings?",
            "Opposition MP James Paterson claimed that Australian government sites were riddled with \"spyware\".").HoldsKind);
    }

    [Fact]
    public void A_reaction_is_answered_only_by_a_sentence_in_which_the_one_reacting_appears()
    {
        const string Question = "How did Dahua respond to Australia's decision?";

        Assert.False(JudgeFor(Question, "Australia announces it will remove all Chinese-made cameras; Beijing accuses Canberra of discrimination.").HoldsKind);
        Assert.True(JudgeFor(Question, "Dahua says its products comply with Australian law.").HoldsKind);
        // Under any of its names.
        Assert.True(JudgeFor("How did Beijing react to the ban?", "China says the ban is discrimination.").HoldsKind);
        // "What did Dahua say about …" needs Dahua to say something.
        Assert.False(JudgeFor("what did dahua say about australia dumping its cameras", "The cameras in Australian government buildings were produced by Hikvision and Dahua.").HoldsKind);
        Assert.True(JudgeFor("what did dahua say about australia dumping its cameras", "Dahua says its products comply with Australian law.").HoldsKind);
        // "Did TikTok say anything back" asks for a reaction as "how did TikTok respond" does.
        Assert.False(JudgeFor("did tiktok say anything back to the french senate inquiry", "9 February 2023: The French Senate launches a commission of inquiry into TikTok.").HoldsKind);
        Assert.True(JudgeFor("did tiktok say anything back to the french senate inquiry", "TikTok said it welcomed the French Senate's inquiry.").HoldsKind);
        // A pronoun names no one: the follow-up is about whoever the thread discussed.
        Assert.True(JudgeFor("how did they respond", "Dahua says its products comply with Australian law.").HoldsKind);
    }

    [Fact]
    public void A_count_opening_a_line_does_not_name_the_thing_asked()
    {
        var judged = JudgeFor("What is the name of the hacker the Justice Department accused?",
            "Four Chinese nationals: Three security officials and a hacker accused by the US Justice Department", PassageKind.Actor);

        Assert.False(judged.NamesAsked);
    }

    [Fact]
    public void Without_vectors_coverage_alone_decides_and_there_is_no_middle_level()
    {
        Assert.Equal(AnswerLevel.Confident, PassageJudge.Decide(Judged(0.7, 0.7, double.NaN), withVectors: false));
        Assert.Equal(AnswerLevel.Unknown, PassageJudge.Decide(Judged(0.7, 0.7, double.NaN, holdsKind: false), withVectors: false));
        Assert.Equal(AnswerLevel.Unknown, PassageJudge.Decide(Judged(0.5, 0.5, double.NaN), withVectors: false));
    }

    [Fact]
    public void The_closest_level_is_shown_as_a_notice_with_its_incidents_and_is_not_an_answer()
    {
        var answer = new Answer
        {
            Answered = false,
            Level = AnswerLevel.Closest,
            Text = "I'm not sure, but the closest I have is: “The balloon was shot down.” (Balloon)",
            Closest = [new ClosestSentence("The balloon was shot down.", "balloon", "Balloon")],
            Suggestions = ["balloon"],
        };

        var message = AskCommand.ToMessage(answer, 7);

        Assert.Equal(MessageKind.Notice, message.Kind);
        Assert.StartsWith("I'm not sure, but the closest I have is", message.Text, StringComparison.Ordinal);
        Assert.Contains(message.Buttons, b => b.Command == "incident balloon");
        Assert.Contains(message.Buttons, b => b.Command == "feedback down 7");
    }

    [Fact]
    public void Scoring_counts_only_I_dont_know_as_an_abstention()
    {
        var outOfScope = new EvaluationQuestion("who won the cup?", null, null, null, "off-topic");
        var closest = new Answer { Answered = false, Level = AnswerLevel.Closest, Text = "I'm not sure, but …" };
        var unknown = new Answer { Answered = false, Level = AnswerLevel.Unknown, Text = "I don't know …" };

        Assert.False(AnswerEvaluator.IsCorrect(outOfScope, closest));
        Assert.True(AnswerEvaluator.IsCorrect(outOfScope, unknown));
    }
}
