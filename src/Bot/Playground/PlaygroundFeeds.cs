using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Feeds;
using Bot.Core.Incidents;

namespace Bot.Playground;

/// <summary>
/// The playground's feeds pane: the local workspace's feeds with their health, and its newest items with the
/// incidents they were linked to. The page gets a snapshot when it connects and a new one whenever the store
/// changed (items polled by the host, by <c>bot feeds poll</c> in another process, a feed added in the chat).
/// </summary>
public static class PlaygroundFeeds
{
    public const int ItemsShown = 50;
    /// <summary>How often an open page's stream looks at the store's content version (a cheap read).</summary>
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    /// <summary>A comment line now and then, so a proxy or the browser does not drop a quiet stream.</summary>
    private static readonly TimeSpan KeepAliveEvery = TimeSpan.FromSeconds(20);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record FeedView(
        string Url, string Outlet, string? Title, string Status, string? LastError, string? DisabledReason,
        DateTimeOffset? FailingSince, DateTimeOffset? LastFetchedAt, int ItemCount, string? Incident);

    public sealed record IncidentLink(string Slug, string Title);

    public sealed record ItemView(
        long Id, string Title, string? Link, string Outlet, DateTimeOffset PublishedAt, bool HasDate, DateTimeOffset FirstSeenAt,
        string Triage, IReadOnlyList<IncidentLink> Incidents);

    /// <param name="Polling">False when the host has no feed fetcher: feeds are listed but never fetched.</param>
    public sealed record Snapshot(bool Polling, IReadOnlyList<FeedView> Feeds, IReadOnlyList<ItemView> Items);

    public sealed record PollSummary(int Feeds, int New, int Updated, int ToTriage, IReadOnlyList<string> Problems);

    public static async Task<Snapshot> ReadAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IFeedStore>();
        var incidents = services.GetRequiredService<IIncidentStore>();
        var feeds = await store.ListAsync(FeedOwner.Local, cancellationToken);
        var items = await store.ListRecentAsync(FeedOwner.Local, ItemsShown, cancellationToken);
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var slug in items.SelectMany(i => i.Incidents).Distinct(StringComparer.Ordinal))
            titles[slug] = (await incidents.GetAsync(slug, cancellationToken))?.Title ?? slug;

        return new Snapshot(
            services.GetService<IFeedFetcher>() is not null,
            [.. feeds.Select(f => new FeedView(f.Url, f.Outlet, f.Title, FeedsCommand.StatusLabel(f), f.LastError, f.DisabledReason,
                f.FailingSince, f.LastFetchedAt, f.ItemCount, f.IncidentSlug))],
            [.. items.Select(i => new ItemView(i.Id, i.Title, i.Link, i.Outlet, i.PublishedAt, i.HasDate, i.FirstSeenAt,
                i.Triage.ToString().ToLowerInvariant(), [.. i.Incidents.Select(s => new IncidentLink(s, titles[s]))]))]);
    }

    internal static void Map(RouteGroupBuilder endpoints)
    {
        endpoints.MapGet("/playground/feeds", async (IServiceProvider services, CancellationToken ct) =>
            Results.Json(await ReadAsync(services, ct), Json));

        endpoints.MapPost("/playground/feeds/poll", async (IServiceProvider services, CancellationToken ct) =>
        {
            if (services.GetService<IFeedFetcher>() is null)
                return Results.Text("This host has no feed fetcher, so feeds are not polled.", statusCode: StatusCodes.Status409Conflict);
            var reports = await services.GetRequiredService<FeedRound>().RunNowAsync(FeedOwner.Local, ct);
            return Results.Json(new PollSummary(
                reports.Count, reports.Sum(r => r.New), reports.Sum(r => r.Updated), reports.Sum(r => r.ToTriage),
                [.. reports.Where(r => r.Problem is not null).Select(r => $"{r.Feed.Outlet}: {r.Problem}")]), Json);
        });

        endpoints.MapGet("/playground/feeds/events", async (HttpContext http, IServiceProvider services, IContentVersion version, IHostApplicationLifetime lifetime, TimeProvider time) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
            var ct = stop.Token;
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            string? sent = null;
            long? seen = null;
            var quietSince = time.GetTimestamp();
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var current = version.Current;
                    if (current != seen)
                    {
                        seen = current;
                        var snapshot = JsonSerializer.Serialize(await ReadAsync(services, ct), Json);
                        // A commit elsewhere in the store (an answer logged, an edit) changes nothing here: say nothing.
                        if (snapshot != sent)
                        {
                            sent = snapshot;
                            await http.Response.WriteAsync($"data: {snapshot}\n\n", ct);
                            await http.Response.Body.FlushAsync(ct);
                            quietSince = time.GetTimestamp();
                        }
                    }

                    if (time.GetElapsedTime(quietSince) >= KeepAliveEvery)
                    {
                        await http.Response.WriteAsync(": still here\n\n", ct);
                        await http.Response.Body.FlushAsync(ct);
                        quietSince = time.GetTimestamp();
                    }

                    await Task.Delay(CheckEvery, time, ct);
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away, or the host is stopping.
            }
        });
    }
}
