using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Bot.Core.Answers;

/// <summary>
/// Passage vectors in memory, searched by brute force. Each vector is kept as one signed byte per
/// dimension with its own scale: a quarter of the memory of floats (20,000 incidents are about
/// 300,000 passages: 115 MB instead of 460 MB) and a scan that reads four times fewer bytes, for a
/// ranking that moves by a few thousandths at most. One writer appends; readers search the part that
/// was complete when they started, so a search never waits for a load.
/// </summary>
public sealed class VectorIndex
{
    private sealed record Rows(long[] Ids, sbyte[] Values, float[] Scales, int Count);

    private readonly int _dimensions;
    private Rows _rows;

    public VectorIndex(int dimensions, int capacity = 1024)
    {
        _dimensions = dimensions;
        _rows = new Rows(new long[capacity], new sbyte[capacity * dimensions], new float[capacity], 0);
    }

    public int Dimensions => _dimensions;

    public int Count => Volatile.Read(ref _rows).Count;

    /// <summary>Bytes held, for the memory figures.</summary>
    public long Bytes
    {
        get
        {
            var rows = Volatile.Read(ref _rows);
            return rows.Values.LongLength + rows.Ids.LongLength * 8 + rows.Scales.LongLength * 4;
        }
    }

    /// <summary>Appends vectors; only one thread may add at a time (the loader holds a lock).</summary>
    public void Add(IReadOnlyList<(long Id, float[] Vector)> vectors)
    {
        var rows = _rows;
        var needed = rows.Count + vectors.Count;
        if (needed > rows.Ids.Length)
        {
            var capacity = Math.Max(needed, rows.Ids.Length * 2);
            var ids = new long[capacity];
            var values = new sbyte[(long)capacity * _dimensions];
            var scales = new float[capacity];
            Array.Copy(rows.Ids, ids, rows.Count);
            Array.Copy(rows.Values, values, (long)rows.Count * _dimensions);
            Array.Copy(rows.Scales, scales, rows.Count);
            rows = new Rows(ids, values, scales, rows.Count);
        }

        var count = rows.Count;
        foreach (var (id, vector) in vectors)
        {
            if (vector.Length != _dimensions) continue;
            rows.Ids[count] = id;
            rows.Scales[count] = Quantize(vector, rows.Values.AsSpan(count * _dimensions, _dimensions));
            count++;
        }

        // Readers see the new rows only once they are written in full.
        Volatile.Write(ref _rows, rows with { Count = count });
    }

    /// <summary>The <paramref name="limit"/> passages nearest to <paramref name="query"/> (a unit vector), best first, with their cosine.</summary>
    public IReadOnlyList<(long Id, float Similarity)> Search(ReadOnlySpan<float> query, int limit) => SearchDistinct(query, limit, sameFrom: float.PositiveInfinity);

    /// <summary>
    /// Like <see cref="Search"/>, but a passage whose vector is nearly that of nearer ones already chosen (cosine at least
    /// <paramref name="sameFrom"/>) is passed over as <see cref="NearCopies"/> says.
    /// </summary>
    public IReadOnlyList<(long Id, float Similarity)> SearchDistinct(ReadOnlySpan<float> query, int limit, float sameFrom)
    {
        var rows = Volatile.Read(ref _rows);
        if (rows.Count == 0 || query.Length != _dimensions || limit <= 0) return [];
        Span<sbyte> q = _dimensions <= 1024 ? stackalloc sbyte[_dimensions] : new sbyte[_dimensions];
        var queryScale = Quantize(query, q);
        var distinct = float.IsFinite(sameFrom);
        var fetch = distinct ? limit * DistinctOverfetch : limit;

        var querySpan = q.ToArray();
        // A large index is scanned in parts on all cores (a question waits on the scan); a small one in one go.
        var parts = rows.Count >= ParallelFrom ? Math.Min(Environment.ProcessorCount, 4) : 1;
        var found = new List<(int Row, float Score)>();
        if (parts == 1)
        {
            found.AddRange(Scan(rows, querySpan, 0, rows.Count, fetch));
        }
        else
        {
            var partial = new List<(int, float)>[parts];
            Parallel.For(0, parts, part =>
            {
                var from = (int)((long)rows.Count * part / parts);
                var to = (int)((long)rows.Count * (part + 1) / parts);
                partial[part] = Scan(rows, querySpan, from, to, fetch);
            });
            found.AddRange(partial.SelectMany(p => p));
        }

        // Ties broken by row, so equal vectors always give the same answer whichever part found them.
        var nearest = found.OrderByDescending(f => f.Score).ThenBy(f => f.Row).ToList();
        var chosen = distinct ? NearCopies.Thin(nearest, limit, (a, b) => Cosine(rows, a.Row, b.Row) >= sameFrom) : nearest.Take(limit);

        return chosen.Select(f => (rows.Ids[f.Row], f.Score * queryScale)).ToList();
    }

