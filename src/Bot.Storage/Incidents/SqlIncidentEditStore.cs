using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Dapper;

namespace Bot.Storage.Incidents;

/// <summary>
/// Editing on top of the incident writer: each operation takes the write lock, checks the revision
/// the editor saw, and commits the change with its audit entry, so two editors never lose each other's work.
/// </summary>
public sealed class SqlIncidentEditStore(IStoreConnections database, IEditingWriterFactory writers) : IIncidentEditStore
{
    public async Task<EditableIncident?> GetAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Document, long Revision)?>(new CommandDefinition(
            "SELECT document, revision FROM incidents WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken));
        return row is { } found ? new EditableIncident(IncidentJson.Parse(found.Document), found.Revision) : null;
    }

    public async Task<SaveOutcome> CreateAsync(Incident incident, ContentAuthor author, CancellationToken cancellationToken)
    {
        await using var writer = await writers.BeginEditAsync(author, cancellationToken);
        if (await writer.FindAsync(incident.Slug, cancellationToken) is not null) return new SaveOutcome.SlugTaken(WasRemoved: false);
        if (await writer.TakeRemovedAsync(incident.Slug, cancellationToken) is not null) return new SaveOutcome.SlugTaken(WasRemoved: true);
        var (_, revision) = await writer.WriteAsync(incident, "add", cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return new SaveOutcome.Saved(incident, revision);
    }

    public async Task<SaveOutcome> UpdateAsync(Incident incident, long? expectedRevision, string action, ContentAuthor author, CancellationToken cancellationToken)
    {
        await using var writer = await writers.BeginEditAsync(author, cancellationToken);
        if (await writer.FindAsync(incident.Slug, cancellationToken) is not { } current) return new SaveOutcome.Missing();
        if (expectedRevision is { } expected && expected != current.Revision)
            return new SaveOutcome.Conflict(new EditableIncident(IncidentJson.Parse(current.Document), current.Revision));
        var (_, revision) = await writer.WriteAsync(incident, action, cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return new SaveOutcome.Saved(incident, revision);
    }

    public async Task<SaveOutcome> RemoveAsync(string slug, ContentAuthor author, CancellationToken cancellationToken)
    {
        await using var writer = await writers.BeginEditAsync(author, cancellationToken);
        if (!await writer.RemoveAsync(slug, cancellationToken)) return new SaveOutcome.Missing();
        await writer.CommitAsync(cancellationToken);
        return new SaveOutcome.Removed();
    }

    public async Task<SaveOutcome> RestoreAsync(string slug, ContentAuthor author, CancellationToken cancellationToken)
    {
        await using var writer = await writers.BeginEditAsync(author, cancellationToken);
        if (await writer.FindAsync(slug, cancellationToken) is not null) return new SaveOutcome.SlugTaken(WasRemoved: false);
        if (await writer.TakeRemovedAsync(slug, cancellationToken) is not { } document) return new SaveOutcome.Missing();
        var incident = IncidentJson.Parse(document);
        var (_, revision) = await writer.WriteAsync(incident, "restore", cancellationToken);
        await writer.CommitAsync(cancellationToken);
        return new SaveOutcome.Saved(incident, revision);
    }

    public async Task<IReadOnlyList<IncidentChange>> HistoryAsync(string slug, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            """
            SELECT id, slug, action, source, platform, workspace, user_id AS UserId, user_name AS UserName, at,
                   before_document AS BeforeDocument, after_document AS AfterDocument
            FROM incident_changes WHERE slug = @slug ORDER BY id DESC LIMIT @limit
            """, new { slug, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new IncidentChange(
            r.Id, r.Slug, r.Action,
            new ContentAuthor(Enum.Parse<ContentSource>(r.Source, ignoreCase: true), r.Platform, r.Workspace, r.UserId, r.UserName),
            r.At,
            r.BeforeDocument is null ? null : IncidentJson.Parse(r.BeforeDocument),
            r.AfterDocument is null ? null : IncidentJson.Parse(r.AfterDocument))).ToList();
    }

    public async Task<bool> IsRemovedAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM removed_incidents WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken)) > 0;
    }

    private sealed record ChangeRow(
        long Id, string Slug, string Action, string Source, string? Platform, string? Workspace, string? UserId, string? UserName,
        DateTimeOffset At, string? BeforeDocument, string? AfterDocument);
}
