using Bot.Core.Answers;
using Bot.Core.Chat;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Embeddings;

/// <summary>
/// In the host: loads the model once at start (in the background: requests are served meanwhile, by
/// full-text search), then keeps the passages' vectors complete, building those an import or an edit
/// left missing and loading them into the in-memory index.
/// </summary>
public sealed class PassageVectorService(
    ITextEmbedder embedder, PassageVectorBuilder builder, PassageVectorSearch search, IContentVersion content, TimeProvider time,
    ILogger<PassageVectorService> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!embedder.IsEnabled) return;
        await Task.Yield();
        var started = time.GetTimestamp();
        try
        {
            await embedder.LoadAsync(stoppingToken);
            logger.LogInformation("Embedding model {Model} loaded in {Seconds:F1} s", embedder.ModelName, time.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Embedding model {Model} could not be loaded: answers use full-text search only", embedder.ModelName);
            return;
        }

        long? seen = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var version = content.Current;
            if (version != seen)
            {
                try
                {
                    await builder.FillAsync(stoppingToken);
                    await search.WarmAsync(stoppingToken);
                    // Encoding batches peaks well above what the idle host needs; the C heap keeps such peaks unless asked.
                    NativeHeap.Trim();
                    // Our own writes moved the version: note it after they are done, so they do not wake us again.
                    seen = content.Current == version ? version : null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store may not be migrated yet at start, or be briefly locked: try again later.
                    logger.LogWarning(ex, "Building sentence vectors failed; retrying in {Seconds} s", AfterFailure.TotalSeconds);
                    await Task.Delay(AfterFailure, time, stoppingToken);
                    continue;
                }
            }

            await Task.Delay(Poll, time, stoppingToken);
        }
    }
}
