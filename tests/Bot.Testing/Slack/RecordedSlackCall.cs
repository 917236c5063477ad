namespace Bot.Testing.Slack;

/// <summary>
/// One Web API call or response_url post as the fake saw it. <paramref name="Headers"/> is case-insensitive;
/// <paramref name="At"/> is the fake clock on arrival; <paramref name="Status"/> is 0 when the connection was dropped
/// or the client gave up during a scripted delay.
/// </summary>
public sealed record RecordedSlackCall(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    string ContentType,
    string Body,
    DateTimeOffset At,
    int Status,
    string ResponseBody);
