namespace Bot.Core.Answers;

/// <summary>
/// Where <see cref="ConversationMemory"/> keeps the incident each conversation last discussed: in the store, so
/// that with several instances a follow-up is understood by whichever one receives it.
/// </summary>
public interface IConversationStore
{
    /// <summary>The incident remembered for <paramref name="conversation"/>, unless it expired by <paramref name="now"/>.</summary>
    Task<string?> LastIncidentAsync(string conversation, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Remembers <paramref name="slug"/> for the conversation until <paramref name="expiresAt"/>, replacing what was there.</summary>
    Task RememberAsync(string conversation, string slug, DateTimeOffset at, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
