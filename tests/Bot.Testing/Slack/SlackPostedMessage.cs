using System.Text.Json;

namespace Bot.Testing.Slack;

/// <summary>
/// A message the fake accepted. <paramref name="Body"/> is the call's arguments as JSON, with form-encoded
/// <c>blocks</c> already parsed into an array.
/// </summary>
public sealed record SlackPostedMessage(string Method, string Channel, string Ts, string? ThreadTs, JsonElement Body);
