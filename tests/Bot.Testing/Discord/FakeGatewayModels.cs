namespace Bot.Testing.Discord;

/// <summary>One payload the client sent over the fake gateway.</summary>
/// <param name="ConnectionId">The connection it arrived on (1, 2, ... in accept order).</param>
/// <param name="Shard">The shard the connection serves: null before an accepted IDENTIFY or RESUME (the frame that is accepted carries it).</param>
/// <param name="Path">"/gateway" or "/gateway-resume", without the query.</param>
/// <param name="Op">The payload's <c>op</c>, or -1 when it was not a JSON object with an integer <c>op</c>.</param>
/// <param name="Json">The payload as text (UTF-8 decoded; cut at 4096 bytes when it was too long).</param>
/// <param name="At">Arrival time on <see cref="FakeDiscordServer.GatewayClock"/>.</param>
public sealed record GatewayFrame(int ConnectionId, int? Shard, string Path, int Op, string Json, DateTimeOffset At);

/// <summary>An accepted IDENTIFY (one that got READY).</summary>
/// <param name="At">Time on <see cref="FakeDiscordServer.GatewayClock"/>.</param>
public sealed record GatewayIdentify(int ConnectionId, int ShardId, int ShardCount, long Intents, DateTimeOffset At);

/// <summary>
/// A close frame the client sent on its own initiative (the client's echo of a close frame the
/// server sent first is not recorded).
/// </summary>
/// <param name="Shard">The shard the connection served at the time, or null if it was not identified or resumed.</param>
/// <param name="Code">The close code, or null for a close frame without one.</param>
public sealed record GatewayClientClose(int ConnectionId, int? Shard, int? Code, string? Description);
