using Bot.Core.Limits;
using Dapper;

namespace Bot.Storage.Limits;

/// <summary>
/// <see cref="ISharedRateBudget"/> in the rate_budget table: one row per key holding its next free
/// turn. Reserving is a single upsert that returns the turn it took, so two instances asking at once
/// are ordered by the row lock and get turns a spacing apart. Times are this instance's clock: the
/// instances' clocks must agree (NTP) to within a small part of the spacing.
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

    /// <summary>SQLite's two-argument MAX is PostgreSQL's GREATEST.</summary>
    private string Later(string a, string b) =>
        database.Provider == StorageProvider.Postgres ? $"GREATEST({a}, {b})" : $"MAX({a}, {b})";

    private static long Microseconds(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
}
