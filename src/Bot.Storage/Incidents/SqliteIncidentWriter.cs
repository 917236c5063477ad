using System.Security.Cryptography;
using System.Text;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Incidents;

public sealed class SqliteIncidentWriterFactory(SqliteDatabase database, TimeProvider time) : IIncidentWriterFactory, IEditingWriterFactory
{
    public async Task<IEditingWriter> BeginEditAsync(ContentAuthor author, CancellationToken cancellationToken) =>
        await BeginWriterAsync(author, cancellationToken);

    public async Task<IIncidentWriter> BeginAsync(ContentAuthor author, CancellationToken cancellationToken) =>
        await BeginWriterAsync(author, cancellationToken);

    public Task<IIncidentWriter> BeginAsync(CancellationToken cancellationToken) => BeginAsync(ContentAuthor.Import, cancellationToken);

    internal async Task<SqliteIncidentWriter> BeginWriterAsync(ContentAuthor author, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            // IMMEDIATE: the write lock is taken now, so the ids read below are the last ones before this batch.
            var transaction = connection.BeginTransaction(deferred: false);
            var writer = new SqliteIncidentWriter(database, connection, transaction, time, author);
            await writer.StartAsync(cancellationToken);
            return writer;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>
/// Writes incidents and their derived rows (names, events, passages) in one transaction. Uses
/// prepared commands rather than Dapper because a bulk import runs these a million times.
/// An incident whose content hash is unchanged is not touched, so re-importing is free and keeps
/// <c>updated_at</c> meaningful for the digest's "what is new". Every change is written with its
/// audit entry; a seed batch leaves alone what the team wrote or removed.
/// </summary>
internal sealed class SqliteIncidentWriter : IEditingWriter
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly TimeProvider _time;
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _deleteNames;
    private readonly SqliteCommand _deleteEvents;
    private readonly SqliteCommand _deletePassages;
    private readonly SqliteCommand _maxIds;
    private readonly SqliteCommand _insertName;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _insertPassage;
    private readonly SqliteCommand _isRemoved;
    private readonly SqliteCommand _noticeSeed;
    private readonly SqliteCommand _audit;
    private readonly ContentAuthor _author;
    private bool _committed;
    private long _namesBefore;
    private long _passagesBefore;
    private bool _wroteRows;
    private readonly HashSet<long> _touched = [];

    private readonly SqliteDatabase _database;

    internal SqliteIncidentWriter(SqliteDatabase database, SqliteConnection connection, SqliteTransaction transaction, TimeProvider time, ContentAuthor author)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
        _time = time;
        _author = author;
        _find = Command("SELECT id, content_hash, document, team_owned, seed_noticed_hash, revision FROM incidents WHERE slug = $slug", "$slug");
        _insert = Command(
            """
            INSERT INTO incidents (slug, title, category, document, content_hash, created_at, updated_at, team_owned)
            VALUES ($slug, $title, $category, $document, $hash, $now, $now, $team) RETURNING id
            """, "$slug", "$title", "$category", "$document", "$hash", "$now", "$team");
        // A rebuild of derived rows (a new derivation version) is not an edit: it keeps revision and owner.
        _update = Command(
            """
            UPDATE incidents SET title = $title, category = $category, document = $document, content_hash = $hash,
                updated_at = CASE WHEN $edit = 1 THEN $now ELSE updated_at END, revision = revision + $edit, team_owned = max(team_owned, $team)
            WHERE id = $id
            """, "$id", "$title", "$category", "$document", "$hash", "$now", "$edit", "$team");
        _isRemoved = Command("SELECT count(*) FROM removed_incidents WHERE slug = $slug", "$slug");
        _noticeSeed = Command("UPDATE incidents SET seed_noticed_hash = $hash WHERE id = $id", "$id", "$hash");
        _audit = Command(
            """
            INSERT INTO incident_changes (slug, action, source, platform, workspace, user_id, user_name, at, before_document, after_document)
            VALUES ($slug, $action, $source, $platform, $workspace, $user, $name, $now, $before, $after)
            """, "$slug", "$action", "$source", "$platform", "$workspace", "$user", "$name", "$now", "$before", "$after");
        // Old rows are deleted after the new ones are in (ids below the new ones), so a freed top id is never reused
        // by a row that the commit-time index fill ("id > last id before the batch") would then miss.
        _deleteNames = Command("DELETE FROM incident_names WHERE incident_id = $id AND id <= $below", "$id", "$below");
        _deleteEvents = Command("DELETE FROM timeline_events WHERE incident_id = $id AND id <= $below", "$id", "$below");
        // Passages of feed items linked to the incident are the feed store's, not derived from the document: they stay.
        _deletePassages = Command("DELETE FROM passages WHERE incident_id = $id AND id <= $below AND feed_item_id IS NULL", "$id", "$below");
        _maxIds = Command("SELECT (SELECT coalesce(max(id), 0) FROM incident_names), (SELECT coalesce(max(id), 0) FROM timeline_events), (SELECT coalesce(max(id), 0) FROM passages)");
        _insertName = Command(
            "INSERT INTO incident_names (incident_id, kind, name, normalized) VALUES ($id, $kind, $name, $normalized)",
            "$id", "$kind", "$name", "$normalized");
        _insertEvent = Command(
            """
            INSERT INTO timeline_events (incident_id, position, date, year, month, day, text)
            VALUES ($id, $position, $date, $year, $month, $day, $text)
            """, "$id", "$position", "$date", "$year", "$month", "$day", "$text");
        _insertPassage = Command(
            "INSERT INTO passages (incident_id, kind, text, date, speaker) VALUES ($id, $kind, $text, $date, $speaker)",
            "$id", "$kind", "$text", "$date", "$speaker");
    }

