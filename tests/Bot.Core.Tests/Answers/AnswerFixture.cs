using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Storage.Answers;
using Bot.Testing;

namespace Bot.Core.Tests.Answers;

/// <summary>The answer engine over a seeded SQLite store, with a controllable clock; lexical only (no model).</summary>
public sealed class AnswerFixture : IAsyncLifetime
{
    public TestStore Store { get; private set; } = null!;
    public ConversationMemory Memory { get; private set; } = null!;
    public AnswerEngine Engine { get; private set; } = null!;
    public SqlAnswerLog Log { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(seeded: true);
        Memory = Store.NewConversationMemory();
        Engine = Engines.Create(Store, Memory, new NoTextEmbedder());
        Log = new SqlAnswerLog(Store.Database, Store.Time);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();
}

/// <summary>The engine's pieces wired as the host wires them, over one test store.</summary>
public static class Engines
{
    public static AnswerEngine Create(TestStore store, ConversationMemory memory, ITextEmbedder embedder)
    {
        var index = new SqlitePassageIndex(store.Database);
        var vectors = new SqlitePassageVectorStore(store.Database);
        var search = new CandidateSearch(index, new PassageVectorSearch(vectors, embedder), vectors, embedder);
        // As the host has it: the model's word list guides typo correction whether or not the model runs.
        return new AnswerEngine(index, store.Store, memory, search, CommandNames.Unchanged, new Bot.Embeddings.ModelVocabulary());
    }
}
