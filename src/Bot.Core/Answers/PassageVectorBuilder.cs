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
    /// <summary>Passages read at a time: sorted by length into batches, so a batch pads little.</summary>
    private const int PageSize = 8 * BatchSize;
    private const int MaxRemembered = 500_000;
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
            var before = long.MaxValue;
            var written = 0;
            // Stores repeat sentences (a quote in many incidents, templated facts): each text goes through the model once
            // per build, later copies take the vector of the first.
            var firstWithText = new Dictionary<string, long>(StringComparer.Ordinal);
            while (true)
            {
                var page = await store.ListMissingAsync(embedder.ModelName, before, PageSize, cancellationToken);
                if (page.Count == 0) break;
                before = page[^1].Id;
                var vectors = await EmbedPageAsync(page, firstWithText, cancellationToken);
                await store.SaveAsync(embedder.ModelName, vectors, cancellationToken);
                written += vectors.Count;
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

    private async Task<List<PassageVector>> EmbedPageAsync(IReadOnlyList<PassageText> page, Dictionary<string, long> firstWithText, CancellationToken cancellationToken)
    {
        var vectors = new List<PassageVector>(page.Count);
        var copies = new List<(long Id, long From)>();
        var fresh = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var passage in page)
        {
            var text = passage.Text.Length > MaxPassageLength ? passage.Text[..MaxPassageLength] : passage.Text;
            if (firstWithText.TryGetValue(text, out var from)) copies.Add((passage.Id, from));
            else if (fresh.TryGetValue(text, out var same)) same.Add(passage.Id);
            else fresh[text] = [passage.Id];
        }

        foreach (var batch in fresh.Keys.OrderBy(t => t.Length).Chunk(BatchSize))
        {
            // The model call is CPU work: off the caller's thread, so a host keeps serving.
            var embedded = await Task.Run(() => embedder.EmbedPassages(batch, cancellationToken), cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                foreach (var id in fresh[batch[i]]) vectors.Add(new PassageVector(id, embedded[i]));
                if (firstWithText.Count < MaxRemembered) firstWithText[batch[i]] = fresh[batch[i]][0];
            }
        }

        if (copies.Count > 0)
        {
            var known = await store.GetAsync(embedder.ModelName, copies.Select(c => c.From).Distinct().ToList(), cancellationToken);
            foreach (var (id, from) in copies)
            {
                if (known.TryGetValue(from, out var vector)) vectors.Add(new PassageVector(id, vector));
                else firstWithText.Remove(page.First(p => p.Id == id).Text);
            }
        }

        return vectors;
    }

    public void Dispose() => _gate.Dispose();
}
