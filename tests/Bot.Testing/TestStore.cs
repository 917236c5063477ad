using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Storage;
using Bot.Storage.Incidents;
using Bot.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Testing;

/// <summary>A real SQLite file in a temporary folder, migrated, optionally seeded; deleted on dispose.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private TestStore(string folder)
    {
        Folder = folder;
        Database = new SqliteDatabase(Path.Combine(folder, "bot.db"));
        Store = new SqliteIncidentStore(Database);
        Writers = new SqliteIncidentWriterFactory(Database, Time);
        Importer = new IncidentImporter(Writers);
        Edits = new SqliteIncidentEditStore(Database, Writers);
        Editor = new IncidentEditor(Edits, new IncidentFinder(Store), Time, Bot.Core.Chat.CommandNames.Unchanged);
        Migrator = new Migrator(Database, NullLogger<Migrator>.Instance);
    }

    public string Folder { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 2, 4, 8, 0, 0, TimeSpan.Zero));
    public SqliteDatabase Database { get; }
    public SqliteIncidentStore Store { get; }
    public SqliteIncidentWriterFactory Writers { get; }
    public IncidentImporter Importer { get; }
    public SqliteIncidentEditStore Edits { get; }
    public IncidentEditor Editor { get; }
    public Migrator Migrator { get; }

    public static async Task<TestStore> CreateAsync(bool seeded = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), "bot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = new TestStore(folder);
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

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; a failing dispose would hide the real test result.
        }

        return ValueTask.CompletedTask;
    }
}
