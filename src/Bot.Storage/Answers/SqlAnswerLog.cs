using Bot.Core.Answers;
using Dapper;

namespace Bot.Storage.Answers;

public sealed class SqlAnswerLog(IStoreConnections database, TimeProvider time) : IAnswerLog
{
    public async Task<long> RecordAsync(AnsweredQuestion entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO answers (platform, conversation, question, answer, answered, incident, confidence, asked_at)
            VALUES (@Platform, @Conversation, @Question, @Answer, @Answered, @Incident, @Confidence, @At)
            RETURNING id
            """,
            new
            {
                entry.Platform,
                entry.Conversation,
                entry.Question,
                Answer = entry.Answer.Text,
                // 0 or 1 on both providers: the column is an integer, as SQLite has no boolean.
                Answered = entry.Answer.Answered ? 1 : 0,
                Incident = entry.Answer.IncidentSlug,
                entry.Answer.Confidence,
                At = entry.At,
            },
            cancellationToken: cancellationToken));
    }

    public async Task<bool> VoteAsync(long answerId, int vote, string voter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO answer_votes (answer_id, voter, vote, voted_at)
            SELECT id, @voter, @vote, @now FROM answers WHERE id = @answerId
            ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at
            """,
            new { answerId, voter, vote = Math.Sign(vote), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
        return changed > 0;
    }

    public async Task<IReadOnlyList<FeedbackEntry>> ListFeedbackAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<FeedbackRow>(new CommandDefinition(
            """
            SELECT a.id AS AnswerId, a.question AS Question, a.answer AS Answer, a.incident AS Incident, a.answered AS Answered,
                   sum(CASE WHEN v.vote = 1 THEN 1 ELSE 0 END) AS Up, sum(CASE WHEN v.vote = -1 THEN 1 ELSE 0 END) AS Down, a.asked_at AS AskedAt
            FROM answers a JOIN answer_votes v ON v.answer_id = a.id
            GROUP BY a.id
            ORDER BY sum(CASE WHEN v.vote = -1 THEN 1 ELSE 0 END) DESC, a.asked_at DESC
            LIMIT @limit
            """, new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new FeedbackEntry(r.AnswerId, r.Question, r.Answer, r.Incident, r.Answered != 0, (int)r.Up, (int)r.Down,
            r.AskedAt)).ToList();
    }

    // Setters, not a constructor: aggregate columns have no declared type, so an empty result cannot be matched to one.
    private sealed class FeedbackRow
    {
        public long AnswerId { get; set; }
        public string Question { get; set; } = "";
        public string Answer { get; set; } = "";
        public string? Incident { get; set; }
        public long Answered { get; set; }
        public long Up { get; set; }
        public long Down { get; set; }
        public DateTimeOffset AskedAt { get; set; }
    }
}
