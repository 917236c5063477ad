using System.Globalization;
using Bot.Core.Briefings;
using Dapper;

namespace Bot.Storage.Briefings;

/// <summary>
/// A subscription is confirmed to the channel as soon as it is saved, so its writes commit with
/// <see cref="Durability.Full"/>: a power cut must not undo what the user was told.
/// </summary>
public sealed class SqlSubscriptionStore(IStoreConnections database, TimeProvider time) : ISubscriptionStore
{
    private const string Columns = """
        id AS Id, platform AS Platform, workspace AS Workspace, channel AS Channel, kind AS Kind, topic AS Topic,
        local_time AS LocalTime, time_zone AS TimeZone, created_at AS CreatedAt, failing_since AS FailingSince, failure_reason AS FailureReason,
        paused_since AS PausedSince, pause_reason AS PauseReason
        """;

    public async Task<Subscription> SaveAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        // A changed subscription starts afresh: an old failure or pause no longer applies to the new settings (saving it
        // came from the channel, so the bot is evidently there again).
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO subscriptions (platform, workspace, channel, kind, topic, local_time, time_zone, created_at, updated_at)
            VALUES (@Platform, @Workspace, @Channel, @Kind, @Topic, @LocalTime, @TimeZone, @now, @now)
            ON CONFLICT (platform, workspace, channel, kind, topic) DO UPDATE
                SET local_time = excluded.local_time, time_zone = excluded.time_zone, updated_at = excluded.updated_at,
                    failing_since = NULL, failure_reason = NULL, paused_since = NULL, pause_reason = NULL, pause_scope = NULL
            RETURNING id
            """,
            new
            {
                subscription.Platform,
                subscription.Workspace,
                subscription.Channel,
                Kind = Subscription.KindName(subscription.Kind),
                Topic = TopicOf(subscription.Kind, subscription.Topic),
                LocalTime = subscription.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture),
                subscription.TimeZone,
                now,
            }, cancellationToken: cancellationToken));
        // The bot is evidently back in the channel: its other subscriptions paused for losing the channel resume too.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE subscriptions SET paused_since = NULL, pause_reason = NULL, pause_scope = NULL, failing_since = NULL, failure_reason = NULL
            WHERE platform = @Platform AND workspace = @Workspace AND channel = @Channel AND pause_scope = 'channel'
            """, new { subscription.Platform, subscription.Workspace, subscription.Channel }, cancellationToken: cancellationToken));
        return await GetAsync(id, cancellationToken) ?? subscription with { Id = id };
    }

    public Task<bool> RemoveAsync(string platform, string workspace, string channel, BriefingKind kind, CancellationToken cancellationToken) =>
        RemoveAsync(platform, workspace, channel, kind, null, cancellationToken);

    public async Task<bool> RemoveAsync(string platform, string workspace, string channel, BriefingKind kind, string? topic, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM subscriptions WHERE platform = @platform AND workspace = @workspace AND channel = @channel AND kind = @kind AND topic = @topic",
            new { platform, workspace, channel, kind = Subscription.KindName(kind), topic = TopicOf(kind, topic) }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Stored as '' for the daily kinds, so the unique key (which takes the topic in) works on both providers.</summary>
    private static string TopicOf(BriefingKind kind, string? topic) => kind == BriefingKind.Items ? topic ?? "" : "";

    public async Task<IReadOnlyList<Subscription>> ListAsync(string? platform, string? workspace, string? channel, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM subscriptions
            WHERE (@platform IS NULL OR platform = @platform) AND (@workspace IS NULL OR workspace = @workspace) AND (@channel IS NULL OR channel = @channel)
            ORDER BY platform, workspace, channel, kind, topic
            """, new { platform, workspace, channel }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSubscription()).ToList();
    }

    public async Task<Subscription?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM subscriptions WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToSubscription();
    }

    public async Task MarkFailingAsync(long id, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            reason is null
                ? "UPDATE subscriptions SET failing_since = NULL, failure_reason = NULL WHERE id = @id"
                : "UPDATE subscriptions SET failing_since = coalesce(failing_since, @now), failure_reason = @reason WHERE id = @id",
            new { id, reason, now = time.GetUtcNow() }, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Platform { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string Channel { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? Topic { get; set; }
        public string LocalTime { get; set; } = "09:00";
        public string TimeZone { get; set; } = "UTC";
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? FailingSince { get; set; }
        public string? FailureReason { get; set; }
        public DateTimeOffset? PausedSince { get; set; }
        public string? PauseReason { get; set; }

        public Subscription ToSubscription() => new()
        {
            Id = Id,
            Platform = Platform,
            Workspace = Workspace,
            Channel = Channel,
            Kind = Subscription.TryParseKind(Kind, out var kind) ? kind : BriefingKind.Digest,
            Topic = string.IsNullOrEmpty(Topic) ? null : Topic,
            LocalTime = TimeOnly.ParseExact(LocalTime, "HH:mm", CultureInfo.InvariantCulture),
            TimeZone = TimeZone,
            CreatedAt = CreatedAt,
            FailingSince = FailingSince,
            FailureReason = FailureReason,
            PausedSince = PausedSince,
            PauseReason = PauseReason,
        };
    }
}