    public async Task<UpsertOutcome> UpsertAsync(Incident incident, CancellationToken cancellationToken) =>
        (await WriteAsync(incident, action: null, cancellationToken)).Outcome;

    /// <summary>The incident as stored now, or null.</summary>
    public async Task<(long Id, string Document, long Revision)?> FindAsync(string slug, CancellationToken cancellationToken)
    {
        _find.Parameters["$slug"].Value = slug;
        await using var reader = await _find.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(2), reader.GetInt64(5)) : null;
    }

    /// <param name="action">The audit log's name for the change; null names it by what happened (add or update).</param>
    public async Task<(UpsertOutcome Outcome, long Revision)> WriteAsync(Incident incident, string? action, CancellationToken cancellationToken)
    {
        var document = IncidentJson.Serialize(incident);
        var hash = Hash(document);
        var now = Now();

        _find.Parameters["$slug"].Value = incident.Slug;
        long id;
        long revision = 1;
        string? before = null;
        UpsertOutcome outcome;
        await using (var reader = await _find.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                id = reader.GetInt64(0);
                var storedHash = reader.GetString(1);
                before = reader.GetString(2);
                var teamOwned = reader.GetInt64(3) != 0;
                var noticed = reader.IsDBNull(4) ? null : reader.GetString(4);
                revision = reader.GetInt64(5);
                if (storedHash == hash) return (UpsertOutcome.Unchanged, revision);
                if (!_author.IsTeam && teamOwned)
                {
                    // The team's version stays; its derived rows are still rebuilt when they are built differently now.
                    if (storedHash != Hash(before)) await RebuildAsync(id, IncidentJson.Parse(before), before, cancellationToken);
                    if (before == document || noticed == hash) return (UpsertOutcome.Unchanged, revision);
                    Set(_noticeSeed, ("$id", id), ("$hash", hash));
                    await _noticeSeed.ExecuteNonQueryAsync(cancellationToken);
                    return (UpsertOutcome.KeptTeamVersion, revision);
                }

                outcome = before == document ? UpsertOutcome.Unchanged : UpsertOutcome.Updated;
            }
            else
            {
                id = 0;
                outcome = UpsertOutcome.Added;
            }
        }

        if (outcome == UpsertOutcome.Added)
        {
            if (!_author.IsTeam && await IsRemovedAsync(incident.Slug, cancellationToken)) return (UpsertOutcome.Unchanged, 0);
            Set(_insert, ("$slug", incident.Slug), ("$title", incident.Title), ("$category", incident.Category),
                ("$document", document), ("$hash", hash), ("$now", now), ("$team", _author.IsTeam ? 1 : 0));
            id = (long)(await _insert.ExecuteScalarAsync(cancellationToken))!;
            await InsertDerivedRowsAsync(id, incident, cancellationToken);
            _wroteRows = true;
            _touched.Add(id);
            await AuditAsync(incident.Slug, action ?? "add", before: null, after: document, cancellationToken);
            return (outcome, 1);
        }

        if (outcome == UpsertOutcome.Unchanged)
        {
            // Same document, other derivation: rebuild the rows without calling it a change.
            await RebuildAsync(id, incident, document, cancellationToken);
            return (outcome, revision);
        }

        await ReplaceAsync(id, incident, document, hash, edit: true, cancellationToken);
        await AuditAsync(incident.Slug, action ?? "update", before, document, cancellationToken);
        return (outcome, revision + 1);
    }

    /// <summary>Takes the incident out (its derived rows go with it) and keeps its document for a restore.</summary>
    public async Task<bool> RemoveAsync(string slug, CancellationToken cancellationToken)
    {
        if (await FindAsync(slug, cancellationToken) is not { } found) return false;
        // Rows written earlier in this batch are not indexed yet; the delete triggers need them to be.
        if (_touched.Contains(found.Id)) await FillFullTextAsync(cancellationToken);
        await using (var remove = Command(
            """
            INSERT OR REPLACE INTO removed_incidents (slug, document, team_owned, removed_at)
                SELECT slug, document, team_owned, $now FROM incidents WHERE id = $id;
            DELETE FROM incidents WHERE id = $id;
            """, "$id", "$now"))
        {
            Set(remove, ("$id", found.Id), ("$now", Now()));
            await remove.ExecuteNonQueryAsync(cancellationToken);
        }

        await AuditAsync(slug, "remove", found.Document, after: null, cancellationToken);
        return true;
    }

    /// <summary>The document of a removed incident, taken out of the removed list (the caller writes it back).</summary>
    public async Task<string?> TakeRemovedAsync(string slug, CancellationToken cancellationToken)
    {
        await using var take = Command("DELETE FROM removed_incidents WHERE slug = $slug RETURNING document", "$slug");
        Set(take, ("$slug", slug));
        return (string?)await take.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<bool> IsRemovedAsync(string slug, CancellationToken cancellationToken)
    {
        Set(_isRemoved, ("$slug", slug));
        return (long)(await _isRemoved.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private Task RebuildAsync(long id, Incident incident, string document, CancellationToken cancellationToken) =>
        ReplaceAsync(id, incident, document, Hash(document), edit: false, cancellationToken);

    private async Task ReplaceAsync(long id, Incident incident, string document, string hash, bool edit, CancellationToken cancellationToken)
    {
        // Rows written earlier in this batch are not indexed yet; their delete triggers need them to be.
        if (_touched.Contains(id)) await FillFullTextAsync(cancellationToken);
        Set(_update, ("$id", id), ("$title", incident.Title), ("$category", incident.Category),
            ("$document", document), ("$hash", hash), ("$now", Now()), ("$edit", edit ? 1 : 0), ("$team", edit && _author.IsTeam ? 1 : 0));
        await _update.ExecuteNonQueryAsync(cancellationToken);
        long[] below;
        await using (var reader = await _maxIds.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            below = [reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)];
        }

        await InsertDerivedRowsAsync(id, incident, cancellationToken);
        var deletes = new[] { _deleteNames, _deleteEvents, _deletePassages };
        for (var i = 0; i < deletes.Length; i++)
        {
            Set(deletes[i], ("$id", id), ("$below", below[i]));
            await deletes[i].ExecuteNonQueryAsync(cancellationToken);
        }

        _wroteRows = true;
        _touched.Add(id);
    }

    private async Task AuditAsync(string slug, string action, string? before, string? after, CancellationToken cancellationToken)
    {
        Set(_audit, ("$slug", slug), ("$action", action), ("$source", _author.Source.ToString().ToLowerInvariant()),
            ("$platform", _author.Platform), ("$workspace", _author.Workspace), ("$user", _author.UserId), ("$name", _author.UserName),
            ("$now", Now()), ("$before", before), ("$after", after));
        await _audit.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Hash(string document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(IncidentRows.DerivationVersion + "\n" + document)));

    private string Now() => DateHandler.ToText(_time.GetUtcNow());

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("SELECT coalesce(max(id), 0) FROM incident_names");
        _namesBefore = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        command.CommandText = "SELECT coalesce(max(id), 0) FROM passages";
        _passagesBefore = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        // A bigger page cache for this batch only: a large import rewrites the same index pages many times.
        command.CommandText = "PRAGMA cache_size = -65536";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await FillFullTextAsync(cancellationToken);
        await _transaction.CommitAsync(cancellationToken);
        _committed = true;
        _database.NotifyChanged();
    }

    /// <summary>Indexes the rows written since the last fill, in id order, one statement per index.</summary>
    private async Task FillFullTextAsync(CancellationToken cancellationToken)
    {
        if (_wroteRows)
        {
            await using var fill = Command(
                """
                INSERT INTO incident_names_words (rowid, normalized) SELECT id, normalized FROM incident_names WHERE id > $names ORDER BY id;
                INSERT INTO incident_names_trigrams (rowid, normalized) SELECT id, normalized FROM incident_names WHERE id > $names ORDER BY id;
                INSERT INTO passages_fts (rowid, text) SELECT id, text FROM passages WHERE id > $passages ORDER BY id;
                """, "$names", "$passages");
            Set(fill, ("$names", _namesBefore), ("$passages", _passagesBefore));
            await fill.ExecuteNonQueryAsync(cancellationToken);
            _wroteRows = false;
        }

        await StartAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed) await _transaction.RollbackAsync();
        // The pooled connection goes back with the default cache, so an idle host does not keep 64 MB of pages.
        await using (var reset = _connection.CreateCommand())
        {
            reset.CommandText = "PRAGMA cache_size = -2000";
            await reset.ExecuteNonQueryAsync();
        }

        foreach (var command in new[] { _find, _insert, _update, _deleteNames, _deleteEvents, _deletePassages, _maxIds, _insertName, _insertEvent, _insertPassage, _isRemoved, _noticeSeed, _audit })
            await command.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task InsertDerivedRowsAsync(long id, Incident incident, CancellationToken cancellationToken)
    {
        var rows = IncidentRows.From(incident);
        foreach (var name in rows.Names)
        {
            Set(_insertName, ("$id", id), ("$kind", name.Kind), ("$name", name.Name), ("$normalized", name.Normalized));
            await _insertName.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var e in rows.Events)
        {
            Set(_insertEvent, ("$id", id), ("$position", e.Position), ("$date", e.Date), ("$year", e.Year),
                ("$month", e.Month), ("$day", e.Day), ("$text", e.Text));
            await _insertEvent.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var passage in rows.Passages)
        {
            Set(_insertPassage, ("$id", id), ("$kind", passage.Kind), ("$text", passage.Text), ("$date", passage.Date), ("$speaker", passage.Speaker));
            await _insertPassage.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values) command.Parameters[name].Value = value ?? DBNull.Value;
    }
}
