using Bot.Core.Chat;

namespace Bot.Core.Answers;

/// <summary>"ask &lt;question&gt;": a short cited answer with 👍/👎, or an honest "I don't know".</summary>
public sealed class AskCommand(AnswerEngine engine, IAnswerLog log, TimeProvider time, CommandNames names) : ICommandHandler
{
    public IReadOnlyList<string> Names => ["ask"];
    public string Usage => names.Slash("ask", "<question>");

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Arguments))
            return ChatMessage.Error($"Ask me something about the stored briefings, for example: {names.Slash("ask", "when was the balloon shot down?")}", "What's the question?");

        var answer = await engine.AnswerAsync(request.Arguments, request.Context, cancellationToken);
        var id = await log.RecordAsync(
            new AnsweredQuestion(request.Context.Platform, ConversationMemory.KeyOf(request.Context), Clip(request.Arguments, 1000), answer, time.GetUtcNow()),
            cancellationToken);
        return ToMessage(answer, id);
    }

    public static ChatMessage ToMessage(Answer answer, long answerId)
    {
        var votes = new List<MessageButton> { new("👍", $"feedback up {answerId}"), new("👎", $"feedback down {answerId}") };
        if (!answer.Answered)
        {
            return new ChatMessage
            {
                Kind = MessageKind.Notice,
                Emoji = "🤔",
                Text = answer.Text,
                Buttons = [.. answer.Suggestions.Take(3).Select(s => new MessageButton(s, $"incident {s}")), .. votes],
            };
        }

        return new ChatMessage
        {
            Emoji = "💬",
            Text = answer.Text,
            Footer = answer.Source is null ? $"From: {answer.IncidentTitle}" : $"From: {answer.IncidentTitle} · {answer.Source}",
            Buttons = votes,
            IncidentSlug = answer.IncidentSlug,
        };
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>"feedback up|down &lt;answer id&gt;": what the 👍/👎 buttons send.</summary>
public sealed class FeedbackCommand(IAnswerLog log) : ICommandHandler
{
    public IReadOnlyList<string> Names => ["feedback"];
    public bool ButtonOnly => true;
    public string Usage => "feedback up|down <answer> (the 👍/👎 buttons)";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var parts = request.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var vote = parts.Length == 2 ? parts[0].ToLowerInvariant() switch { "up" => 1, "down" => -1, _ => 0 } : 0;
        if (vote == 0 || !long.TryParse(parts[1], out var id))
            return ChatMessage.Error("Use the 👍 and 👎 buttons under an answer to rate it.");
        var voter = request.Context.User ?? "anonymous";
        return await log.VoteAsync(id, vote, voter, cancellationToken)
            ? ChatMessage.Notice(vote > 0 ? "Thanks, noted 👍" : "Thanks, noted 👎 — we'll look at that answer.")
            : ChatMessage.Notice("That answer is no longer on record.");
    }
}
