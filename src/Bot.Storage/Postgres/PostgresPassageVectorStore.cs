using Bot.Core.Answers;
using Dapper;

namespace Bot.Storage.Postgres;

/// <summary>Passage vectors as real[] beside the passages (Migrations/Postgres/0008); no extension needed.</summary>
public sealed class PostgresPassageVectorStore(PostgresDatabase database) : IPassageVectorStore
{
    public async Task<IReadOnlyList<PassageText>> ListMissingAsync(string model, long beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Titles are never quoted as answers, so they need no vector.
        var rows = await connection.QueryAsync<(long Id, string Text)>(new CommandDefinition(
            """
            SELECT p.id, p.text
            FROM passages p LEFT JOIN passage_vectors v ON v.passage_id = p.id
            WHERE p.id < @beforeId AND p.kind <> 'title' AND (v.passage_id IS NULL OR v.model <> @model)
            ORDER BY p.id DESC
            LIMIT @limit
            """, new { model, beforeId, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new PassageText(r.Id, r.Text)).ToList();
    }

    public async Task SaveAsync(string model, IReadOnlyList<PassageVector> vectors, CancellationToken cancellationToken)
    {
        if (vectors.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var vector in vectors)
        {
            // A passage deleted (or rewritten by an edit) since it was read simply gets no vector. A replaced
            // vector takes a new seq, so other instances load it as new.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO passage_vectors (passage_id, model, vector)
                SELECT @id, @model, @vector WHERE EXISTS (SELECT 1 FROM passages WHERE id = @id)
                ON CONFLICT (passage_id) DO UPDATE
                    SET model = excluded.model, vector = excluded.vector, seq = nextval(pg_get_serial_sequence('passage_vectors', 'seq'))
                """, new { id = vector.PassageId, model, vector = vector.Vector }, transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<VectorProgress> GetProgressAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var (with, total) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM passage_vectors WHERE model = @model),
                   (SELECT count(*) FROM passages WHERE kind <> 'title')
            """, new { model }, cancellationToken: cancellationToken));
        return new VectorProgress(with, total);
    }

    public async Task<long> GetLastSequenceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT coalesce(max(seq), 0) FROM passage_vectors", cancellationToken: cancellationToken));
    }

    public async Task<long> CountAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM passage_vectors WHERE model = @model", new { model }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredVector>> ReadAsync(string model, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long Seq, long PassageId, float[] Vector)>(new CommandDefinition(
            "SELECT seq, passage_id, vector FROM passage_vectors WHERE seq > @afterSequence AND model = @model ORDER BY seq LIMIT @limit",
            new { afterSequence, model, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new StoredVector(r.Seq, r.PassageId, r.Vector)).ToList();
    }

    public async Task<IReadOnlyDictionary<long, float[]>> GetAsync(string model, IReadOnlyCollection<long> passageIds, CancellationToken cancellationToken)
    {
        if (passageIds.Count == 0) return new Dictionary<long, float[]>();
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long PassageId, float[] Vector)>(new CommandDefinition(
            "SELECT passage_id, vector FROM passage_vectors WHERE model = @model AND passage_id = ANY(@ids)",
            new { model, ids = passageIds.Take(1000).ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.PassageId, r => r.Vector);
    }
}
