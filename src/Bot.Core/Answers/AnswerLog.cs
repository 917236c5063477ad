namespace Bot.Core.Answers;

/// <summary>Answers given in chat, kept with their votes so the content can be improved.</summary>
public interface IAnswerLog
{
    Task<long> RecordAsync(AnsweredQuestion entry, CancellationToken cancellationToken);

    /// <summary>Records a vote (+1 or -1); one vote per person and answer, the latest wins. False when the answer is unknown.</summary>
    Task<bool> VoteAsync(long answerId, int vote, string voter, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedbackEntry>> ListFeedbackAsync(int limit, CancellationToken cancellationToken);
}

public sealed record AnsweredQuestion(string Platform, string? Conversation, string Question, Answer Answer, DateTimeOffset At);

public sealed record FeedbackEntry(long AnswerId, string Question, string Answer, string? IncidentSlug, bool Answered, int Up, int Down, DateTimeOffset At);
