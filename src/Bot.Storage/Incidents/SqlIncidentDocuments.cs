using System.Runtime.CompilerServices;
using Bot.Core.Incidents.Editing;

namespace Bot.Storage.Incidents;

public sealed class SqlIncidentDocuments(IStoreConnections database) : IIncidentDocuments
{
    public async IAsyncEnumerable<string> AllDocumentsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // One read transaction: the export is a consistent snapshot even while editors save.
        command.CommandText = "SELECT document FROM incidents ORDER BY slug";
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return reader.GetString(0);
    }
}
