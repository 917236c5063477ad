using Bot.Core.Answers;
using Bot.Embeddings;
using Bot.Storage.Answers;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Answers;

/// <summary>
/// The real embedding model (from its NuGet package, offline) over a seeded store whose vectors are all
/// built: loaded once for every test class in the "model" collection.
/// </summary>
public sealed class ModelFixture : IAsyncLifetime
{
    public TestStore Store { get; private set; } = null!;
    public ArcticTextEmbedder Embedder { get; } = new();
    public SqlitePassageVectorStore Vectors { get; private set; } = null!;
    public AnswerEngine Engine { get; private set; } = null!;
    public int Built { get; private set; }

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(seeded: true);
        Vectors = new SqlitePassageVectorStore(Store.Database);
        await Embedder.LoadAsync(CancellationToken.None);
        Built = await Builder(Store).FillAsync(CancellationToken.None);
        Engine = EngineOver(Store);
    }

    public PassageVectorBuilder Builder(TestStore store) =>
        new(new SqlitePassageVectorStore(store.Database), Embedder, TimeProvider.System, NullLogger<PassageVectorBuilder>.Instance);

    public AnswerEngine EngineOver(TestStore store) => Engines.Create(store, store.NewConversationMemory(), Embedder);

    public async Task DisposeAsync() => await Store.DisposeAsync();
}

[CollectionDefinition("model")]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>;
