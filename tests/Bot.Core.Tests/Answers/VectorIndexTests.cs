using Bot.Core.Answers;

namespace Bot.Core.Tests.Answers;

public class VectorIndexTests
{
    private static float[] Unit(Random random, int dimensions)
    {
        var v = new float[dimensions];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        var norm = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    [Fact]
    public void Brute_force_search_over_bytes_ranks_like_exact_float_search()
    {
        var random = new Random(7);
        var vectors = Enumerable.Range(0, 2000).Select(i => ((long)i + 100, Unit(random, 384))).ToList();
        var index = new VectorIndex(384, capacity: 16);
        foreach (var chunk in vectors.Chunk(300)) index.Add(chunk);
        var query = Unit(random, 384);

        var found = index.Search(query, 10);

        var exact = vectors.Select(v => (v.Item1, Similarity: v.Item2.Zip(query, (a, b) => a * b).Sum())).OrderByDescending(v => v.Similarity).Take(10).ToList();
        Assert.Equal(2000, index.Count);
        Assert.Equal(10, found.Count);
        Assert.Equal(exact[0].Item1, found[0].Id);
        Assert.True(found.Select(f => f.Id).Intersect(exact.Select(e => e.Item1)).Count() >= 9);
        Assert.All(found.Zip(exact), pair => Assert.InRange(pair.First.Similarity, pair.Second.Similarity - 0.02, pair.Second.Similarity + 0.02));
    }

    [Fact]
    public void An_empty_index_or_a_wrong_sized_query_finds_nothing()
    {
        var index = new VectorIndex(4);
        Assert.Empty(index.Search([1, 0, 0, 0], 5));
        index.Add([(1, [1f, 0, 0, 0])]);
        Assert.Empty(index.Search([1, 0, 0], 5));
        Assert.Equal(1, Assert.Single(index.Search([1, 0, 0, 0], 5)).Id);
    }

    [Fact]
    public void A_distinct_search_passes_over_near_copies_to_reach_a_different_passage()
    {
        var random = new Random(11);
        var query = Unit(random, 64);
        // Fifty near-copies of one sentence, all nearer the question than the one different passage.
        var copy = query.Select((x, i) => x + (i % 2 == 0 ? 0.3f : -0.3f) / 8).ToArray();
        var index = new VectorIndex(64);
        index.Add(Enumerable.Range(0, 50).Select(i => ((long)i, Normalize(copy.Select(x => x + (float)(random.NextDouble() - 0.5) * 0.004f).ToArray()))).ToList());
        var different = Normalize(query.Select((x, i) => i < 32 ? x : -x * 0.2f).ToArray());
        index.Add([(99, different)]);

        var plain = index.Search(query, 5);
        var distinct = index.SearchDistinct(query, 5, sameFrom: 0.95f);

        Assert.DoesNotContain(plain, f => f.Id == 99);
        Assert.Equal(3, distinct.Count);
        Assert.Equal(99, distinct[^1].Id);
        Assert.All(distinct.Take(2), f => Assert.InRange(f.Id, 0, 49));
    }

    private static float[] Normalize(float[] v)
    {
        var norm = (float)Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }
}
