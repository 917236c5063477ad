namespace Bot.Discord.Protocol;

/// <summary>A request Discord refused. <see cref="IsPermanent"/> errors will not succeed on retry.</summary>
public sealed class DiscordApiException(int httpStatus, int code, string message, string? channelId)
    : Exception(channelId is null ? $"Discord refused the request: {code} {message} (HTTP {httpStatus})" : $"Discord refused the request for channel {channelId}: {code} {message} (HTTP {httpStatus})")
{
    public int HttpStatus { get; } = httpStatus;
    public int Code { get; } = code;
    public string DiscordMessage { get; } = message;
    public string? ChannelId { get; } = channelId;

    /// <summary>Missing access, missing permissions, unknown channel/guild/webhook, cannot message user.</summary>
    public bool IsPermanent => Code is 50001 or 50013 or 10003 or 10004 or 10015 or 50007 or 10062 or 50027 || HttpStatus is 401 or 403 or 404;
}

/// <summary>Discord could not be reached or kept failing; the caller may try again later.</summary>
public sealed class DiscordUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An id that is not a snowflake was about to become part of a REST path: no request was sent.
/// The id itself is not repeated (it came from outside and may be anything); its length is.
/// </summary>
public sealed class DiscordInvalidIdException(string what, string? id)
    : ArgumentException($"Refused to call Discord: the {what} is not a snowflake ({(id is null ? "missing" : $"{id.Length} characters, not 1-20 ASCII digits")})")
{
    public string What { get; } = what;
}
