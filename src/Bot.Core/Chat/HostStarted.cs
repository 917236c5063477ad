using Microsoft.Extensions.Hosting;

namespace Bot.Core.Chat;

public static class HostStarted
{
    /// <summary>
    /// Completes once every hosted service has started, the store's migration and seeding
    /// included: a websocket opened before then could be handed an event it cannot answer yet.
    /// </summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (cancellationToken.Register(() => started.TrySetCanceled(cancellationToken)))
            await started.Task;
    }
}
