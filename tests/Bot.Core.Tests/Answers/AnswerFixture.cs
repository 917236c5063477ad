using Bot.Core.Answers;
using Bot.Storage.Answers;
using Bot.Testing;

namespace Bot.Core.Tests.Answers;

/// <summary>The answer engine over a seeded SQLite store, with a controllable clock.</summary>
public sealed class AnswerFixture : IAsyncLifetime
{
    public TestStore Store { get; private set; } = null!;
    public ConversationMemory Memory { get; private set; } = null!;
    public AnswerEngine Engine { get; private set; } = null!;
    public SqliteAnswerLog Log { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(seeded: true);
        Memory = new ConversationMemory(Store.Time);
        Engine = new AnswerEngine(new SqlitePassageIndex(Store.Database), Store.Store, Memory);
        Log = new SqliteAnswerLog(Store.Database, Store.Time);
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();
}
