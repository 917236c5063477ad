using System.Diagnostics;
using Bot.Core;
using Bot.Core.Incidents.Import;
using Bot.Embeddings;
using Bot.Storage;
using Bot.Storage.Migrations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Benchmarks;

/// <summary>Where generated files and cached stores live, and how big they are.</summary>
public sealed record BenchSettings(string Directory, int Count, int Seed)
{
    public const int DefaultCount = 100_000;
    public const int DefaultSeed = 42;

    /// <summary>Defaults, overridable by BOT_BENCH_DIR / BOT_BENCH_COUNT / BOT_BENCH_SEED (BenchmarkDotNet's child processes inherit them).</summary>
    public static BenchSettings FromEnvironment() => new(
        Environment.GetEnvironmentVariable("BOT_BENCH_DIR") is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "bot-bench"),
        int.TryParse(Environment.GetEnvironmentVariable("BOT_BENCH_COUNT"), out var count) ? count : DefaultCount,
        int.TryParse(Environment.GetEnvironmentVariable("BOT_BENCH_SEED"), out var seed) ? seed : DefaultSeed);

    private string Stem => $"n{Count}-s{Seed}-g{IncidentGenerator.Version}";

    public string JsonLinesPath => Path.Combine(Directory, $"incidents-{Stem}.jsonl");

    /// <summary>The schema version is part of the name: a new migration in src gives a new store rather than a stale one.</summary>
    public string StorePath => Path.Combine(Directory, $"store-{Stem}-m{Migrator.LatestVersion}.db");
}

/// <summary>The bot's services wired exactly as the CLI wires them, over a given SQLite file.</summary>
public sealed class BotServices : IAsyncDisposable
{
    private BotServices(ServiceProvider provider) => Provider = provider;

    public ServiceProvider Provider { get; }

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    /// <param name="configure">Runs after the bot's own registrations, so it can replace one (what-ifs).</param>
    public static Task<BotServices> CreateAsync(string databasePath, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default) =>
        CreateAsync(databasePath, new Dictionary<string, string?>(), configure, cancellationToken);

    /// <param name="settings">More configuration (Feeds:AllowPrivateAddresses for a local feed server).</param>
    public static async Task<BotServices> CreateAsync(string databasePath, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure,
        CancellationToken cancellationToken = default)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Path"] = databasePath,
                // Nothing is seeded here; the path only has to be valid.
                ["Seeds:Path"] = Path.Combine(Path.GetDirectoryName(databasePath)!, "no-seeds"),
            })
            .AddInMemoryCollection(settings)
            .Build();
        var services = new ServiceCollection().AddLogging(l => l
                // Only the vector builder's progress lines: the other runs print their own figures.
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddFilter((category, level) => level >= LogLevel.Warning || category?.StartsWith("Bot.Core.Answers", StringComparison.Ordinal) == true)).AddBotCore().AddBotStorage().AddBotEmbeddings();
        // AddBotStorage binds its options with BindConfiguration, which resolves IConfiguration from the container.
        services.AddSingleton<IConfiguration>(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
        return new BotServices(provider);
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}

public static class BenchFiles
{
    /// <summary>The generated JSONL, made once per (count, seed, generator version) and reused.</summary>
    public static async Task<string> EnsureJsonLinesAsync(BenchSettings settings, TextWriter log)
    {
        if (File.Exists(settings.JsonLinesPath)) return settings.JsonLinesPath;
        Directory.CreateDirectory(settings.Directory);
        log.WriteLine($"Generating {settings.Count:N0} incidents (seed {settings.Seed}) into {settings.JsonLinesPath} …");
        var watch = Stopwatch.StartNew();
        await IncidentGenerator.WriteJsonLinesAsync(settings.JsonLinesPath, settings.Count, settings.Seed, CancellationToken.None);
        log.WriteLine($"  generated in {watch.Elapsed.TotalSeconds:F1} s, {new FileInfo(settings.JsonLinesPath).Length / 1e6:F0} MB");
        return settings.JsonLinesPath;
    }

    /// <summary>
    /// The store of <see cref="BenchSettings.Count"/> generated incidents, built through the real importer
    /// once and reused; a marker file written last means "complete".
    /// </summary>
    public static async Task<string> EnsureLargeStoreAsync(BenchSettings settings, TextWriter log)
    {
        var store = settings.StorePath;
        var marker = store + ".complete";
        if (File.Exists(store) && File.Exists(marker)) return store;

        var jsonl = await EnsureJsonLinesAsync(settings, log);
        DeleteDatabase(store);
        log.WriteLine($"Building the store {store} …");
        var watch = Stopwatch.StartNew();
        await using (var services = await BotServices.CreateAsync(store))
        {
            var report = await services.Get<IncidentImporter>().ImportAsync(jsonl, CancellationToken.None);
            if (report.Problems.Count > 0 || report.Added != settings.Count)
                throw new InvalidOperationException(
                    $"Import of {jsonl} added {report.Added} of {settings.Count}: {string.Join("; ", report.Problems.Take(3))}");
            await CheckpointAsync(services.Get<SqliteDatabase>());
        }

        log.WriteLine($"  built in {watch.Elapsed.TotalSeconds:F1} s, {new FileInfo(store).Length / 1e6:F0} MB");
        await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O"));
        return store;
    }

    /// <summary>Folds the WAL into the database file so the store is one self-contained file.</summary>
    public static async Task CheckpointAsync(SqliteDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await command.ExecuteNonQueryAsync();
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal", ".complete" })
            if (File.Exists(path + suffix)) File.Delete(path + suffix);
    }

    public static long DatabaseBytes(string path) =>
        new[] { "", "-wal", "-shm" }.Select(s => new FileInfo(path + s)).Where(f => f.Exists).Sum(f => f.Length);

    /// <summary>The repository root (the folder holding Bot.sln), from the working directory or the build output.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Bot.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (no Bot.sln above the working directory).");
    }
}
