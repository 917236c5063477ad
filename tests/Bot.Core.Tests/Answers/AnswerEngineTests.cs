using Bot.Core.Answers;
using Bot.Core.Chat;
using Dapper;

namespace Bot.Core.Tests.Answers;

public class AnswerEngineTests(AnswerFixture fixture) : IClassFixture<AnswerFixture>
{
    private static ChatContext NewThread() => new() { Platform = "test", Channel = "c1", Thread = Guid.NewGuid().ToString("N") };

    [Fact]
    public async Task A_when_question_is_answered_with_the_date_first_and_its_source()
    {
        var answer = await fixture.Engine.AnswerAsync("when was the balloon shot down?", NewThread(), CancellationToken.None);

        Assert.True(answer.Answered);
        Assert.StartsWith("4 February 2023", answer.Text, StringComparison.Ordinal);
        Assert.Equal("balloon", answer.IncidentSlug);
        Assert.StartsWith("RFI", answer.Source, StringComparison.Ordinal);
        Assert.InRange(answer.Confidence, 0.62, 1);
    }

    [Fact]
    public async Task A_how_many_question_leads_with_the_number()
    {
        var answer = await fixture.Engine.AnswerAsync("How many cameras did Australia find in government buildings?", NewThread(), CancellationToken.None);

        Assert.True(answer.Answered);
        Assert.Contains("913", answer.Text.Split('—')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_answer_quotes_a_stored_sentence_word_for_word()
    {
        await using var connection = await fixture.Store.Database.OpenAsync(CancellationToken.None);
        var passages = (await connection.QueryAsync<string>("SELECT text FROM passages")).ToList();

        foreach (var question in new[] { "who recovered the balloon debris?", "how long was Ji Chaoqun sentenced to?", "which NGO reported the police stations?", "why did Australia remove the cameras?" })
        {
            var answer = await fixture.Engine.AnswerAsync(question, NewThread(), CancellationToken.None);
            Assert.True(answer.Answered, question);
            Assert.Contains(passages, p => answer.Text.EndsWith(p, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("What is the capital of Peru?")]
    [InlineData("who won the world cup?")]
    [InlineData("Which fighter jet shot down the balloon?")]
    [InlineData("What is TikTok's annual revenue?")]
    public async Task Questions_the_store_cannot_answer_get_an_honest_I_dont_know(string question)
    {
        var answer = await fixture.Engine.AnswerAsync(question, NewThread(), CancellationToken.None);

        Assert.False(answer.Answered);
        Assert.StartsWith("I don't know that from the stored briefings", answer.Text, StringComparison.Ordinal);
        Assert.Equal(0, answer.Confidence);
    }

    [Fact]
    public async Task A_follow_up_in_the_same_thread_resolves_it_to_the_incident_last_discussed()
    {
        var weiThread = NewThread();
        var jiThread = NewThread();
        await fixture.Engine.AnswerAsync("which company did Wei Sun work for?", weiThread, CancellationToken.None);
        await fixture.Engine.AnswerAsync("what visa did Ji Chaoqun arrive on?", jiThread, CancellationToken.None);

        var aboutWei = await fixture.Engine.AnswerAsync("and when was he sentenced?", weiThread, CancellationToken.None);
        var aboutJi = await fixture.Engine.AnswerAsync("and when was he sentenced?", jiThread, CancellationToken.None);

        Assert.Equal("wei-sun", aboutWei.IncidentSlug);
        Assert.Contains("2020", aboutWei.Text, StringComparison.Ordinal);
        Assert.Equal("ji-chaoqun", aboutJi.IncidentSlug);
        Assert.Contains("January 2023", aboutJi.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_thread_forgets_after_a_day()
    {
        var memory = fixture.Store.NewConversationMemory();
        var thread = NewThread();
        await memory.RememberAsync(thread, "balloon", CancellationToken.None);

        fixture.Store.Time.Advance(TimeSpan.FromHours(23));
        Assert.Equal("balloon", await memory.LastIncidentAsync(thread, CancellationToken.None));
        fixture.Store.Time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await memory.LastIncidentAsync(thread, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("?!?!")]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("NEAR(")]
    [InlineData("AND OR NOT")]
    [InlineData("^balloon")]
    [InlineData("balloon' OR 1=1 --")]
    [InlineData("'; DROP TABLE passages; --")]
    [InlineData("气球 🎈 когда был сбит")]
    [InlineData("🎈🎈🎈")]
    public async Task Odd_questions_get_a_polite_reply_and_never_an_exception(string question)
    {
        var answer = await fixture.Engine.AnswerAsync(question, NewThread(), CancellationToken.None);

        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    [Fact]
    public async Task A_ten_thousand_character_question_is_handled()
    {
        var question = string.Concat(Enumerable.Repeat("when was the balloon shot down ", 350));

        var answer = await fixture.Engine.AnswerAsync(question, NewThread(), CancellationToken.None);

        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }
}
