using System.Globalization;
using System.Reflection;

namespace Bot.Storage.Migrations;

/// <summary>Brings a database's schema up to this build's; one per provider.</summary>
public interface ISchemaMigrator
{
    /// <returns>The highest migration the database now has.</returns>
    Task<int> MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>The numbered SQL scripts embedded for one dialect (resources Migrations.&lt;dialect&gt;.0001_name.sql), in order.</summary>
public static class MigrationScripts
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> Load(string dialect)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $"Migrations.{dialect}.";
        var scripts = new List<(int Version, string Name, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName.AsSpan(0, underscore), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, fileName[(underscore + 1)..^4], reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }
}
