using Bot.Core.Answers;
using Bot.Core.Chat;

namespace Bot.Core.Tests.Answers;

public class AskCommandTests(AnswerFixture fixture) : IClassFixture<AnswerFixture>
{
    private ChatRequest Request(string text, string user = "u1") =>
        new(text, new ChatContext { Platform = "test", Channel = "c1", User = user, Thread = "t-" + Guid.NewGuid().ToString("N") });

    [Fact]
    public async Task An_answer_in_chat_carries_its_source_and_vote_buttons()
    {
        var ask = new AskCommand(fixture.Engine, fixture.Log, fixture.Store.Time, CommandNames.Unchanged);

        var message = await ask.HandleAsync(Request("ask when was the balloon shot down?"), CancellationToken.None);

        Assert.Equal(MessageKind.Card, message.Kind);
        Assert.StartsWith("4 February 2023", message.Text, StringComparison.Ordinal);
        Assert.StartsWith("From: Chinese surveillance balloon", message.Footer, StringComparison.Ordinal);
        Assert.Equal(["👍", "👎"], message.Buttons.Select(b => b.Label));
    }

    [Fact]
    public async Task An_unknown_answer_offers_the_closest_incidents()
    {
        var ask = new AskCommand(fixture.Engine, fixture.Log, fixture.Store.Time, CommandNames.Unchanged);

        var message = await ask.HandleAsync(Request("ask who won the world cup?"), CancellationToken.None);

        Assert.Equal(MessageKind.Notice, message.Kind);
        Assert.Contains("I don't know", message.Text, StringComparison.Ordinal);
        Assert.Contains(message.Buttons, b => b.Command.StartsWith("incident ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Votes_are_stored_with_the_question_and_answer_and_listed()
    {
        var ask = new AskCommand(fixture.Engine, fixture.Log, fixture.Store.Time, CommandNames.Unchanged);
        var feedback = new FeedbackCommand(fixture.Log);
        var message = await ask.HandleAsync(Request("ask where is safeguard defenders based?"), CancellationToken.None);
        var down = message.Buttons.Single(b => b.Label == "👎").Command;

        var reply = await feedback.HandleAsync(Request(down, "alice"), CancellationToken.None);
        await feedback.HandleAsync(Request(down, "bob"), CancellationToken.None);
        await feedback.HandleAsync(Request(down.Replace("down", "up", StringComparison.Ordinal), "bob"), CancellationToken.None);

        Assert.Contains("Thanks", reply.Text, StringComparison.Ordinal);
        var entry = Assert.Single(await fixture.Log.ListFeedbackAsync(10, CancellationToken.None), e => e.Question.Contains("safeguard", StringComparison.Ordinal));
        Assert.Equal((1, 1), (entry.Up, entry.Down));
        Assert.Contains("Madrid", entry.Answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feedback sideways 1")]
    [InlineData("feedback up notanumber")]
    [InlineData("feedback")]
    public async Task A_malformed_vote_gets_usage_help(string text)
    {
        var message = await new FeedbackCommand(fixture.Log).HandleAsync(Request(text), CancellationToken.None);

        Assert.Equal(MessageKind.Error, message.Kind);
    }

    [Fact]
    public async Task A_vote_on_an_unknown_answer_is_declined_politely()
    {
        var message = await new FeedbackCommand(fixture.Log).HandleAsync(Request("feedback up 999999"), CancellationToken.None);

        Assert.Contains("no longer on record", message.Text, StringComparison.Ordinal);
    }
}
