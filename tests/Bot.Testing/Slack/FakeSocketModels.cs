namespace Bot.Testing.Slack;

/// <summary>
/// A snapshot of one Socket Mode envelope the fake created. <paramref name="PayloadJson"/> is the <c>payload</c> object exactly
/// as it is sent in the frame. The init-only properties are copied under the server's lock, so one instance is always
/// consistent; read <see cref="FakeSlackServer.Envelopes"/> again for newer state.
/// </summary>
public sealed record SocketEnvelope(string EnvelopeId, string Type, string PayloadJson)
{
    public bool AcceptsResponsePayload { get; init; }

    /// <summary>How many times the envelope was written to a socket (first delivery plus redeliveries).</summary>
    public int Deliveries { get; init; }

    /// <summary>The connection id of each delivery, in order.</summary>
    public IReadOnlyList<int> DeliveredOn { get; init; } = [];

    /// <summary>The <c>retry_attempt</c> of the latest delivery (events_api only; always 0 for the other types).</summary>
    public int RetryAttempt { get; init; }

    /// <summary>True once an ack frame carrying this envelope_id arrived, however late.</summary>
    public bool Acked { get; init; }

    /// <summary>The <c>payload</c> of the first ack that had one, as raw JSON.</summary>
    public string? AckPayloadJson { get; init; }

    /// <summary>
    /// slash_commands / interactive: not acked within <see cref="FakeSlackServer.AckTimeout"/> of the delivery (the user would
    /// see a timeout). events_api: the last retry (retry_attempt 3) was not acked within the timeout either.
    /// </summary>
    public bool Missed { get; init; }

    /// <summary>Waiting for a live connection (never delivered yet, or due for redelivery while no socket is live).</summary>
    public bool Queued { get; init; }

    /// <summary>Real time of creation.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// One ack frame (a JSON object with a string <c>envelope_id</c>). <paramref name="Latency"/> is measured from the envelope's
/// latest delivery (zero when the id is unknown); <paramref name="At"/> is real time, not <see cref="FakeSlackServer.Clock"/>.
/// </summary>
public sealed record SocketAck(int ConnectionId, string EnvelopeId, string? PayloadJson, TimeSpan Latency, DateTimeOffset At);

/// <summary>How a Socket Mode connection ended.</summary>
public enum SocketCloseKind
{
    /// <summary>Still open.</summary>
    Open,

    /// <summary>The client sent the first close frame; the fake answered it.</summary>
    ClosedByClient,

    /// <summary>The fake sent the first close frame (after a disconnect or a refusal); the client answered or timed out.</summary>
    ClosedByServer,

    /// <summary><see cref="FakeSlackServer.DropSocketsAsync"/> aborted it.</summary>
    Dropped,

    /// <summary>The transport failed without a close handshake (client vanished, or the fake was disposed).</summary>
    Aborted,
}

/// <summary>A snapshot of one accepted Socket Mode connection.</summary>
public sealed record SocketConnectionInfo(int ConnectionId, int Ticket, DateTimeOffset OpenedAt)
{
    /// <summary>Refused with <c>too_many_websockets</c>: no hello, never gets envelopes.</summary>
    public bool Refused { get; init; }

    /// <summary>Got hello and no disconnect yet, and still open.</summary>
    public bool Live { get; init; }

    /// <summary>Reasons of the disconnect frames sent to it, in order.</summary>
    public IReadOnlyList<string> DisconnectReasons { get; init; } = [];

    public SocketCloseKind Close { get; init; }

    /// <summary>The close status the client sent in its close frame, if any.</summary>
    public int? ClientCloseStatus { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }
}
