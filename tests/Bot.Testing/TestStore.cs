using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Storage;
using Bot.Storage.Answers;
using Bot.Storage.Briefings;
using Bot.Storage.Chat;
using Bot.Storage.Incidents;
using Bot.Storage.Migrations;
using Bot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing;

/// <summary>
/// A real, migrated, optionally seeded store: a SQLite file in a temporary folder (deleted on dispose), or a fresh
/// database on a <see cref="PostgresServer"/> (dropped on dispose). Tests reach every port through it, so the
/// same test runs on both providers.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly SqliteDatabase? _sqlite;
    private readonly PostgresServer? _server;

    private TestStore(string folder)
    {
        Folder = folder;
        Provider = StorageProvider.Sqlite;
        _sqlite = new SqliteDatabase(Path.Combine(folder, "bot.db"));
        Connections = _sqlite;
        Store = new SqliteIncidentStore(_sqlite);
        var writers = new SqliteIncidentWriterFactory(_sqlite, Time);
        Writers = writers;
        EditingWriters = writers;
        Passages = new SqlitePassageIndex(_sqlite);
        Vectors = new SqlitePassageVectorStore(_sqlite);
        Migrator = new Migrator(_sqlite, NullLogger<Migrator>.Instance);
        Importer = new IncidentImporter(Writers);
        Edits = new SqlIncidentEditStore(Connections, EditingWriters);
        Editor = new IncidentEditor(Edits, new IncidentFinder(Store), Time, Bot.Core.Chat.CommandNames.Unchanged);
    }

    private TestStore(PostgresServer server, string connectionString)
    {
        Folder = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Provider = StorageProvider.Postgres;
        _server = server;
        Postgres = new PostgresDatabase(connectionString);
        Connections = Postgres;
        Store = new PostgresIncidentStore(Postgres);
        var writers = new PostgresIncidentWriterFactory(Postgres, Time);
        Writers = writers;
        EditingWriters = writers;
        Passages = new PostgresPassageIndex(Postgres);
        Vectors = new PostgresPassageVectorStore(Postgres);
        Migrator = new PostgresMigrator(Postgres, NullLogger<PostgresMigrator>.Instance);
        Importer = new IncidentImporter(Writers);
        Edits = new SqlIncidentEditStore(Connections, EditingWriters);
        Editor = new IncidentEditor(Edits, new IncidentFinder(Store), Time, Bot.Core.Chat.CommandNames.Unchanged);
    }

    public StorageProvider Provider { get; }

    /// <summary>A scratch folder for the test's own files (seed copies, exports, backups); deleted on dispose.</summary>
    public string Folder { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 2, 4, 8, 0, 0, TimeSpan.Zero));

    /// <summary>The SQLite file; only for tests of SQLite itself.</summary>
    public SqliteDatabase Database => _sqlite ?? throw new InvalidOperationException("This test store is PostgreSQL; use Connections.");

    /// <summary>The PostgreSQL database, or null on SQLite.</summary>
    public PostgresDatabase? Postgres { get; }

    public IStoreConnections Connections { get; }
    public SqlIncidentStore Store { get; }
    public IIncidentWriterFactory Writers { get; }
    public IEditingWriterFactory EditingWriters { get; }
    public SqlPassageIndex Passages { get; }
    public Bot.Core.Answers.IPassageVectorStore Vectors { get; }
    public IncidentImporter Importer { get; }
    public SqlIncidentEditStore Edits { get; }
    public IncidentEditor Editor { get; }
    public ISchemaMigrator Migrator { get; }
    public SqlSubscriptionStore Subscriptions => new(Connections, Time);
    public SqlDeliveryStore Deliveries => new(Connections, Time);
    public SqlInboundEventLog InboundEvents => new(Connections, Time);
    public SqlAnswerLog Answers => new(Connections, Time);
    public SqlIncidentDocuments Documents => new(Connections);
    public SqlConversationStore Conversations => new(Connections);

    /// <summary>Conversation memory over this store, as the host wires it.</summary>
    public Bot.Core.Answers.ConversationMemory NewConversationMemory() =>
        new(Conversations, Time, NullLogger<Bot.Core.Answers.ConversationMemory>.Instance);

    /// <summary>The content version as this process sees it; dispose it when done.</summary>
    public Bot.Core.Chat.IContentVersion ContentVersion(TimeProvider clock) => ContentVersionOf(Connections, clock);

    /// <summary>The same store as another bot process opens it: its own connections, stores and writers, nothing shared in memory.</summary>
    public AnotherProcess OpenAnotherProcess() =>
        new(_sqlite is not null ? new SqliteDatabase(_sqlite.Path) : new PostgresDatabase(Postgres!.ConnectionString), Time);

    internal static Bot.Core.Chat.IContentVersion ContentVersionOf(IStoreConnections connections, TimeProvider clock) => connections switch
    {
        SqliteDatabase sqlite => new SqliteContentVersion(sqlite, clock),
        PostgresDatabase postgres => new PostgresContentVersion(postgres, clock),
        _ => throw new ArgumentException("Unknown provider", nameof(connections)),
    };

    /// <param name="postgres">The server to make the store on; null for SQLite.</param>
    public static async Task<TestStore> CreateAsync(bool seeded = false, PostgresServer? postgres = null)
    {
        TestStore store;
        if (postgres is null)
        {
            var folder = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            store = new TestStore(folder);
        }
        else
        {
            store = new TestStore(postgres, await postgres.CreateDatabaseAsync());
        }

        await store.Migrator.MigrateAsync(CancellationToken.None);
        if (seeded)
        {
            var report = await store.Importer.ImportAsync(RepoPaths.Seeds, CancellationToken.None);
            if (report.Problems.Count > 0)
                throw new InvalidOperationException("Seeds failed to import: " + string.Join("; ", report.Problems));
        }

        return store;
    }

    public async Task<UpsertOutcome> UpsertAsync(Incident incident)
    {
        await using var writer = await Writers.BeginAsync(CancellationToken.None);
        var outcome = await writer.UpsertAsync(incident, CancellationToken.None);
        await writer.CommitAsync(CancellationToken.None);
        return outcome;
    }

    public async ValueTask DisposeAsync()
    {
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
            await _server!.DropDatabaseAsync(Postgres.ConnectionString);
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing dispose would hide the real test result.
        }
    }
}

/// <summary>A store opened a second time, standing in for another bot process on the same data.</summary>
public sealed class AnotherProcess(IStoreConnections connections, TimeProvider time)
{
    public IStoreConnections Connections { get; } = connections;

    public SqlIncidentStore Store { get; } = connections switch
    {
        SqliteDatabase sqlite => new SqliteIncidentStore(sqlite),
        PostgresDatabase postgres => new PostgresIncidentStore(postgres),
        _ => throw new ArgumentException("Unknown provider", nameof(connections)),
    };

    public IIncidentWriterFactory Writers { get; } = connections switch
    {
        SqliteDatabase sqlite => new SqliteIncidentWriterFactory(sqlite, time),
        PostgresDatabase postgres => new PostgresIncidentWriterFactory(postgres, time),
        _ => throw new ArgumentException("Unknown provider", nameof(connections)),
    };

    public Bot.Core.Chat.IContentVersion ContentVersion(TimeProvider clock) => TestStore.ContentVersionOf(Connections, clock);
}
