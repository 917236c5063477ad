using System.Text;

namespace Bot.Core.Incidents.Import;

public sealed record ImportProblem(string File, string Reason)
{
    public override string ToString() => $"{File}: {Reason}";
}

/// <param name="Kept">Incidents the team changed whose file here differs: the team's version was kept.</param>
public sealed record ImportReport(int Added, int Updated, int Unchanged, IReadOnlyList<ImportProblem> Problems, IReadOnlyList<ImportProblem>? Kept = null)
{
    public IReadOnlyList<ImportProblem> KeptTeamVersions => Kept ?? [];

    public int Total => Added + Updated + Unchanged;
}

/// <summary>
/// Loads seed files: a folder of <c>*.json</c> files (one incident each) and/or <c>*.jsonl</c>
/// files (one incident per line). A file with any fault imports nothing and is reported with the
/// reason; the other files still import. Unchanged incidents are not rewritten. Seed files
/// (<see cref="Editing.ContentAuthor.Seed"/>) fill the store but never overwrite what the team wrote.
/// </summary>
public sealed class IncidentImporter(IIncidentWriterFactory writers)
{
    public Task<ImportReport> ImportAsync(string path, CancellationToken cancellationToken) =>
        ImportAsync(path, Editing.ContentAuthor.Import, cancellationToken);

    public async Task<ImportReport> ImportAsync(string path, Editing.ContentAuthor author, CancellationToken cancellationToken)
    {
        var totals = new Totals(author);
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

        return new ImportReport(totals.Added, totals.Updated, totals.Unchanged, totals.Problems, totals.Kept);
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

        await using var writer = await writers.BeginAsync(totals.Author, cancellationToken);
        var batch = new Totals(totals.Author);
        foreach (var incident in incidents)
            batch.Count(await writer.UpsertAsync(incident, cancellationToken), incident.Slug, slugsSeen[incident.Slug]);
        await writer.CommitAsync(cancellationToken);
        totals.Add(batch);
    }

    private async Task ImportJsonLinesAsync(string file, Totals totals, CancellationToken cancellationToken)
    {
        var batch = new Totals(totals.Author);
        var slugsSeen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        try
        {
            await using var writer = await writers.BeginAsync(totals.Author, cancellationToken);
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

                batch.Count(await writer.UpsertAsync(incident, cancellationToken), incident.Slug, $"{file} line {lineNumber}");
            }

            await writer.CommitAsync(cancellationToken);
            totals.Add(batch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            totals.Problems.Add(new ImportProblem(file, ex.Message));
        }
    }

    private sealed class Totals(Editing.ContentAuthor author)
    {
        public Editing.ContentAuthor Author { get; } = author;
        public int Added { get; private set; }
        public int Updated { get; private set; }
        public int Unchanged { get; private set; }
        public List<ImportProblem> Problems { get; } = [];
        public List<ImportProblem> Kept { get; } = [];

        public void Count(UpsertOutcome outcome, string slug, string file)
        {
            switch (outcome)
            {
                case UpsertOutcome.Added: Added++; break;
                case UpsertOutcome.Updated: Updated++; break;
                case UpsertOutcome.KeptTeamVersion:
                    Unchanged++;
                    Kept.Add(new ImportProblem(file, $"kept the team's version of {slug}; {ShortPath(file)} differs"));
                    break;
                default: Unchanged++; break;
            }
        }

        /// <summary>"seeds/balloon.json": enough to find the file, without the machine's folders.</summary>
        private static string ShortPath(string file) =>
            Path.GetDirectoryName(file) is { Length: > 0 } folder ? $"{Path.GetFileName(folder)}/{Path.GetFileName(file)}" : file;

        public void Add(Totals other)
        {
            Added += other.Added;
            Updated += other.Updated;
            Unchanged += other.Unchanged;
            Kept.AddRange(other.Kept);
        }
    }
}
