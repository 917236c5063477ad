using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Storage.Migrations;
using Microsoft.Extensions.Logging;

namespace Bot.Storage;

/// <summary>Brings the store up to date: migrations, then the seed files. Run once per process, before serving.</summary>
public sealed class StoreInitializer(ISchemaMigrator migrator, IncidentImporter importer, SeedLocation seeds, ILogger<StoreInitializer> logger)
{
    /// <summary>What the seed files did at the last start: the CLI prints the "kept the team's version" notices.</summary>
    public ImportReport? LastSeedReport { get; private set; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        if (seeds.Path is null)
        {
            logger.LogWarning("No seed folder found at {Path}; the store keeps what it has", seeds.ConfiguredPath);
            return;
        }

        var report = await importer.ImportAsync(seeds.Path, ContentAuthor.Seed, cancellationToken);
        LastSeedReport = report;
        foreach (var problem in report.Problems)
            logger.LogWarning("Seed file skipped: {Problem}", problem.ToString());
        foreach (var kept in report.KeptTeamVersions)
            logger.LogWarning("Seeds: {Notice}", kept.Reason);
        if (report.Added + report.Updated > 0)
            logger.LogInformation("Seeded the store from {Path}: {Added} added, {Updated} updated, {Unchanged} unchanged",
                seeds.Path, report.Added, report.Updated, report.Unchanged);
    }
}

/// <summary>
/// Where the seeds are: the configured path under the content root, else beside the executable
/// (a published build carries its seeds with it).
/// </summary>
public sealed class SeedLocation(string configuredPath, string contentRoot)
{
    public string ConfiguredPath { get; } = configuredPath;

    public string? Path { get; } = Resolve(configuredPath, contentRoot);

    private static string? Resolve(string configured, string contentRoot)
    {
        if (System.IO.Path.IsPathRooted(configured))
            return Exists(configured) ? configured : null;
        foreach (var root in new[] { contentRoot, AppContext.BaseDirectory })
        {
            var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, configured));
            if (Exists(candidate)) return candidate;
        }

        return null;
    }

    private static bool Exists(string path) => Directory.Exists(path) || File.Exists(path);
}
