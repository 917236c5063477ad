namespace Bot.Core.Answers;

/// <summary>
/// Turns text into unit-length vectors whose dot product says how close two meanings are. Implemented
/// outside the core (Bot.Embeddings) so the domain carries no model runtime.
/// </summary>
public interface ITextEmbedder
{
    /// <summary>Stored beside each vector: vectors of another model are rebuilt, never compared.</summary>
    string ModelName { get; }

    int Dimensions { get; }

    /// <summary>False when embeddings are switched off (<c>Answers:Embeddings=false</c>): lexical search only.</summary>
    bool IsEnabled { get; }

    /// <summary>True once the model is in memory; a question never waits for it to load.</summary>
    bool IsLoaded { get; }

    /// <summary>Loads the model if it is not loaded yet (slow: seconds). Safe to call from many places.</summary>
    Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>The vector of a question (models may phrase queries differently from passages).</summary>
    float[] EmbedQuery(string question);

    float[][] EmbedPassages(IReadOnlyList<string> passages, CancellationToken cancellationToken);
}

/// <summary>Lexical answers only: what runs when embeddings are switched off, and in tests of that path.</summary>
public sealed class NoTextEmbedder : ITextEmbedder
{
    public string ModelName => "none";
    public int Dimensions => 0;
    public bool IsEnabled => false;
    public bool IsLoaded => false;
    public Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public float[] EmbedQuery(string question) => throw new InvalidOperationException("Embeddings are switched off.");
    public float[][] EmbedPassages(IReadOnlyList<string> passages, CancellationToken cancellationToken) => throw new InvalidOperationException("Embeddings are switched off.");
}

/// <summary><c>Answers:*</c> configuration.</summary>
public sealed class AnswerOptions
{
    public const string Section = "Answers";

    /// <summary>Sentence vectors beside the full-text index; on by default.</summary>
    public bool Embeddings { get; set; } = true;
}

public sealed record PassageText(long Id, string Text);

public sealed record PassageVector(long PassageId, float[] Vector);

/// <summary>A stored vector as the in-memory index loads it: <see cref="Sequence"/> grows with every write.</summary>
public sealed record StoredVector(long Sequence, long PassageId, float[] Vector);

/// <summary>How far vector building has got for one model.</summary>
public sealed record VectorProgress(long WithVectors, long Passages)
{
    public long Missing => Math.Max(0, Passages - WithVectors);
}

/// <summary>Where passage vectors are kept (the store), by model.</summary>
public interface IPassageVectorStore
{
    /// <summary>
    /// Answerable passages with an id below <paramref name="beforeId"/> that have no vector of <paramref name="model"/>, newest first
    /// (what was imported last is what people ask about next).
    /// </summary>
    Task<IReadOnlyList<PassageText>> ListMissingAsync(string model, long beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Stores vectors (replacing any of another model); passages deleted meanwhile are skipped.</summary>
    Task SaveAsync(string model, IReadOnlyList<PassageVector> vectors, CancellationToken cancellationToken);

    Task<VectorProgress> GetProgressAsync(string model, CancellationToken cancellationToken);

    /// <summary>The highest sequence written (any model): cheap, asked before every vector search.</summary>
    Task<long> GetLastSequenceAsync(CancellationToken cancellationToken);

    /// <summary>How many vectors of <paramref name="model"/> there are; fewer than were loaded means some were deleted.</summary>
    Task<long> CountAsync(string model, CancellationToken cancellationToken);

    /// <summary>The vectors of <paramref name="model"/> that these passages have (those without one are left out).</summary>
    Task<IReadOnlyDictionary<long, float[]>> GetAsync(string model, IReadOnlyCollection<long> passageIds, CancellationToken cancellationToken);

    /// <summary>Vectors of <paramref name="model"/> written after <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<IReadOnlyList<StoredVector>> ReadAsync(string model, long afterSequence, int limit, CancellationToken cancellationToken);
}
