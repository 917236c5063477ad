using Bot.Core.Feeds;
using Bot.Testing.Feeds;

namespace Bot.Feeds.Tests;

public sealed class FeedFetcherTests : IAsyncLifetime
{
    private FeedServer _server = null!;

    public async Task InitializeAsync() => _server = await FeedServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Task<FeedFetchResult> Fetch(Fetchers fetchers, Uri url, string? etag = null, string? lastModified = null) =>
        fetchers.Fetcher.FetchAsync(new FeedFetchRequest(url, etag, lastModified), CancellationToken.None);

    [Fact]
    public async Task Fetches_rss_atom_and_json_feed_as_plain_items()
    {
        var items = FeedDocuments.Items(3);
        _server.Map("/rss", FeedResponse.Rss(FeedDocuments.Rss("Daily", items)));
        _server.Map("/atom", FeedResponse.Atom(FeedDocuments.Atom("Daily", items)));
        _server.Map("/json", FeedResponse.Json(FeedDocuments.JsonFeed("Daily", items)));
        using var fetchers = Fetchers.Permissive();

        foreach (var path in new[] { "/rss", "/atom", "/json" })
        {
            var result = await Fetch(fetchers, _server.Url(path));
            Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
            Assert.Equal("Daily", result.FeedTitle);
            Assert.Equal(3, result.Items.Count);
            var first = result.Items[0];
            Assert.Equal("item-1", first.ItemId);
            Assert.Equal("Report 1 on the item", first.Title);
            Assert.Equal("https://news.example/item/1", first.Link);
            Assert.Equal("Summary of report 1.", first.Summary);
            Assert.Equal(new DateTimeOffset(2024, 3, 5, 8, 59, 0, TimeSpan.Zero), first.PublishedAt);
            Assert.Equal("Desk", first.Author);
            Assert.Equal(_server.Url(path), result.FinalUrl);
        }
    }

    [Fact]
    public async Task Sends_the_validators_and_reports_not_modified()
    {
        var modified = new DateTimeOffset(2024, 3, 5, 9, 0, 0, TimeSpan.Zero);
        _server.Map("/feed", FeedResponse.Rss(FeedDocuments.Rss("Daily", FeedDocuments.Items(1))) with { ETag = "\"v1\"", LastModified = modified });
        using var fetchers = Fetchers.Permissive();

        var first = await Fetch(fetchers, _server.Url("/feed"));
        Assert.Equal(FeedFetchOutcome.Fetched, first.Outcome);
        Assert.Equal("\"v1\"", first.ETag);
        Assert.Equal("Tue, 05 Mar 2024 09:00:00 GMT", first.LastModified);

        var byEtag = await Fetch(fetchers, _server.Url("/feed"), first.ETag, first.LastModified);
        Assert.Equal(FeedFetchOutcome.NotModified, byEtag.Outcome);
        Assert.Empty(byEtag.Items);
        var byDate = await Fetch(fetchers, _server.Url("/feed"), lastModified: first.LastModified);
        Assert.Equal(FeedFetchOutcome.NotModified, byDate.Outcome);
        var changed = await Fetch(fetchers, _server.Url("/feed"), "\"v0\"");
        Assert.Equal(FeedFetchOutcome.Fetched, changed.Outcome);

        var requests = _server.Requests;
        Assert.Null(requests[0].IfNoneMatch);
        Assert.Equal("\"v1\"", requests[1].IfNoneMatch);
        Assert.Equal("Tue, 05 Mar 2024 09:00:00 GMT", requests[1].IfModifiedSince);
        Assert.Contains("NewsBriefingBot", requests[0].UserAgent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FeedCompression.Gzip, "gzip")]
    [InlineData(FeedCompression.Brotli, "br")]
    public async Task Reads_compressed_bodies(FeedCompression compression, string encoding)
    {
        _server.Map("/feed", FeedResponse.Rss(FeedDocuments.Rss("Zipped", FeedDocuments.Items(5))) with { Compression = compression });
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url("/feed"));

        Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
        Assert.Equal(5, result.Items.Count);
        Assert.Contains(encoding, _server.Requests.Single().AcceptEncoding, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follows_up_to_five_redirects_and_resolves_links_against_the_final_url()
    {
        _server.Map("/final/feed", FeedResponse.Rss(FeedDocuments.Rss("Moved", [new FeedDocumentItem("a", "A", "story/1")])));
        _server.MapRedirect("/r1", "/r2", 301);
        _server.MapRedirect("/r2", "/r3", 302);
        _server.MapRedirect("/r3", "/r4", 303);
        _server.MapRedirect("/r4", "/r5", 307);
        _server.MapRedirect("/r5", "/final/feed", 308);
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url("/r1"));

        Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
        Assert.Equal(_server.Url("/final/feed"), result.FinalUrl);
        Assert.Equal(_server.Url("/final/story/1").AbsoluteUri, result.Items.Single().Link);
    }

