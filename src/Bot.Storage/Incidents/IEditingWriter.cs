using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;

namespace Bot.Storage.Incidents;

/// <summary>
/// What the edit store needs of a provider's incident writer beyond a plain upsert: reading the row it
/// is about to change, naming the change for the audit log, removing and taking back a removed incident,
/// all inside the writer's one transaction.
/// </summary>
public interface IEditingWriter : IIncidentWriter
{
    /// <summary>The incident as stored now, or null.</summary>
    Task<(long Id, string Document, long Revision)?> FindAsync(string slug, CancellationToken cancellationToken);

    /// <param name="action">The audit log's name for the change; null names it by what happened (add or update).</param>
    Task<(UpsertOutcome Outcome, long Revision)> WriteAsync(Incident incident, string? action, CancellationToken cancellationToken);

    /// <summary>Takes the incident out (its derived rows go with it) and keeps its document for a restore.</summary>
    Task<bool> RemoveAsync(string slug, CancellationToken cancellationToken);

    /// <summary>The document of a removed incident, taken out of the removed list (the caller writes it back).</summary>
    Task<string?> TakeRemovedAsync(string slug, CancellationToken cancellationToken);
}

public interface IEditingWriterFactory
{
    Task<IEditingWriter> BeginEditAsync(ContentAuthor author, CancellationToken cancellationToken);
}
