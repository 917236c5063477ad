namespace Bot.Core.Answers;

/// <summary>
/// Nearest passages to a question by meaning: the store's vectors of the current model, held in a
/// <see cref="VectorIndex"/> that follows the store. New vectors (written in the background after an
/// import) are appended as they appear; when vectors were deleted (passages edited or removed) the
/// index is built again. A question never waits for a load that is already running: it searches what
/// is loaded, and full-text search finds the rest.
/// </summary>
public sealed class PassageVectorSearch(IPassageVectorStore store, ITextEmbedder embedder) : IDisposable
{
    private const int PageSize = 4096;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VectorIndex? _index;
    private long _lastSequence;
    private long _loaded;

    public bool IsAvailable => embedder.IsEnabled && embedder.IsLoaded;

    /// <summary>Vectors in memory now.</summary>
    public int Count => _index?.Count ?? 0;

    public long Bytes => _index?.Bytes ?? 0;

    /// <summary>The nearest passages; with <paramref name="sameFrom"/>, near-copies of a nearer one are passed over (<see cref="VectorIndex.SearchDistinct"/>).</summary>
    public async Task<IReadOnlyList<(long Id, float Similarity)>> SearchAsync(
        float[] query, int limit, CancellationToken cancellationToken, float sameFrom = float.PositiveInfinity)
    {
        var index = await RefreshAsync(wait: Volatile.Read(ref _index) is null, cancellationToken);
        return index?.SearchDistinct(query, limit, sameFrom) ?? [];
    }

    /// <summary>Loads whatever the store holds that is not in memory yet, waiting for a load already running.</summary>
    public Task WarmAsync(CancellationToken cancellationToken) => RefreshAsync(wait: true, cancellationToken);

    private async Task<VectorIndex?> RefreshAsync(bool wait, CancellationToken cancellationToken)
    {
        if (!embedder.IsEnabled) return null;
        var current = Volatile.Read(ref _index);
        var last = await store.GetLastSequenceAsync(cancellationToken);
        if (current is not null && last == Volatile.Read(ref _lastSequence)) return current;
        if (!await _gate.WaitAsync(wait ? Timeout.Infinite : 0, cancellationToken)) return current;
        try
        {
            var index = _index;
            if (index is not null && last == _lastSequence) return index;
            // Sized for what the store holds: doubling from small would leave up to half the memory unused.
            if (index is null)
                (index, _lastSequence, _loaded) = (new VectorIndex(embedder.Dimensions, (int)Math.Min(int.MaxValue / 1024, await store.CountAsync(embedder.ModelName, cancellationToken) + 1024)), 0, 0);
            await LoadNewerAsync(index, cancellationToken);
            // More loaded than stored: some were deleted since. Start over, serving the old index meanwhile.
            if (_loaded > await store.CountAsync(embedder.ModelName, cancellationToken))
            {
                (index, _lastSequence, _loaded) = (new VectorIndex(embedder.Dimensions, (int)Math.Min(int.MaxValue / 1024, _loaded + 1024)), 0, 0);
                await LoadNewerAsync(index, cancellationToken);
            }

            // Everything up to the sequence read before loading is in (rows of another model are skipped for good).
            _lastSequence = Math.Max(_lastSequence, last);
            Volatile.Write(ref _index, index);
            return index;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoadNewerAsync(VectorIndex index, CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.ReadAsync(embedder.ModelName, _lastSequence, PageSize, cancellationToken);
            if (page.Count == 0) return;
            index.Add(page.Select(v => (v.PassageId, v.Vector)).ToList());
            _loaded += page.Count;
            _lastSequence = page[^1].Sequence;
            if (page.Count < PageSize) return;
        }
    }

    public void Dispose() => _gate.Dispose();
}
