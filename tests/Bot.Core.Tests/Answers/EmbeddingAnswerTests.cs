using System.Text.RegularExpressions;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Embeddings;
using Bot.Storage;
using Bot.Storage.Answers;
using Bot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Answers;

/// <summary>The answer engine with the real embedding model: hybrid search, typos, chat wording, answer kinds, bad input.</summary>
[Collection("model")]
public class EmbeddingAnswerTests(ModelFixture model)
{
    private static ChatContext Fresh() => new() { Platform = "test", Thread = Guid.NewGuid().ToString("N") };

    private Task<Answer> Ask(string question) => model.Engine.AnswerAsync(question, Fresh(), CancellationToken.None);

    [Fact]
    public async Task The_model_ranks_the_answering_sentence_above_an_unrelated_one()
    {
        var query = model.Embedder.EmbedQuery("Which company owns TikTok?");
        var passages = model.Embedder.EmbedPassages(["ByteDance is the Chinese group that owns the social network TikTok.", "The balloon was shot down off South Carolina."], CancellationToken.None);

        Assert.Equal(384, query.Length);
        Assert.True(Dot(query, passages[0]) > Dot(query, passages[1]) + 0.1);
        Assert.True(model.Built > 200, $"only {model.Built} vectors were built for the seed store");
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("anyone know what ifri stands for", "French Institute for International Relations")]
    [InlineData("what does FCC stand for?", "Federal Communications Commission")]
    public async Task A_short_form_is_answered_by_the_sentence_that_spells_it_out_though_others_mention_it_more(string question, string expected)
    {
        var answer = await Ask(question);

        Assert.Equal(AnswerLevel.Confident, answer.Level);
        Assert.Equal(expected, answer.Phrase);
    }

