using Bot.Core.Chat;
using Dapper;

namespace Bot.Storage.Chat;

/// <summary>
/// <see cref="IInboundEventLog"/> in the seen_events table. A key counts as seen while its row has not expired; an
/// expired row is taken over by the next delivery. Expired rows are deleted now and then (at most every few minutes,
/// while recording), so the table holds about a day of events.
/// </summary>
public sealed class SqlInboundEventLog(IStoreConnections database, TimeProvider time) : IInboundEventLog
{
    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);
    private long _nextPrune = long.MinValue;

    public async Task<bool> FirstTimeAsync(string platform, IReadOnlyList<string> keys, TimeSpan keepFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var seenAt = now;
        var expiresAt = now + keepFor;
        await using var connection = await database.OpenAsync(cancellationToken);
        var recorded = 0;
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            foreach (var key in keys)
            {
                // Inserts a new key, or takes over an expired one; a key still kept changes nothing (0 rows).
                recorded += await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO seen_events (platform, key, seen_at, expires_at) VALUES (@platform, @key, @seenAt, @expiresAt)
                    ON CONFLICT (platform, key) DO UPDATE SET seen_at = excluded.seen_at, expires_at = excluded.expires_at
                    WHERE seen_events.expires_at <= excluded.seen_at
                    """,
                    new { platform, key, seenAt, expiresAt }, transaction, cancellationToken: cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (now.UtcTicks >= Interlocked.Read(ref _nextPrune))
        {
            Interlocked.Exchange(ref _nextPrune, (now + PruneEvery).UtcTicks);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM seen_events WHERE expires_at <= @seenAt", new { seenAt }, cancellationToken: cancellationToken));
        }

        return recorded == keys.Count;
    }
}