    /// <summary>How many times more than asked a distinct search ranks: a sentence may recur in hundreds of incidents.</summary>
    private const int DistinctOverfetch = 25;

    private float Cosine(Rows rows, int a, int b) =>
        Dot(rows.Values.AsSpan(a * _dimensions, _dimensions), rows.Values.AsSpan(b * _dimensions, _dimensions)) * rows.Scales[a] * rows.Scales[b];

    private const int ParallelFrom = 50_000;

    private List<(int Row, float Score)> Scan(Rows rows, sbyte[] query, int from, int to, int limit)
    {
        // A min-heap of the best so far: the root is the one to beat.
        var heap = new PriorityQueue<int, float>(limit + 1);
        var floor = float.MinValue;
        var values = rows.Values;
        var scales = rows.Scales;
        for (var i = from; i < to; i++)
        {
            var dot = Dot(query, values.AsSpan(i * _dimensions, _dimensions));
            // Compared on the scaled score: each row has its own scale.
            var score = dot * scales[i];
            if (heap.Count < limit)
            {
                heap.Enqueue(i, score);
                if (heap.Count == limit) heap.TryPeek(out _, out floor);
            }
            else if (score > floor)
            {
                heap.EnqueueDequeue(i, score);
                heap.TryPeek(out _, out floor);
            }
        }

        var found = new List<(int, float)>(heap.Count);
        while (heap.TryDequeue(out var row, out var scaled)) found.Add((row, scaled));
        return found;
    }

    /// <summary>Symmetric int8: the largest component maps to ±127. Returns the factor back to floats.</summary>
    private static float Quantize(ReadOnlySpan<float> vector, Span<sbyte> into)
    {
        var max = 0f;
        foreach (var v in vector) max = Math.Max(max, Math.Abs(v));
        if (max == 0 || float.IsNaN(max) || float.IsInfinity(max))
        {
            into.Clear();
            return 0;
        }

        var scale = 127f / max;
        for (var i = 0; i < vector.Length; i++) into[i] = (sbyte)Math.Round(vector[i] * scale);
        return 1f / scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && a.Length >= 32)
        {
            var acc = Vector256<int>.Zero;
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            for (; i <= a.Length - 32; i += 32)
            {
                var va = Vector256.LoadUnsafe(ref ra, (nuint)i);
                var vb = Vector256.LoadUnsafe(ref rb, (nuint)i);
                var (alo, ahi) = Vector256.Widen(va);
                var (blo, bhi) = Vector256.Widen(vb);
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(alo, blo));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(ahi, bhi));
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && a.Length >= 16)
        {
            var acc = Vector128<int>.Zero;
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            for (; i <= a.Length - 16; i += 16)
            {
                var (alo, ahi) = Vector128.Widen(Vector128.LoadUnsafe(ref ra, (nuint)i));
                var (blo, bhi) = Vector128.Widen(Vector128.LoadUnsafe(ref rb, (nuint)i));
                var (p1, p2) = Vector128.Widen(alo * blo);
                var (p3, p4) = Vector128.Widen(ahi * bhi);
                acc += p1 + p2 + p3 + p4;
            }

            sum = Vector128.Sum(acc);
        }

        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
