using System.Globalization;
using System.Text.Json;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Dapper;

namespace Bot.Storage.Briefings;

/// <summary>
/// The outbox. Its writes commit with <see cref="Durability.Full"/>: a claim or a "sent" mark lost to a
/// power cut would post the same briefing twice.
/// </summary>
public sealed class SqlDeliveryStore(IStoreConnections database, TimeProvider time) : IDeliveryStore
{
    // Qualified, so the history can join the subscriptions: every query names the table "d".
    private const string Columns = """
        d.id AS Id, d.subscription_id AS SubscriptionId, d.item_id AS ItemId, d.local_date AS LocalDate, d.status AS Status, d.message AS Message,
        d.attempts AS Attempts, d.last_attempt_at AS LastAttemptAt, d.last_error AS LastError, d.platform_message_id AS PlatformMessageId,
        d.created_at AS CreatedAt, d.sent_at AS SentAt
        """;

    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    public async Task<Delivery> CreateAsync(long subscriptionId, DateOnly localDate, ChatMessage? message, string? spotlight, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deliveries (subscription_id, local_date, status, message, spotlight, next_attempt_at, created_at)
            VALUES (@subscriptionId, @date, @status, @message, @spotlight, @now, @now)
            ON CONFLICT (subscription_id, local_date) WHERE item_id IS NULL DO NOTHING
            """,
            new
            {
                subscriptionId,
                date = Date(localDate),
                status = message is null ? "skipped" : "pending",
                message = message is null ? null : JsonSerializer.Serialize(message, MessageJson),
                spotlight,
                now,
            }, cancellationToken: cancellationToken));
        return (await FindAsync(subscriptionId, localDate, cancellationToken))!;
    }

    public async Task<Delivery?> CreateItemPostAsync(long subscriptionId, long itemId, DateOnly localDate, ChatMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        var now = time.GetUtcNow();
        // The unique index keeps one post per subscription and item; the channel check covers a channel that follows
        // two incidents the item is linked to (the poller and triage queue one item at a time, so they do not race on it).
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO deliveries (subscription_id, item_id, local_date, status, message, next_attempt_at, created_at)
            SELECT @subscriptionId, @itemId, @date, 'pending', @message, @now, @now
            WHERE NOT EXISTS (
                SELECT 1 FROM deliveries d
                JOIN subscriptions s ON s.id = d.subscription_id
                JOIN subscriptions mine ON mine.id = @subscriptionId
                WHERE d.item_id = @itemId AND s.platform = mine.platform AND s.workspace = mine.workspace AND s.channel = mine.channel)
            ON CONFLICT (subscription_id, item_id) WHERE item_id IS NOT NULL DO NOTHING
            RETURNING id
            """,
            new { subscriptionId, itemId, date = Date(localDate), message = JsonSerializer.Serialize(message, MessageJson), now },
            cancellationToken: cancellationToken));
        return id is { } created ? await GetAsync(created, cancellationToken) : null;
    }

    public async Task<Delivery?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM deliveries d WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToDelivery();
    }

    public async Task<IReadOnlyList<Delivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deliveries d WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @limit",
            new { now, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToDelivery()).ToList();
    }

    private const string Claim = """
        UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = @now, next_attempt_at = @lease
        WHERE id = @id AND status = 'pending' AND next_attempt_at <= @now
        """;

    /// <summary>
    /// On PostgreSQL instances claim side by side: one that finds the row locked by another instance's claim
    /// gives up at once (SKIP LOCKED) instead of waiting for that commit and then finding the lease taken.
    /// SQLite has one writer at a time, so the plain update is already the whole story there.
    /// </summary>
    private const string ClaimSkippingLocked = """
        UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = @now, next_attempt_at = @lease
        WHERE id = (SELECT id FROM deliveries WHERE id = @id AND status = 'pending' AND next_attempt_at <= @now FOR UPDATE SKIP LOCKED)
        """;

    public async Task<bool> TryClaimAsync(long id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            database.Provider == StorageProvider.Postgres ? ClaimSkippingLocked : Claim,
            new { id, now, lease = leaseUntil }, cancellationToken: cancellationToken)) == 1;
    }

    public Task MarkSentAsync(long id, string? platformMessageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE deliveries SET status = 'sent', platform_message_id = @platformMessageId, sent_at = @at, last_error = NULL WHERE id = @id",
            new { id, platformMessageId, at }, cancellationToken);

    public Task MarkRetryAsync(long id, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE deliveries SET last_error = @error, next_attempt_at = @next WHERE id = @id",
            new { id, error, next = nextAttemptAt }, cancellationToken);

    public Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE deliveries SET status = 'failed', last_error = @error WHERE id = @id", new { id, error }, cancellationToken);

    public Task RecordSkippedAsync(long subscriptionId, DateOnly localDate, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO deliveries (subscription_id, local_date, status, last_error, created_at) VALUES (@subscriptionId, @date, 'skipped', @reason, @now)
            ON CONFLICT (subscription_id, local_date) WHERE item_id IS NULL DO NOTHING
            """,
            new { subscriptionId, date = Date(localDate), reason, now = time.GetUtcNow() }, cancellationToken);

    public async Task<IReadOnlyList<DeliveryRecord>> RecentAsync(string? channel, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordRow>(new CommandDefinition(
            $"""
            SELECT {Columns}, s.platform AS Platform, s.workspace AS Workspace, s.channel AS Channel, s.kind AS Kind, s.topic AS Topic, s.time_zone AS TimeZone
            FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE @channel IS NULL OR s.channel = @channel
            ORDER BY d.local_date DESC, d.id DESC LIMIT @limit
            """, new { channel, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new DeliveryRecord(r.ToDelivery(), r.Platform, r.Workspace, r.Channel,
            Subscription.TryParseKind(r.Kind, out var kind) ? kind : BriefingKind.Digest, r.TimeZone)
        { Topic = string.IsNullOrEmpty(r.Topic) ? null : r.Topic }).ToList();
    }

    public async Task<DateTimeOffset?> LastSentAtAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "SELECT max(sent_at) FROM deliveries WHERE subscription_id = @subscriptionId AND status = 'sent'", new { subscriptionId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<FeaturedIncident>> FeaturedAsync(long subscriptionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Slug, string LastDate)>(new CommandDefinition(
            "SELECT spotlight, max(local_date) FROM deliveries WHERE subscription_id = @subscriptionId AND spotlight IS NOT NULL GROUP BY spotlight",
            new { subscriptionId }, cancellationToken: cancellationToken));
        return rows.Select(r => new FeaturedIncident(r.Slug, DateOnly.ParseExact(r.LastDate, "yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList();
    }

    public async Task<Delivery?> FindAsync(long subscriptionId, DateOnly localDate, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM deliveries d WHERE subscription_id = @subscriptionId AND local_date = @date AND item_id IS NULL",
            new { subscriptionId, date = Date(localDate) }, cancellationToken: cancellationToken));
        return row?.ToDelivery();
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(Durability.Full, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private class Row
    {
        public long Id { get; set; }
        public long SubscriptionId { get; set; }
        public long? ItemId { get; set; }
        public string LocalDate { get; set; } = "";
        public string Status { get; set; } = "";
        public string? Message { get; set; }
        public long Attempts { get; set; }
        public DateTimeOffset? LastAttemptAt { get; set; }
        public string? LastError { get; set; }
        public string? PlatformMessageId { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? SentAt { get; set; }

        public Delivery ToDelivery() => new()
        {
            Id = Id,
            SubscriptionId = SubscriptionId,
            ItemId = ItemId,
            LocalDate = DateOnly.ParseExact(LocalDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Status = Enum.Parse<DeliveryStatus>(Status, ignoreCase: true),
            Message = Message is null ? null : JsonSerializer.Deserialize<ChatMessage>(Message, MessageJson),
            Attempts = (int)Attempts,
            LastAttemptAt = LastAttemptAt,
            LastError = LastError,
            PlatformMessageId = PlatformMessageId,
            CreatedAt = CreatedAt,
            SentAt = SentAt,
        };
    }

    private sealed class RecordRow : Row
    {
        public string Platform { get; set; } = "";
        public string Workspace { get; set; } = "";
        public string Channel { get; set; } = "";
        public string Kind { get; set; } = "";
        public string? Topic { get; set; }
        public string TimeZone { get; set; } = "UTC";
    }
}
