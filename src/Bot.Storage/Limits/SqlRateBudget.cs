using Bot.Core.Limits;
using Dapper;

namespace Bot.Storage.Limits;

/// <summary>
/// <see cref="ISharedRateBudget"/> in the store. Turns: one rate_budget row per key holding its next free
/// turn; reserving is a single upsert that returns the turn it took, so two instances asking at once are
/// ordered by the row lock and get turns a spacing apart. Places: rows of rate_places, counted and taken
/// under the key's rate_budget row lock (SQLite's write lock), whose next_free_us is then the end of a hold.
/// Times are this instance's clock: the instances' clocks must agree (NTP) to within a small part of
/// the spacing, and of the margin callers add to a window.
/// </summary>
public sealed class SqlRateBudget(IStoreConnections database, TimeProvider time) : ISharedRateBudget
{
    public async Task<DateTimeOffset> ReserveAsync(string key, TimeSpan spacing, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(spacing, TimeSpan.Zero);
        var now = Microseconds(time.GetUtcNow());
        var step = (long)(spacing.Ticks / TimeSpan.TicksPerMicrosecond);
        // The turn taken is the later of "now" and the row's next free turn; the row moves one spacing past it.
        var sql = $"""
            INSERT INTO rate_budget (key, next_free_us) VALUES (@key, @now + @step)
            ON CONFLICT (key) DO UPDATE SET next_free_us = {Later("rate_budget.next_free_us", "@now")} + @step
            RETURNING next_free_us
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var nextFree = await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { key, now, step }, cancellationToken: cancellationToken));
        return DateTimeOffset.UnixEpoch.AddTicks((nextFree - step) * TimeSpan.TicksPerMicrosecond);
    }

    public async Task HoldAsync(string key, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var sql = $"""
            INSERT INTO rate_budget (key, next_free_us) VALUES (@key, @until)
            ON CONFLICT (key) DO UPDATE SET next_free_us = {Later("rate_budget.next_free_us", "@until")}
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { key, until = Microseconds(until) }, cancellationToken: cancellationToken));
    }

    public async Task<RatePlace> TryTakePlaceAsync(string key, int limit, TimeSpan window, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, window);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rate_budget (key, next_free_us) VALUES (@key, 0) ON CONFLICT (key) DO NOTHING", new { key }, transaction, cancellationToken: cancellationToken));
        var heldUntil = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT next_free_us FROM rate_budget WHERE key = @key{(database.Provider == StorageProvider.Postgres ? " FOR UPDATE" : "")}",
            new { key }, transaction, cancellationToken: cancellationToken));

        // Read the clock only with the lock held: places are then taken in the order of their times, which is
        // what lets a place count from its taking without missing one taken a moment earlier elsewhere.
        var now = Microseconds(time.GetUtcNow());
        if (heldUntil > now) return new RatePlace(null, FromMicroseconds(heldUntil - now));

        var windowUs = ToMicroseconds(window);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rate_places WHERE key = @key AND (released_us <= @freedBefore OR expires_us <= @now)",
            new { key, freedBefore = now - windowUs, now }, transaction, cancellationToken: cancellationToken));
        var (held, firstFree) = await connection.QuerySingleAsync<(long Held, long? FirstFree)>(new CommandDefinition(
            "SELECT count(*), min(CASE WHEN released_us IS NULL THEN expires_us ELSE released_us + @windowUs END) FROM rate_places WHERE key = @key",
            new { key, windowUs }, transaction, cancellationToken: cancellationToken));
        if (held >= limit)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RatePlace(null, FromMicroseconds(Math.Max(0, (firstFree ?? now) - now)), MayFreeSooner: true);
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO rate_places (key, taken_us, expires_us) VALUES (@key, @now, @expires) RETURNING id",
            new { key, now, expires = now + ToMicroseconds(lease) }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new RatePlace(id, TimeSpan.Zero);
    }

    public async Task GiveBackAsync(RatePlace place, CancellationToken cancellationToken)
    {
        if (place.Id is not { } id) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE rate_places SET released_us = @now WHERE id = @id AND released_us IS NULL",
            new { id, now = Microseconds(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    private static long ToMicroseconds(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;

    private static TimeSpan FromMicroseconds(long microseconds) => TimeSpan.FromTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    /// <summary>SQLite's two-argument MAX is PostgreSQL's GREATEST.</summary>
    private string Later(string a, string b) =>
        database.Provider == StorageProvider.Postgres ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";

    private static long Microseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
