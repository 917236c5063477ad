namespace Bot.Core.Incidents.Editing;

/// <summary>An incident as an editor opens it: the revision lets the save notice someone else's change.</summary>
public sealed record EditableIncident(Incident Incident, long Revision);

/// <summary>One entry of the audit log: the documents before and after (null before a creation, after a removal).</summary>
public sealed record IncidentChange(
    long Id, string Slug, string Action, ContentAuthor Author, DateTimeOffset At, Incident? Before, Incident? After);

public abstract record SaveOutcome
{
    public sealed record Saved(Incident Incident, long Revision) : SaveOutcome;
    /// <summary>Someone saved the incident after the editor opened it: nothing was written.</summary>
    public sealed record Conflict(EditableIncident Current) : SaveOutcome;
    public sealed record Removed : SaveOutcome;
    public sealed record Missing : SaveOutcome;
    /// <summary>Creating an incident whose slug is taken (or was removed and can be restored).</summary>
    public sealed record SlugTaken(bool WasRemoved) : SaveOutcome;
}

/// <summary>
/// The store's side of editing: every save is checked against the revision the editor saw and
/// written together with its audit entry, in one transaction.
/// </summary>
public interface IIncidentEditStore
{
    Task<EditableIncident?> GetAsync(string slug, CancellationToken cancellationToken);

    Task<SaveOutcome> CreateAsync(Incident incident, ContentAuthor author, CancellationToken cancellationToken);

    /// <param name="expectedRevision">The revision the editor started from; null saves over whatever is there.</param>
    Task<SaveOutcome> UpdateAsync(Incident incident, long? expectedRevision, string action, ContentAuthor author, CancellationToken cancellationToken);

    /// <summary>Takes the incident out of every answer; its document stays, so it can be restored (and seeds do not bring it back).</summary>
    Task<SaveOutcome> RemoveAsync(string slug, ContentAuthor author, CancellationToken cancellationToken);

    Task<SaveOutcome> RestoreAsync(string slug, ContentAuthor author, CancellationToken cancellationToken);

    /// <summary>The latest changes to one incident, newest first.</summary>
    Task<IReadOnlyList<IncidentChange>> HistoryAsync(string slug, int limit, CancellationToken cancellationToken);

    /// <summary>Slugs of removed incidents, for suggestions when someone asks for one.</summary>
    Task<bool> IsRemovedAsync(string slug, CancellationToken cancellationToken);
}
