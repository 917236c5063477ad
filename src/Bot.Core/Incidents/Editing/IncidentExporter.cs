using Bot.Core.Incidents.Import;

namespace Bot.Core.Incidents.Editing;

/// <summary>Reads every stored incident document, in slug order, for an export.</summary>
public interface IIncidentDocuments
{
    IAsyncEnumerable<string> AllDocumentsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Writes every incident as one JSON line, in the seed format: <c>bot import</c> of the file into an
/// empty store gives back the same incidents, and so the same cards.
/// </summary>
public sealed class IncidentExporter(IIncidentDocuments documents)
{
    public async Task<int> ExportAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var document in documents.AllDocumentsAsync(cancellationToken))
        {
            // Stored documents are already canonical; parsing first would only cost time.
            await output.WriteAsync(document.AsMemory(), cancellationToken);
            await output.WriteAsync('\n');
            count++;
        }

        await output.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>The one line an incident becomes in an export.</summary>
    public static string Line(Incident incident) => IncidentJson.Serialize(incident);
}