    [Fact]
    public async Task Stops_at_the_sixth_redirect_and_at_a_loop()
    {
        for (var i = 0; i < 6; i++) _server.MapRedirect($"/hop{i}", $"/hop{i + 1}");
        _server.Map("/hop6", FeedResponse.Rss(FeedDocuments.Rss("Far", [])));
        _server.MapRedirect("/loop-a", "/loop-b");
        _server.MapRedirect("/loop-b", "/loop-a");
        using var fetchers = Fetchers.Permissive();

        var tooMany = await Fetch(fetchers, _server.Url("/hop0"));
        var loop = await Fetch(fetchers, _server.Url("/loop-a"));

        Assert.Equal(FeedFetchOutcome.Failed, tooMany.Outcome);
        Assert.Equal("too many redirects (more than 5)", tooMany.Problem);
        Assert.Equal(0, _server.Hits("/hop6"));
        Assert.Equal(FeedFetchOutcome.Failed, loop.Outcome);
        Assert.Equal("redirect loop", loop.Problem);
    }

    [Fact]
    public async Task Refuses_a_redirect_to_another_scheme()
    {
        _server.MapRedirect("/to-file", "file:///etc/passwd");
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url("/to-file"));

        Assert.Equal(FeedFetchOutcome.Refused, result.Outcome);
        Assert.Equal("refused: only http and https feeds, not file (redirected)", result.Problem);
    }

    [Theory]
    [InlineData(404, "HTTP 404")]
    [InlineData(500, "HTTP 500")]
    [InlineData(410, "HTTP 410")]
    public async Task Reports_error_statuses(int status, string problem)
    {
        _server.Map("/feed", new FeedResponse("gone") { Status = status });
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url("/feed"));

        Assert.Equal(FeedFetchOutcome.Failed, result.Outcome);
        Assert.Equal(problem, result.Problem);
    }

    [Fact]
    public async Task Stops_a_50_MB_body_at_the_cap_with_or_without_a_length()
    {
        _server.MapLarge("/large", 50L * 1024 * 1024);
        _server.MapLarge("/large-chunked", 50L * 1024 * 1024, sendLength: false);
        using var fetchers = Fetchers.Permissive();

        var declared = await Fetch(fetchers, _server.Url("/large"));
        var chunked = await Fetch(fetchers, _server.Url("/large-chunked"));

        Assert.Equal("too large: over 5 MB", declared.Problem);
        Assert.Equal(FeedFetchOutcome.Failed, chunked.Outcome);
        Assert.Equal("too large: over 5 MB", chunked.Problem);
    }

    [Fact]
    public async Task Caps_the_decompressed_size_not_the_wire_size()
    {
        // 2 MB of one letter gzips to a few KB: the cap must count what comes out of the decompressor.
        var feed = FeedDocuments.Rss("Bomb", [new FeedDocumentItem("a", new string('a', 2 * 1024 * 1024))]);
        _server.Map("/bomb", FeedResponse.Rss(feed) with { Compression = FeedCompression.Gzip });
        using var fetchers = Fetchers.Permissive(new() { ["Feeds:MaxBytes"] = "1048576" });

        var result = await Fetch(fetchers, _server.Url("/bomb"));

        Assert.Equal("too large: over 1 MB", result.Problem);
    }

    [Fact]
    public async Task An_endless_feed_stops_at_the_cap()
    {
        _server.MapEndless("/endless");
        using var fetchers = Fetchers.Permissive(new() { ["Feeds:MaxBytes"] = "65536" });

        var result = await Fetch(fetchers, _server.Url("/endless"));

        Assert.Equal(FeedFetchOutcome.Failed, result.Outcome);
        Assert.Equal("too large: over 64 KB", result.Problem);
    }

    [Fact]
    public async Task A_slow_endless_feed_stops_at_the_deadline()
    {
        _server.MapEndless("/trickle", TimeSpan.FromMilliseconds(50));
        using var fetchers = Fetchers.Permissive(new() { ["Feeds:TimeoutSeconds"] = "1" });

        var result = await Fetch(fetchers, _server.Url("/trickle"));

        Assert.Equal(FeedFetchOutcome.Failed, result.Outcome);
        Assert.Equal("timed out after 1 s", result.Problem);
    }

    [Fact]
    public async Task A_slow_but_finite_feed_within_the_deadline_is_read()
    {
        _server.MapSlow("/slow", FeedDocuments.Rss("Slow", FeedDocuments.Items(2)), TimeSpan.FromMilliseconds(5), chunkSize: 256);
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url("/slow"));

        Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
        Assert.Equal(2, result.Items.Count);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        _server.MapEndless("/trickle", TimeSpan.FromMilliseconds(50));
        using var fetchers = Fetchers.Permissive();
        using var cancel = new CancellationTokenSource();

        var fetch = fetchers.Fetcher.FetchAsync(new FeedFetchRequest(_server.Url("/trickle")), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
    }

    [Theory]
    [InlineData("/html", "not a feed: an HTML page")]
    [InlineData("/malformed", "malformed feed:")]
    [InlineData("/bomb", "malformed feed:")]
    [InlineData("/xxe", "malformed feed:")]
    [InlineData("/empty", "not a feed: the document is empty")]
    [InlineData("/text", "not a feed: neither XML nor JSON")]
    [InlineData("/json", "not a feed: JSON without a JSON Feed version")]
    [InlineData("/other-xml", "not a feed: an XML document whose root is <config>")]
    public async Task Documents_that_are_not_feeds_fail_with_a_reason(string path, string problem)
    {
        _server.Map("/html", FeedResponse.Html(FeedDocuments.HtmlPage));
        _server.Map("/malformed", FeedResponse.Rss(FeedDocuments.MalformedXml));
        _server.Map("/bomb", FeedResponse.Rss(FeedDocuments.EntityBomb));
        _server.Map("/xxe", FeedResponse.Rss(FeedDocuments.ExternalEntity));
        _server.Map("/empty", FeedResponse.Rss("  \n"));
        _server.Map("/text", new FeedResponse("hello", "text/plain"));
        _server.Map("/json", FeedResponse.Json("{\"items\":[]}"));
        _server.Map("/other-xml", FeedResponse.Rss("<config><a/></config>"));
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url(path));

        Assert.Equal(FeedFetchOutcome.Failed, result.Outcome);
        Assert.StartsWith(problem, result.Problem, StringComparison.Ordinal);
        Assert.Empty(result.Items);
    }

    [Fact]
    public async Task A_feed_served_with_the_wrong_content_type_is_still_read()
    {
        _server.Map("/feed", new FeedResponse(FeedDocuments.Atom("Mislabelled", FeedDocuments.Items(2)), "text/html"));
        using var fetchers = Fetchers.Permissive();

        var result = await Fetch(fetchers, _server.Url("/feed"));

        Assert.Equal(FeedFetchOutcome.Fetched, result.Outcome);
        Assert.Equal(2, result.Items.Count);
    }

    [Fact]
    public async Task Hostile_titles_come_out_plain_and_clipped()
    {
        _server.Map("/long", FeedResponse.Rss(FeedDocuments.LongTitle()));
        _server.Map("/hostile", FeedResponse.Rss(FeedDocuments.ScriptsAndMentions()));
        _server.Map("/dupes", FeedResponse.Rss(FeedDocuments.DuplicateGuids()));
        using var fetchers = Fetchers.Permissive();

        var longTitle = (await Fetch(fetchers, _server.Url("/long"))).Items.Single().Title;
        var hostile = (await Fetch(fetchers, _server.Url("/hostile"))).Items;
        var dupes = (await Fetch(fetchers, _server.Url("/dupes"))).Items;

        Assert.Equal(300, longTitle.Length);
        Assert.EndsWith("…", longTitle, StringComparison.Ordinal);
        Assert.Equal("Breaking news & more", hostile[0].Title);
        Assert.Equal("Body text", hostile[0].Summary);
        Assert.DoesNotContain("alert", hostile[0].Title + hostile[0].Summary, StringComparison.Ordinal);
        // Mention syntax is kept as text here; the chat adapters neutralise mentions when they render.
        Assert.Equal("Ping <@everyone> and and @here", hostile[1].Title);
        // Duplicates are the store's business: the fetcher hands over what the document says.
        Assert.Equal(["same-guid", "same-guid", "other"], dupes.Select(i => i.ItemId));
    }
}