    [Fact]
    public async Task A_confident_answer_has_the_phrase_of_the_kind_asked_the_sentence_and_the_source()
    {
        var answer = await Ask("Which company owns TikTok?");

        Assert.Equal(AnswerLevel.Confident, answer.Level);
        Assert.True(answer.Answered);
        Assert.Equal("ByteDance", answer.Phrase);
        Assert.Contains("ByteDance", answer.Sentence, StringComparison.Ordinal);
        Assert.Equal("tiktok", answer.IncidentSlug);
        Assert.StartsWith("RFI", answer.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("which chinese conglomerate controls tiktok")]
    [InlineData("what multinational owns tiktok")]
    public async Task A_conglomerate_asked_for_is_a_company(string question)
    {
        var answer = await Ask(question);

        Assert.True(answer.Answered, answer.Text);
        Assert.Equal("ByteDance", answer.Phrase);
    }

    [Theory]
    // The side is described, not named: the actor line saying Hikvision is a camera maker tells who must speak.
    [InlineData("how did the chinese camera maker push back on the australian accusations")]
    [InlineData("How did the surveillance camera maker defend itself?")]
    public async Task A_reaction_of_a_side_described_by_what_it_is_is_answered_by_that_side_speaking(string question)
    {
        var answer = await Ask(question);

        Assert.True(answer.Answered, answer.Text);
        Assert.StartsWith("Hikvision", answer.Sentence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("how did hikvison respond?", "Hikvision")]
    [InlineData("where is safegaurd defenders based", "Madrid")]
    [InlineData("when was ji chaoqan sentenced", "2023")]
    [InlineData("since when has huwaei been targeted by the us", "2019")]
    public async Task Misspelt_names_are_answered_as_if_spelled_right(string question, string expected)
    {
        var answer = await Ask(question);

        Assert.True(answer.Answered, answer.Text);
        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lower_case_shorthand_and_a_missing_question_mark_do_not_change_the_answer()
    {
        var plain = await Ask("When was the Chinese balloon shot down?");
        var variants = new[] { "when was the chinese balloon shot down", "wen was the chinese ballon shot down lol", "so like when r the chinese balloon shot down" };

        Assert.True(plain.Answered);
        foreach (var variant in variants)
        {
            var answer = await Ask(variant);
            Assert.True(answer.Answered, $"{variant}: {answer.Text}");
            Assert.Equal(plain.Sentence, answer.Sentence);
        }
    }

    [Theory]
    [InlineData("Who is Xu Yanjun?", "intelligence officer")]
    [InlineData("idk who wei sun is, can someone explain", "engineer")]
    [InlineData("who is mark julienne", "Head of China activities")]
    public async Task Who_is_someone_is_answered_with_what_they_are(string question, string expected)
    {
        var answer = await Ask(question);

        Assert.True(answer.Answered, answer.Text);
        Assert.Contains(expected, answer.Phrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Who_is_answered_with_an_agent_never_a_date()
    {
        var answer = await Ask("who shot the balloon down?");

        if (answer.Answered)
        {
            Assert.NotNull(answer.Phrase);
            Assert.DoesNotMatch(new Regex(@"\d{4}"), answer.Phrase);
        }
    }

    [Theory]
    [InlineData("The Chinese engineer who arrived on a student visa in 2013 - what did he pass to Chinese intelligence?", "scientists")]
    [InlineData("what did the raytheon engineer take to china that got him jailed", "computer")]
    [InlineData("How does Beijing describe what the balloon was for?", "meteorological")]
    [InlineData("How did Beijing react when Australia decided to pull the cameras out?", "discrimination")]
    [InlineData("What's the American firm in the Xu Yanjun story?", "GE Aviation")]
    [InlineData("What was China's official explanation for the balloon?", "meteorological")]
    [InlineData("What did the naturalized engineer working for the US defence group carry off to China?", "computer")]
    public async Task The_sentence_holding_what_is_asked_wins_over_one_repeating_how_the_question_describes_someone(string question, string expected)
    {
        var answer = await Ask(question);

        Assert.True(answer.Answered, answer.Text);
        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_source_a_question_names_is_not_its_answer()
    {
        // Its actor line opens "US State Department: … built by a company linked to the Chinese army": no name of the builder.
        var answer = await Ask("according to the state department who built the balloon");

        Assert.False(answer.Phrase?.Contains("State Department", StringComparison.Ordinal) == true, answer.Text);
    }

    [Fact]
    public async Task Who_runs_the_stations_according_to_the_ngo_is_china()
    {
        var answer = await Ask("according to safeguard defenders, who runs the police stations");

        Assert.True(answer.Answered, answer.Text);
        Assert.Equal("China", answer.Phrase);
    }

    [Fact]
    public async Task Who_did_one_deed_is_not_answered_by_who_did_another()
    {
        // The United States shot the balloon down; it did not build it.
        var answer = await Ask("who supposedly built the craft the americans shot down");

        Assert.False(answer.Answered && answer.Phrase?.Contains("United States", StringComparison.Ordinal) == true, answer.Text);
    }

    [Theory]
    // An event the store never mentions: the date of another one is no answer.
    [InlineData("what year was xu yanjun arrested")]
    [InlineData("when was xu yanjun detained in belgium")]
    // The store says when the balloon was seen and shot down, never when it was launched (other incidents do launch things).
    [InlineData("When was the spy balloon launched?")]
    // A measure the store never gives.
    [InlineData("What was the balloon's maximum altitude?")]
    // ByteDance is spoken of, but never answers.
    [InlineData("How did ByteDance respond to the lawmakers' fears?")]
    // A title nobody in the store holds.
    [InlineData("Who is the chair of the FCC?")]
    // Titles and organisations the store never names: a person's name, or an administration, is no answer.
    [InlineData("who is the chief executive of huawei")]
    [InlineData("what party is james paterson in")]
    [InlineData("The engineer who came to America on a student visa — which university did he attend?")]
    // The balloon is what was shot down, not the aircraft that shot it; a country is no state of it; a government no department.
    [InlineData("Which aircraft brought the balloon down?")]
    [InlineData("which state did people first see the balloon over")]
    [InlineData("which australian department had the most hikvision cameras")]
    // China runs the stations; it does not host them.
    [InlineData("Other than the Netherlands and the Czech Republic, which European countries have the police stations?")]
    // Countries and continents, but no city.
    [InlineData("Which US cities host the Chinese police stations?")]
    // An inquiry opened is not a report published.
    [InlineData("When is the French Senate commission due to publish its report?")]
    public async Task Questions_the_store_only_seems_to_answer_get_no_confident_answer(string question)
    {
        var answer = await Ask(question);

        Assert.False(answer.Answered, answer.Text);
    }

    [Theory]
    [InlineData("what's a good recipe for pizza dough?")]
    [InlineData("How many goals did Messi score last season?")]
    [InlineData("who won the world cup?")]
    public async Task Questions_the_store_does_not_answer_get_I_dont_know(string question)
    {
        var answer = await Ask(question);

        Assert.Equal(AnswerLevel.Unknown, answer.Level);
        Assert.False(answer.Answered);
        Assert.StartsWith("I don't know", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!?! ... ,,,")]
    [InlineData("\"")]
    [InlineData("* NEAR( balloon OR")]
    [InlineData("balloon\" OR \"1\"=\"1")]
    [InlineData("'; DROP TABLE passages; --")]
    [InlineData("\ud800")]
    [InlineData("when was the \ud800 balloon shot down?")]
    [InlineData("气球是什么时候被击落的 when was the balloon shot down")]
    [InlineData("🎈🎈🎈")]
    [InlineData("when was the 🎈 shot down? 🤔")]
    [InlineData("NEAR(balloon debris, 3)")]
    // Through the kind checks: units, counts, reactions, outcomes, cities, companies.
    [InlineData("how many \ud800 balloons 💰 feet")]
    [InlineData("how did \ud800 respond")]
    [InlineData("how did respond")]
    [InlineData("what will ' OR 1=1 -- conclude")]
    [InlineData("how much money \"$$$\" *")]
    [InlineData("which city \udc00 *")]
    [InlineData("which company\u0000made it")]
    [InlineData("which country's")]
    [InlineData("how many")]
    [InlineData("what does \ud800 stand for")]
    [InlineData("what does (((.*))) stand for?")]
    [InlineData("what did ' OR 1=1 -- conclude")]
    [InlineData("apart from \udc00, which other *")]
    [InlineData("what \ud800 or 🚀 was used to")]
    // Through the plan dates, clauses, counted "what are the", numerals and chat descriptions.
    [InlineData("when was \ud800 originally supposed to ; and postponed")]
    [InlineData("what are the 2 \udc00 companies down under")]
    [InlineData("remind me, what sentence did ' OR 1=1 -- get")]
    [InlineData("DOJ 4 🎈 upper house ASIAN SUPERPOWER *")]
    [InlineData("who heads the ((( ))) \ud800")]
    // Through titles, reactions, names asked for, capitals that speak and the time one gets.
    [InlineData("who is the \ud800 minister *")]
    [InlineData("what did ' OR 1=1 -- say in response to \udc00")]
    [InlineData("what are the names of the 🎈🎈 \ud800")]
    [InlineData("which us state did WASHINGTON SAYS \udc00 fly over")]
    [InlineData("how much time did \ud800 get *")]
    [InlineData("who is \ud800 \udc00")]
    [InlineData("idk who ' OR 1=1 -- is, can sum1 explain \ud800")]
    [InlineData("what kind of \ud800 🚀 shot it out of the sky")]
    [InlineData("mark \ud800 julian wei sung jim *")]
    [InlineData("which part of the \udc00 of the of the said")]
    [InlineData("did \ud800 say anything back about")]
    // Through described actors, concessions, claims, purposes and national bodies.
    [InlineData("why is the \ud800 useful even if it isn't a 🎈 *")]
    [InlineData("even if")]
    [InlineData("if it is not")]
    [InlineData("even if it isn't ' OR 1=1 -- what \udc00")]
    [InlineData("what did \ud800 claim")]
    [InlineData("what did claim")]
    [InlineData("what are the \udc00 even for")]
    [InlineData("who currently heads \ud800")]
    [InlineData("who heads")]
    [InlineData("which US body \ud800 said *")]
    [InlineData("which australian department 🎈 \udc00")]
    [InlineData("who is \ud800 in this story")]
    [InlineData("the big \udc00 telecom-gear maker's products, why nervous")]
    [InlineData("talkin blinkin expert \ud800")]
    // Through describing clauses, speakers, deeds, titles and events.
    [InlineData("the \ud800 who 🎈 - what *")]
    [InlineData("the guy who")]
    [InlineData("what did he take that")]
    [InlineData("according to ' OR 1=1 --, who \udc00 built it")]
    [InlineData("according to")]
    [InlineData("who allegedly")]
    [InlineData("who is the \ud800 chair of *")]
    [InlineData("what was \ud800's official explanation")]
    [InlineData("when is \udc00 due to publish 🎈")]
    [InlineData("what was the 🎈's maximum altitude of")]
    [InlineData("how did \udc00 react when ' OR 1=1 --")]
    [InlineData("when was \ud800 arrested in")]
    // Through undated events of a named incident and the question's own names.
    [InlineData("when was the balloon \ud800 launched")]
    [InlineData("according to \udc00 safeguard defenders 🎈, who runs ' OR 1=1 --")]
    [InlineData("according to the state department \ud800 who")]
    [InlineData("which \udc00 cities 🎈 countries")]
    // Through middle clauses, deeds after long subjects, counts, described sides and organisations.
    [InlineData("what did the \ud800 who came \udc00 2013 pass")]
    [InlineData("where is the ngo that")]
    [InlineData("what did the a an the take")]
    [InlineData("what did the 🎈 \ud800 engineer at ' OR 1=1 -- take")]
    [InlineData("how many \ud800 913 \udc00 cameras 250 sites")]
    [InlineData("how did the \ud800 camera maker defend itself")]
    [InlineData("how did the push back")]
    [InlineData("which university did \udc00 attend *")]
    [InlineData("which party 🎈")]
    [InlineData("who is the chief executive of \ud800")]
    [InlineData("which aircraft")]
    [InlineData("over which state \udc00")]
    public async Task Bad_input_gets_a_polite_reply_or_an_abstention_never_an_exception(string question)
    {
        var answer = await Ask(question);

        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    [Fact]
    public async Task Ten_thousand_characters_are_read_as_far_as_a_question_goes()
    {
        var answer = await Ask(string.Concat(Enumerable.Repeat("when was the balloon shot down? ", 320)));

        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    [Fact]
    public async Task Passages_without_vectors_are_still_found_and_vectors_are_filled_in_later()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        var engine = model.EngineOver(store);
        var vectors = new SqlitePassageVectorStore(store.Database);

        // No vector built yet: full-text search answers alone.
        Assert.Equal(0, (await vectors.GetProgressAsync(model.Embedder.ModelName, CancellationToken.None)).WithVectors);
        var before = await engine.AnswerAsync("When was the Chinese balloon shot down?", Fresh(), CancellationToken.None);
        Assert.True(before.Answered, before.Text);

        await store.UpsertAsync(new Incident
        {
            Slug = "harbour-drone",
            Title = "Drone over the harbour of Antwerp",
            Category = "Airspace",
            Summary = "A small quadcopter circled the container terminal of Antwerp for two hours before the port police grounded it.",
            Facts = ["The port police of Antwerp grounded the quadcopter with a jammer."],
        });
        var built = await model.Builder(store).FillAsync(CancellationToken.None);

        Assert.True(built > 200);
        Assert.Equal(0, (await vectors.GetProgressAsync(model.Embedder.ModelName, CancellationToken.None)).Missing);
        // Found by meaning: none of these words is in the sentence.
        var reading = await engine.ReadAsync("Which law enforcement agency brought down the unmanned aircraft at the Belgian seaport?", Fresh(), CancellationToken.None);
        Assert.Contains(reading.Ranked, j => j.Passage.Slug == "harbour-drone" && j.Candidate.VectorRank is <= 5);
    }

    [Fact]
    public async Task Among_hundreds_of_incidents_repeating_one_sentence_the_answering_sentences_are_still_heard()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        // Distractors as a large store has them: the same few sentences, a number or a place changed, over and over.
        string[] places = ["Montana", "Vancouver", "Rotterdam", "Oslo", "Gdansk", "Milan"];
        for (var i = 0; i < 400; i++)
        {
            var place = places[i % places.Length];
            await store.UpsertAsync(new Incident
            {
                Slug = $"distractor-{i}",
                Title = $"Surveillance balloon over {place}",
                Category = "Airspace",
                Summary = $"A surveillance balloon was reported by American officials over {place}.",
                Facts = [$"{i % 40 + 3} diplomats were expelled in response to the surveillance balloon.", $"The incident over {place} is under investigation by American diplomats."],
            });
        }

        await model.Builder(store).FillAsync(CancellationToken.None);
        var engine = model.EngineOver(store);

        // By meaning: the near-copies of "… diplomats were expelled …" take two places, not all of them.
        var built = await engine.ReadAsync("Who do US diplomats say built the floating contraption?", Fresh(), CancellationToken.None);
        Assert.InRange(built.Ranked.Count(j => j.Candidate.VectorRank is not null && j.Passage.Text.Contains("were expelled", StringComparison.Ordinal)), 1, 2);
        Assert.Contains(built.Ranked, j => j.Passage.Slug == "balloon" && j.Candidate.VectorRank is not null && j.Passage.Text.Contains("State Department", StringComparison.Ordinal));

        // By words: "balloon", "american", "diplomat" and "incident" are in over a thousand passages; the search keeps to the
        // rarer words ("trip", "capital", "planned", "because"), and the sentences about Blinken's visit are among the finds.
        var trip = await engine.ReadAsync("Which top American diplomat had to call off a planned trip to China's capital because of the balloon incident?", Fresh(), CancellationToken.None);
        Assert.Contains(trip.Ranked, j => j.Candidate.LexicalRank is not null && j.Passage.Text.Contains("Blinken", StringComparison.Ordinal));
        var answer = await engine.AnswerAsync("Which top American diplomat had to call off a planned trip to China's capital because of the balloon incident?", Fresh(), CancellationToken.None);
        Assert.Contains("Blinken", answer.Text, StringComparison.Ordinal);

        // Bad input through the narrowed search and the thinning: a polite reply, never an exception.
        foreach (var odd in new[] { "balloon \ud800 diplomats", "\"balloon\" OR 1=1; DROP TABLE passages; -- *", string.Concat(Enumerable.Repeat("balloon diplomats expelled 🎈 ", 400)), "🎈🎈", "" })
            Assert.False(string.IsNullOrWhiteSpace((await engine.AnswerAsync(odd, Fresh(), CancellationToken.None)).Text));
    }

    [Theory]
    // The moment something became known, was seen or took effect is the date the incident gives, in whatever words.
    [InlineData("when were the chip export controls announced", "2022")]
    [InlineData("when was the balloon tracked", "2023")]
    public async Task When_something_became_known_is_answered_with_the_incidents_date(string question, string year)
    {
        var answer = await Ask(question);

        Assert.True(answer.Answered, answer.Text);
        Assert.Contains(year, answer.Phrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_the_named_incident_never_mentions_stays_unknown_when_other_incidents_mention_it()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        // A larger store always has someone else arrested or something else launched, with a date.
        await store.UpsertAsync(new Incident
        {
            Slug = "harbour-arrest",
            Title = "Harbour official arrested",
            Category = "Espionage",
            Summary = "A harbour official was arrested in Gdansk on 3 March 2021 and a weather rocket was launched on 5 May 2021.",
            Facts = ["The official was arrested on 3 March 2021.", "The rocket was launched from the coast on 5 May 2021."],
        });
        await model.Builder(store).FillAsync(CancellationToken.None);
        var engine = model.EngineOver(store);

        foreach (var question in new[] { "when was xu yanjun arrested", "When was the spy balloon launched?" })
        {
            var answer = await engine.AnswerAsync(question, Fresh(), CancellationToken.None);
            Assert.False(answer.Answered, $"{question} → {answer.Text}");
        }

        // The event itself is still answered where it happened.
        var arrest = await engine.AnswerAsync("when was the harbour official arrested", Fresh(), CancellationToken.None);
        Assert.True(arrest.Answered, arrest.Text);
        Assert.Contains("3 March 2021", arrest.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosted_service_builds_vectors_in_the_background_after_an_import()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        var vectors = new SqlitePassageVectorStore(store.Database);
        using var search = new PassageVectorSearch(vectors, model.Embedder);
        using var builder = model.Builder(store);
        using var content = new SqliteContentVersion(store.Database, TimeProvider.System);
        using var service = new PassageVectorService(model.Embedder, builder, search, content, TimeProvider.System, NullLogger<PassageVectorService>.Instance);

        await service.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while ((await vectors.GetProgressAsync(model.Embedder.ModelName, CancellationToken.None)).Missing > 0 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            var progress = await vectors.GetProgressAsync(model.Embedder.ModelName, CancellationToken.None);
            Assert.Equal(0, progress.Missing);
            Assert.True(progress.WithVectors > 200);
            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (search.Count < progress.WithVectors && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(progress.WithVectors, search.Count);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_changed_model_name_means_the_vectors_are_built_again()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        var vectors = new SqlitePassageVectorStore(store.Database);
        var passage = (await vectors.ListMissingAsync(model.Embedder.ModelName, long.MaxValue, 1, CancellationToken.None))[0];
        await vectors.SaveAsync("old-model", [new PassageVector(passage.Id, new float[384])], CancellationToken.None);

        Assert.Contains(await vectors.ListMissingAsync(model.Embedder.ModelName, long.MaxValue, 1000, CancellationToken.None), p => p.Id == passage.Id);
        await model.Builder(store).FillAsync(CancellationToken.None);

        Assert.Equal(0, (await vectors.GetProgressAsync(model.Embedder.ModelName, CancellationToken.None)).Missing);
        Assert.Empty(await vectors.GetAsync("old-model", [passage.Id], CancellationToken.None));
        Assert.Single(await vectors.GetAsync(model.Embedder.ModelName, [passage.Id], CancellationToken.None));
    }

    [Fact]
    public async Task With_embeddings_switched_off_no_model_is_used_and_answers_are_lexical()
    {
        await using var store = await TestStore.CreateAsync(seeded: true);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = store.Database.Path,
            ["Seeds:Path"] = RepoPaths.Seeds,
            ["Answers:Embeddings"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddBotCore().AddBotStorage().AddBotEmbeddings();
        await using var provider = services.BuildServiceProvider();

        var embedder = provider.GetRequiredService<ITextEmbedder>();
        Assert.False(embedder.IsEnabled);
        Assert.Equal(0, await provider.GetRequiredService<PassageVectorBuilder>().FillAsync(CancellationToken.None));
        var answer = await provider.GetRequiredService<AnswerEngine>().AnswerAsync("When was the Chinese balloon shot down?", Fresh(), CancellationToken.None);
        Assert.True(answer.Answered, answer.Text);
        Assert.False(provider.GetRequiredService<CandidateSearch>().UsesVectors);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
