using Bot.Core.Chat;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Core.Tests.Chat;

public class CommandRouterTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [Theory]
    [InlineData("incident balloon", "incident", "balloon")]
    [InlineData("/Incident   xu yanjun  ", "incident", "xu yanjun")]
    [InlineData("onthisday", "onthisday", "")]
    [InlineData("", "", "")]
    public void A_request_splits_into_command_and_arguments(string text, string command, string arguments)
    {
        var request = new ChatRequest(text, ChatContext.Cli);

        Assert.Equal(command, request.Command);
        Assert.Equal(arguments, request.Arguments);
    }

    [Fact]
    public void A_copy_with_other_text_splits_its_own_text()
    {
        var request = new ChatRequest("incident balloon", ChatContext.Cli);
        _ = request.Command;

        var copy = request with { Text = "timeline tiktok" };

        Assert.Equal(("incident", "balloon"), (request.Command, request.Arguments));
        Assert.Equal(("timeline", "tiktok"), (copy.Command, copy.Arguments));
    }

    [Fact]
    public void Requests_with_the_same_text_and_context_are_equal_whether_or_not_one_was_split()
    {
        var read = new ChatRequest("incident balloon", ChatContext.Cli);
        _ = read.Command;
        var unread = new ChatRequest("incident balloon", ChatContext.Cli);

        Assert.Equal(read, unread);
        Assert.Equal(read.GetHashCode(), unread.GetHashCode());
        Assert.NotEqual(read, read with { Text = "incident tiktok" });
    }

    [Theory]
    [InlineData("incident balloon", "incident balloon")]
    [InlineData("help", "help")]
    [InlineData("when was the balloon shot down?", "ask when was the balloon shot down?")]
    [InlineData("Weather is fun", "ask Weather is fun")]
    public void A_mention_is_a_command_when_its_first_word_names_one_and_a_question_otherwise(string text, string expected)
    {
        Assert.Equal(expected, core.Router.ForMention(text, ChatContext.Cli).Text);
    }

    [Fact]
    public async Task An_unknown_command_gets_usage_help()
    {
        var message = await core.AskAsync("weather paris");

        Assert.Equal(MessageKind.Error, message.Kind);
        Assert.True(message.Ephemeral);
        Assert.Contains("/incident", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_handler_becomes_an_apology_not_a_crash()
    {
        var router = CoreFixture.CreateRouter(core.Store.Store, new FakeTimeProvider(), new ThrowingHandler());

        var message = await router.HandleAsync(new ChatRequest("boom", ChatContext.Cli), CancellationToken.None);

        Assert.Equal(MessageKind.Error, message.Kind);
        Assert.Contains("went wrong", message.Text, StringComparison.Ordinal);
    }

    private sealed class ThrowingHandler : ICommandHandler
    {
        public IReadOnlyList<string> Names => ["boom"];
        public string Usage => "/boom";
        public Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }
}
