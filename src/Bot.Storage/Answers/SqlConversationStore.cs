using Bot.Core.Answers;
using Dapper;

namespace Bot.Storage.Answers;

/// <summary>
/// <see cref="IConversationStore"/> in the conversation_memory table (migration 0013): one row per conversation,
/// replaced by each answer. Expired rows are deleted now and then (at most every few minutes, while remembering),
/// so the table holds about a day of conversations.
/// </summary>
public sealed class SqlConversationStore(IStoreConnections database) : IConversationStore
{
    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);
    private long _nextPrune = long.MinValue;

    public async Task<string?> LastIncidentAsync(string conversation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT incident_slug FROM conversation_memory WHERE conversation = @conversation AND expires_at > @now",
            new { conversation, now }, cancellationToken: cancellationToken));
    }

    public async Task RememberAsync(string conversation, string slug, DateTimeOffset at, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO conversation_memory (conversation, incident_slug, remembered_at, expires_at) VALUES (@conversation, @slug, @at, @expiresAt)
            ON CONFLICT (conversation) DO UPDATE SET incident_slug = excluded.incident_slug, remembered_at = excluded.remembered_at,
                expires_at = excluded.expires_at
            """, new { conversation, slug, at, expiresAt }, cancellationToken: cancellationToken));
        if (at.UtcTicks >= Interlocked.Read(ref _nextPrune))
        {
            Interlocked.Exchange(ref _nextPrune, (at + PruneEvery).UtcTicks);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM conversation_memory WHERE expires_at <= @at", new { at }, cancellationToken: cancellationToken));
        }
    }
}
