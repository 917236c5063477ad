using System.Security.Cryptography;
using System.Text;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Core.Incidents.Import;
using Bot.Storage.Incidents;
using Dapper;
using Npgsql;

namespace Bot.Storage.Postgres;

public sealed class PostgresIncidentWriterFactory(PostgresDatabase database, TimeProvider time) : IIncidentWriterFactory, IEditingWriterFactory
{
    /// <summary>Taken for the length of a writer's transaction: one writer at a time, as SQLite's write lock gives.</summary>
    internal const long WriterLockKey = 0x626F_745F_7772_69; // "bot_wri"

    public async Task<IIncidentWriter> BeginAsync(ContentAuthor author, CancellationToken cancellationToken) =>
        await BeginEditAsync(author, cancellationToken);

    public Task<IIncidentWriter> BeginAsync(CancellationToken cancellationToken) => BeginAsync(ContentAuthor.Import, cancellationToken);

    public async Task<IEditingWriter> BeginEditAsync(ContentAuthor author, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // Two writers of the same slug would otherwise both find it missing and both insert; the
            // revision check of an edit also needs the row to stay as read until the commit.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@WriterLockKey)", new { WriterLockKey }, transaction, cancellationToken: cancellationToken));
            return new PostgresIncidentWriter(database, connection, transaction, time, author);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>
/// Writes incidents and their derived rows (names, events, passages) in one transaction, like the SQLite
/// writer: an unchanged content hash touches nothing, every change has its audit entry, and a seed batch
/// leaves alone what the team wrote or removed. The derived rows of an incident go in one statement per
/// table (arrays unnested on the server); the full-text columns and trigrams follow by themselves.
/// </summary>
internal sealed class PostgresIncidentWriter(
    PostgresDatabase database, NpgsqlConnection connection, NpgsqlTransaction transaction, TimeProvider time, ContentAuthor author) : IEditingWriter
{
    private bool _committed;

    public async Task<UpsertOutcome> UpsertAsync(Incident incident, CancellationToken cancellationToken) =>
        (await WriteAsync(incident, action: null, cancellationToken)).Outcome;

    public async Task<(long Id, string Document, long Revision)?> FindAsync(string slug, CancellationToken cancellationToken) =>
        await FindRowAsync(slug, cancellationToken) is { } row ? (row.Id, row.Document, row.Revision) : null;

    public async Task<(UpsertOutcome Outcome, long Revision)> WriteAsync(Incident incident, string? action, CancellationToken cancellationToken)
    {
        var document = IncidentJson.Serialize(incident);
        var hash = Hash(document);
        var found = await FindRowAsync(incident.Slug, cancellationToken);
        if (found is null)
        {
            if (!author.IsTeam && await IsRemovedAsync(incident.Slug, cancellationToken)) return (UpsertOutcome.Unchanged, 0);
            var id = await ScalarAsync<long>(
                """
                INSERT INTO incidents (slug, title, category, document, content_hash, created_at, updated_at, team_owned)
                VALUES (@Slug, @Title, @Category, @document, @hash, @now, @now, @team) RETURNING id
                """, new { incident.Slug, incident.Title, incident.Category, document, hash, now = time.GetUtcNow(), team = author.IsTeam ? 1L : 0L },
                cancellationToken);
            await InsertDerivedRowsAsync(id, incident, cancellationToken);
            await AuditAsync(incident.Slug, action ?? "add", before: null, after: document, cancellationToken);
            return (UpsertOutcome.Added, 1);
        }

        var row = found;
        if (row.Hash == hash) return (UpsertOutcome.Unchanged, row.Revision);
        if (!author.IsTeam && row.TeamOwned != 0)
        {
            // The team's version stays; its derived rows are still rebuilt when they are built differently now.
            if (row.Hash != Hash(row.Document)) await ReplaceAsync(row.Id, IncidentJson.Parse(row.Document), row.Document, edit: false, cancellationToken);
            if (row.Document == document || row.SeedNoticedHash == hash) return (UpsertOutcome.Unchanged, row.Revision);
            await ExecuteAsync("UPDATE incidents SET seed_noticed_hash = @hash WHERE id = @Id", new { hash, row.Id }, cancellationToken);
            return (UpsertOutcome.KeptTeamVersion, row.Revision);
        }

        if (row.Document == document)
        {
            // Same document, other derivation: rebuild the rows without calling it a change.
            await ReplaceAsync(row.Id, incident, document, edit: false, cancellationToken);
            return (UpsertOutcome.Unchanged, row.Revision);
        }

        await ReplaceAsync(row.Id, incident, document, edit: true, cancellationToken);
        await AuditAsync(incident.Slug, action ?? "update", row.Document, document, cancellationToken);
        return (UpsertOutcome.Updated, row.Revision + 1);
    }

    public async Task<bool> RemoveAsync(string slug, CancellationToken cancellationToken)
    {
        if (await FindRowAsync(slug, cancellationToken) is not { } found) return false;
        await ExecuteAsync(
            """
            INSERT INTO removed_incidents (slug, document, team_owned, removed_at)
                SELECT slug, document, team_owned, @now FROM incidents WHERE id = @Id
            ON CONFLICT (slug) DO UPDATE SET document = excluded.document, team_owned = excluded.team_owned, removed_at = excluded.removed_at;
            DELETE FROM incidents WHERE id = @Id;
            """, new { found.Id, now = time.GetUtcNow() }, cancellationToken);
        await AuditAsync(slug, "remove", found.Document, after: null, cancellationToken);
        return true;
    }

    public Task<string?> TakeRemovedAsync(string slug, CancellationToken cancellationToken) =>
        ScalarAsync<string?>("DELETE FROM removed_incidents WHERE slug = @slug RETURNING document", new { slug }, cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        _committed = true;
        database.NotifyChanged();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed) await transaction.RollbackAsync();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    private async Task<bool> IsRemovedAsync(string slug, CancellationToken cancellationToken) =>
        await ScalarAsync<long>("SELECT count(*) FROM removed_incidents WHERE slug = @slug", new { slug }, cancellationToken) > 0;

    private async Task ReplaceAsync(long id, Incident incident, string document, bool edit, CancellationToken cancellationToken)
    {
        // A rebuild of derived rows (a new derivation version) is not an edit: it keeps revision, owner and updated_at.
        await ExecuteAsync(
            """
            UPDATE incidents SET title = @Title, category = @Category, document = @document, content_hash = @hash,
                updated_at = CASE WHEN @edit = 1 THEN @now ELSE updated_at END, revision = revision + @edit, team_owned = greatest(team_owned, @team)
            WHERE id = @id;
            DELETE FROM incident_names WHERE incident_id = @id;
            DELETE FROM timeline_events WHERE incident_id = @id;
            DELETE FROM passages WHERE incident_id = @id AND feed_item_id IS NULL; -- a linked feed item's passages are the feed store's
            """,
            new
            {
                id,
                incident.Title,
                incident.Category,
                document,
                hash = Hash(document),
                now = time.GetUtcNow(),
                edit = edit ? 1L : 0L,
                team = edit && author.IsTeam ? 1L : 0L,
            }, cancellationToken);
        await InsertDerivedRowsAsync(id, incident, cancellationToken);
    }

    private async Task InsertDerivedRowsAsync(long id, Incident incident, CancellationToken cancellationToken)
    {
        var rows = IncidentRows.From(incident);
        await ExecuteAsync(
            """
            INSERT INTO incident_names (incident_id, kind, name, normalized)
                SELECT @id, k, n, z FROM unnest(@kinds::bigint[], @names::text[], @normalized::text[]) AS r (k, n, z);
            INSERT INTO timeline_events (incident_id, position, date, year, month, day, text)
                SELECT @id, p, d, y, m, dd, t FROM unnest(@positions::bigint[], @dates::text[], @years::bigint[], @months::bigint[], @days::bigint[], @texts::text[])
                AS r (p, d, y, m, dd, t);
            INSERT INTO passages (incident_id, kind, text, date, speaker)
                SELECT @id, k, t, d, s FROM unnest(@passageKinds::text[], @passageTexts::text[], @passageDates::text[], @speakers::text[]) AS r (k, t, d, s);
            """,
            new
            {
                id,
                kinds = rows.Names.Select(n => (long)n.Kind).ToArray(),
                names = rows.Names.Select(n => n.Name).ToArray(),
                normalized = rows.Names.Select(n => n.Normalized).ToArray(),
                positions = rows.Events.Select(e => (long)e.Position).ToArray(),
                dates = rows.Events.Select(e => e.Date).ToArray(),
                years = rows.Events.Select(e => (long)e.Year).ToArray(),
                months = rows.Events.Select(e => (long?)e.Month).ToArray(),
                days = rows.Events.Select(e => (long?)e.Day).ToArray(),
                texts = rows.Events.Select(e => e.Text).ToArray(),
                passageKinds = rows.Passages.Select(p => p.Kind).ToArray(),
                passageTexts = rows.Passages.Select(p => p.Text).ToArray(),
                passageDates = rows.Passages.Select(p => p.Date).ToArray(),
                speakers = rows.Passages.Select(p => p.Speaker).ToArray(),
            }, cancellationToken);
    }

    private Task AuditAsync(string slug, string action, string? before, string? after, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            INSERT INTO incident_changes (slug, action, source, platform, workspace, user_id, user_name, at, before_document, after_document)
            VALUES (@slug, @action, @source, @Platform, @Workspace, @UserId, @UserName, @now, @before, @after)
            """,
            new
            {
                slug,
                action,
                source = author.Source.ToString().ToLowerInvariant(),
                author.Platform,
                author.Workspace,
                author.UserId,
                author.UserName,
                now = time.GetUtcNow(),
                before,
                after,
            }, cancellationToken);

    private async Task<StoredRow?> FindRowAsync(string slug, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition(
            """
            SELECT id AS Id, content_hash AS Hash, document AS Document, team_owned AS TeamOwned, seed_noticed_hash AS SeedNoticedHash, revision AS Revision
            FROM incidents WHERE slug = @slug
            """, new { slug }, transaction, cancellationToken: cancellationToken));

    private Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

    private Task<T> ScalarAsync<T>(string sql, object parameters, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))!;

    private static string Hash(string document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(IncidentRows.DerivationVersion + "\n" + document)));

    private sealed class StoredRow
    {
        public long Id { get; set; }
        public string Hash { get; set; } = "";
        public string Document { get; set; } = "";
        public long TeamOwned { get; set; }
        public string? SeedNoticedHash { get; set; }
        public long Revision { get; set; }
    }
}
