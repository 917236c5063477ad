using Microsoft.Extensions.Logging;

namespace Bot.Core.Answers;

/// <summary>
/// Fills in the vectors that passages lack (after an import, an edit, or a change of model), in
/// batches through the one loaded model, logging progress. Passages without a vector are still found
/// by full-text search meanwhile.
/// </summary>
public sealed class PassageVectorBuilder(IPassageVectorStore store, ITextEmbedder embedder, TimeProvider time, ILogger<PassageVectorBuilder> logger) : IDisposable
{
    /// <summary>One model call: big enough to amortise the call, small enough that a question squeezed in between waits little.</summary>
    public const int BatchSize = 32;
    /// <summary>Longer text only costs time: a sentence says what it says in its first few hundred characters.</summary>
    private const int MaxPassageLength = 1000;
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Builds every missing vector; returns how many were written. Runs one build at a time.</summary>
    public async Task<int> FillAsync(CancellationToken cancellationToken)
    {
        if (!embedder.IsEnabled) return 0;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var progress = await store.GetProgressAsync(embedder.ModelName, cancellationToken);
            if (progress.Missing == 0) return 0;
            await embedder.LoadAsync(cancellationToken);
            logger.LogInformation("Building sentence vectors ({Model}) for {Missing} of {Passages} passages", embedder.ModelName, progress.Missing, progress.Passages);

            var started = time.GetTimestamp();
            var lastReport = started;
            long after = 0;
            var written = 0;
            while (true)
            {
                var batch = await store.ListMissingAsync(embedder.ModelName, after, BatchSize, cancellationToken);
                if (batch.Count == 0) break;
                var texts = batch.Select(p => p.Text.Length > MaxPassageLength ? p.Text[..MaxPassageLength] : p.Text).ToList();
                // The model call is CPU work: off the caller's thread, so a host keeps serving.
                var vectors = await Task.Run(() => embedder.EmbedPassages(texts, cancellationToken), cancellationToken);
                await store.SaveAsync(embedder.ModelName, batch.Zip(vectors, (p, v) => new PassageVector(p.Id, v)).ToList(), cancellationToken);
                after = batch[^1].Id;
                written += batch.Count;
                if (time.GetElapsedTime(lastReport) >= ProgressEvery)
                {
                    lastReport = time.GetTimestamp();
                    var seconds = time.GetElapsedTime(started).TotalSeconds;
                    logger.LogInformation("Sentence vectors: {Written} of {Missing} built ({Rate:F0} passages/s)", written, progress.Missing, written / Math.Max(seconds, 0.001));
                }
            }

            var elapsed = time.GetElapsedTime(started);
            logger.LogInformation("Sentence vectors: {Written} built in {Seconds:F1} s ({Rate:F0} passages/s)", written, elapsed.TotalSeconds, written / Math.Max(elapsed.TotalSeconds, 0.001));
            return written;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
