using System.Text;

namespace Bot.Core.Incidents.Import;

public sealed record ImportProblem(string File, string Reason)
{
    public override string ToString() => $"{File}: {Reason}";
}

public sealed record ImportReport(int Added, int Updated, int Unchanged, IReadOnlyList<ImportProblem> Problems)
{
    public int Total => Added + Updated + Unchanged;
}

/// <summary>
/// Loads seed files: a folder of <c>*.json</c> files (one incident each) and/or <c>*.jsonl</c>
/// files (one incident per line). A file with any fault imports nothing and is reported with the
/// reason; the other files still import. Unchanged incidents are not rewritten.
/// </summary>
public sealed class IncidentImporter(IIncidentWriterFactory writers)
{
    public async Task<ImportReport> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var totals = new Totals();
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path).Order(StringComparer.Ordinal).ToList();
            await ImportJsonFilesAsync(files.Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).ToList(), totals, cancellationToken);
            foreach (var file in files.Where(f => f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)))
                await ImportJsonLinesAsync(file, totals, cancellationToken);
        }
        else if (File.Exists(path))
        {
            if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                await ImportJsonLinesAsync(path, totals, cancellationToken);
            else
                await ImportJsonFilesAsync([path], totals, cancellationToken);
        }
        else
        {
            totals.Problems.Add(new ImportProblem(path, "no such file or folder"));
        }

        return new ImportReport(totals.Added, totals.Updated, totals.Unchanged, totals.Problems);
    }

    private async Task ImportJsonFilesAsync(IReadOnlyList<string> files, Totals totals, CancellationToken cancellationToken)
    {
        if (files.Count == 0) return;
        var incidents = new List<Incident>(files.Count);
        var slugsSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            try
            {
                var incident = IncidentJson.Parse(await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken));
                if (slugsSeen.TryGetValue(incident.Slug, out var first))
                {
                    totals.Problems.Add(new ImportProblem(file, $"slug '{incident.Slug}' is already used by {Path.GetFileName(first)}"));
                    continue;
                }

                slugsSeen[incident.Slug] = file;
                incidents.Add(incident);
            }
            catch (Exception ex) when (ex is IncidentFormatException or IOException or UnauthorizedAccessException)
            {
                totals.Problems.Add(new ImportProblem(file, ex.Message));
            }
        }

        await using var writer = await writers.BeginAsync(cancellationToken);
        var batch = new Totals();
        foreach (var incident in incidents)
            batch.Count(await writer.UpsertAsync(incident, cancellationToken));
        await writer.CommitAsync(cancellationToken);
        totals.Add(batch);
    }

    private async Task ImportJsonLinesAsync(string file, Totals totals, CancellationToken cancellationToken)
    {
        var batch = new Totals();
        var slugsSeen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        try
        {
            await using var writer = await writers.BeginAsync(cancellationToken);
            using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                Incident incident;
                try
                {
                    incident = IncidentJson.Parse(line);
                }
                catch (IncidentFormatException ex)
                {
                    // Nothing of a faulty file is kept: the writer is disposed without a commit.
                    totals.Problems.Add(new ImportProblem(file, $"line {lineNumber}: {ex.Message}"));
                    return;
                }

                if (!slugsSeen.Add(incident.Slug))
                {
                    totals.Problems.Add(new ImportProblem(file, $"line {lineNumber}: slug '{incident.Slug}' appears twice in the file"));
                    return;
                }

                batch.Count(await writer.UpsertAsync(incident, cancellationToken));
            }

            await writer.CommitAsync(cancellationToken);
            totals.Add(batch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            totals.Problems.Add(new ImportProblem(file, ex.Message));
        }
    }

    private sealed class Totals
    {
        public int Added { get; private set; }
        public int Updated { get; private set; }
        public int Unchanged { get; private set; }
        public List<ImportProblem> Problems { get; } = [];

        public void Count(UpsertOutcome outcome)
        {
            switch (outcome)
            {
                case UpsertOutcome.Added: Added++; break;
                case UpsertOutcome.Updated: Updated++; break;
                default: Unchanged++; break;
            }
        }

        public void Add(Totals other)
        {
            Added += other.Added;
            Updated += other.Updated;
            Unchanged += other.Unchanged;
        }
    }
}
