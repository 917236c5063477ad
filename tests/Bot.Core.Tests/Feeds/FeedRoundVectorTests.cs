using Bot.Core.Answers;
using Bot.Core.Feeds;
using Bot.Storage.Answers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Feeds;

public class FeedRoundVectorTests
{
    [Fact]
    public async Task Without_a_background_builder_a_round_builds_the_new_passages_vectors_itself()
    {
        await using var world = await FeedWorld.CreateAsync();
        var embedder = new CountingEmbedder();
        using var round = RoundWith(world, embedder, background: null);
        var feed = await world.AddFeedAsync("https://news.example/rss");
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Spy balloon shot down off South Carolina"));

        var reports = await round.RunAsync(10, CancellationToken.None);

        Assert.Equal(1, Assert.Single(reports).New);
        Assert.True(embedder.Passages > 0, "the round should have built the vectors before returning");
    }

    [Fact]
    public async Task In_the_host_a_round_leaves_the_vectors_to_the_background_builder_and_returns_at_once()
    {
        await using var world = await FeedWorld.CreateAsync();
        var embedder = new CountingEmbedder();
        using var round = RoundWith(world, embedder, new VectorsBuiltInBackground());
        var feed = await world.AddFeedAsync("https://news.example/rss");
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Spy balloon shot down off South Carolina"));

        var reports = await round.RunAsync(10, CancellationToken.None);

        Assert.Equal(1, Assert.Single(reports).New);
        Assert.Equal(0, embedder.Passages);
    }

    private static FeedRound RoundWith(FeedWorld world, ITextEmbedder embedder, VectorsBuiltInBackground? background) =>
        new(world.Feeds, world.Ingestor,
            new PassageVectorBuilder(new SqlitePassageVectorStore(world.Store.Database), embedder, world.Store.Time, NullLogger<PassageVectorBuilder>.Instance),
            world.Store.Time, NullLogger<FeedRound>.Instance, background);

    /// <summary>Counts the passages it is asked to encode; the vectors themselves do not matter here.</summary>
    private sealed class CountingEmbedder : ITextEmbedder
    {
        public int Passages { get; private set; }
        public string ModelName => "counting";
        public int Dimensions => 4;
        public bool IsEnabled => true;
        public bool IsLoaded => true;
        public Task LoadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public float[] EmbedQuery(string question) => [1, 0, 0, 0];

        public float[][] EmbedPassages(IReadOnlyList<string> passages, CancellationToken cancellationToken)
        {
            Passages += passages.Count;
            return passages.Select(_ => new float[] { 1, 0, 0, 0 }).ToArray();
        }
    }
}
