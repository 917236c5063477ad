using Bot.Core.Chat;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Answers;

/// <summary>
/// Remembers the incident last discussed in each conversation (a thread, a channel, a DM) for a day, so "and when
/// was it shot down?" knows what "it" is. Kept in the store (<see cref="IConversationStore"/>): a restart does not
/// forget, and a follow-up landing on another instance is understood. The store failing costs the follow-up its
/// context, never the answer.
/// </summary>
public sealed class ConversationMemory(IConversationStore store, TimeProvider time, ILogger<ConversationMemory> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public static string KeyOf(ChatContext context) =>
        string.Join('/', context.Platform, context.Workspace, context.Channel, context.Thread ?? (context.Channel is null ? context.User : null));

    public async Task<string?> LastIncidentAsync(ChatContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await store.LastIncidentAsync(KeyOf(context), time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not read the conversation's last incident ({Error}); answering without it", ex.GetType().Name);
            return null;
        }
    }

    public async Task RememberAsync(ChatContext context, string slug, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            await store.RememberAsync(KeyOf(context), slug, now, now + Lifetime, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not remember the conversation's incident ({Error}); a follow-up will need to name it", ex.GetType().Name);
        }
    }
}
