using System.Runtime.InteropServices;
using Bot.Core.Answers;
using Dapper;

namespace Bot.Storage.Answers;

/// <summary>Passage vectors as float32 BLOBs beside the passages (migration 0008).</summary>
public sealed class SqlitePassageVectorStore(SqliteDatabase database) : IPassageVectorStore
{
    public async Task<IReadOnlyList<PassageText>> ListMissingAsync(string model, long beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Titles are never quoted as answers, so they need no vector.
        var rows = await connection.QueryAsync<PassageRow>(new CommandDefinition(
            """
            SELECT p.id AS Id, p.text AS Text
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
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A passage deleted (or rewritten by an edit) since it was read simply gets no vector.
        command.CommandText =
            """
            INSERT OR REPLACE INTO passage_vectors (passage_id, model, vector)
            SELECT $id, $model, $vector WHERE EXISTS (SELECT 1 FROM passages WHERE id = $id)
            """;
        var id = command.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
        command.Parameters.AddWithValue("$model", model);
        var blob = command.Parameters.Add("$vector", Microsoft.Data.Sqlite.SqliteType.Blob);
        foreach (var vector in vectors)
        {
            id.Value = vector.PassageId;
            blob.Value = MemoryMarshal.AsBytes(vector.Vector.AsSpan()).ToArray();
            await command.ExecuteNonQueryAsync(cancellationToken);
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
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, passage_id, vector FROM passage_vectors WHERE seq > $after AND model = $model ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$limit", limit);
        var found = new List<StoredVector>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var bytes = (byte[])reader.GetValue(2);
            found.Add(new StoredVector(reader.GetInt64(0), reader.GetInt64(1), MemoryMarshal.Cast<byte, float>(bytes).ToArray()));
        }

        return found;
    }

    public async Task<IReadOnlyDictionary<long, float[]>> GetAsync(string model, IReadOnlyCollection<long> passageIds, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, float[]>();
        if (passageIds.Count == 0) return found;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Ids are numbers from our own index, joined into the statement only as integers.
        command.CommandText = $"SELECT passage_id, vector FROM passage_vectors WHERE model = $model AND passage_id IN ({string.Join(',', passageIds.Take(1000))})";
        command.Parameters.AddWithValue("$model", model);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found[reader.GetInt64(0)] = MemoryMarshal.Cast<byte, float>((byte[])reader.GetValue(1)).ToArray();
        return found;
    }

    private sealed class PassageRow
    {
        public long Id { get; set; }
        public string Text { get; set; } = "";
    }
}
