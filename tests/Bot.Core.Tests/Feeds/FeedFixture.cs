using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Core.Feeds;
using Bot.Storage.Answers;
using Bot.Storage.Feeds;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Feeds;

/// <summary>A fetcher that serves what the test put in, counts its calls, and can throw as a broken one would.</summary>
public sealed class FakeFeedFetcher : IFeedFetcher
{
    private readonly Dictionary<string, Func<FeedFetchRequest, FeedFetchResult>> _feeds = new(StringComparer.Ordinal);

    public List<FeedFetchRequest> Requests { get; } = [];

    public void Serve(string url, Func<FeedFetchRequest, FeedFetchResult> answer) => _feeds[url] = answer;

    public void Serve(string url, params FetchedFeedItem[] items) =>
        Serve(url, _ => new FeedFetchResult(FeedFetchOutcome.Fetched, items, "Example News", ETag: "\"v1\""));

    public Task<FeedFetchResult> FetchAsync(FeedFetchRequest request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Task.FromResult(_feeds.TryGetValue(request.Url.AbsoluteUri, out var answer) ? answer(request) : FeedFetchResult.Failed("HTTP 404"));
    }
}

/// <summary>The feed domain over a seeded SQLite store and a fake fetcher.</summary>
public sealed class FeedWorld : IAsyncDisposable
{
    private FeedWorld(TestStore store)
    {
        Store = store;
        Feeds = new SqlFeedStore(store.Connections);
        Polling = new FeedPolling(store.Time, new Random(7));
        Linker = new FeedItemLinker(store.Store, store.Time);
        Ingestor = new FeedIngestor(Fetcher, Feeds, Polling, Linker, store.Time, NullLogger<FeedIngestor>.Instance);
        Vectors = new PassageVectorBuilder(new SqlitePassageVectorStore(store.Database), new NoTextEmbedder(), store.Time, NullLogger<PassageVectorBuilder>.Instance);
        Round = new FeedRound(Feeds, Ingestor, Vectors, store.Time, NullLogger<FeedRound>.Instance);
        Triage = new FeedTriage(Feeds, store.Editor, store.Time, CommandNames.Unchanged);
    }

    public TestStore Store { get; }
    public FakeFeedFetcher Fetcher { get; } = new();
    public SqlFeedStore Feeds { get; }
    public FeedPolling Polling { get; }
    public FeedItemLinker Linker { get; }
    public FeedIngestor Ingestor { get; }
    public PassageVectorBuilder Vectors { get; }
    public FeedRound Round { get; }
    public FeedTriage Triage { get; }

    public static async Task<FeedWorld> CreateAsync() => new(await TestStore.CreateAsync(seeded: true));

    public async Task<Feed> AddFeedAsync(string url, string? incident = null, FeedOwner? owner = null) =>
        (await Feeds.AddAsync(owner ?? FeedOwner.Local, url, incident, 15, Store.Time.GetUtcNow(), CancellationToken.None)).Feed;

    public static FetchedFeedItem Item(string? id, string title, string? summary = null, string? link = null, DateTimeOffset? published = null) =>
        new(id, link, title, summary, published ?? new DateTimeOffset(2026, 2, 4, 7, 0, 0, TimeSpan.Zero), null, null);

    public async ValueTask DisposeAsync()
    {
        Linker.Dispose();
        Vectors.Dispose();
        await Store.DisposeAsync();
    }
}
