using Bot.Core.Answers;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Storage.Briefings;
using Bot.Storage.Chat;
using Bot.Testing;
using Dapper;

namespace Bot.Storage.Tests;

/// <summary>The ports the core uses beyond incidents, read back through the same calls on both providers.</summary>
public abstract class StorePortsTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : StorePortsTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : StorePortsTests(fixture.Server);

    private static readonly DateOnly Day = new(2026, 2, 4);

    [Fact]
    public async Task Votes_are_counted_per_answer_and_a_voter_can_change_their_mind()
    {
        await using var store = await NewStoreAsync();
        var answers = store.Answers;
        var answer = new Answer { Answered = true, Text = "On 4 February 2023.", IncidentSlug = "balloon", Confidence = 0.8 };
        var id = await answers.RecordAsync(new AnsweredQuestion("slack", "C1", "When was it shot down?", answer, store.Time.GetUtcNow()), None);
        var quiet = await answers.RecordAsync(new AnsweredQuestion("discord", null, "Nobody votes on this", answer with { Answered = false }, store.Time.GetUtcNow()), None);

        Assert.True(await answers.VoteAsync(id, 1, "U1", None));
        Assert.True(await answers.VoteAsync(id, -1, "U2", None));
        Assert.True(await answers.VoteAsync(id, -5, "U1", None));
        Assert.False(await answers.VoteAsync(quiet + 100, 1, "U1", None));

        var entry = Assert.Single(await answers.ListFeedbackAsync(10, None));
        Assert.Equal((id, "When was it shot down?", "balloon", true, 0, 2), (entry.AnswerId, entry.Question, entry.IncidentSlug, entry.Answered, entry.Up, entry.Down));
        Assert.Equal(store.Time.GetUtcNow(), entry.At);
    }

    [Fact]
    public async Task Vectors_round_trip_and_a_replaced_vector_is_read_again_as_new()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("vectors") with { Facts = ["The zeppelin drifted east.", "It landed in a field."] });
        var missing = await store.Vectors.ListMissingAsync("model-a", long.MaxValue, 100, None);
        Assert.NotEmpty(missing);
        var vectors = missing.Select((p, i) => new PassageVector(p.Id, [i, 0.5f, -1.25f, float.Epsilon])).ToList();

        await store.Vectors.SaveAsync("model-a", vectors, None);

        Assert.Empty(await store.Vectors.ListMissingAsync("model-a", long.MaxValue, 100, None));
        Assert.Equal(missing.Count, await store.Vectors.CountAsync("model-a", None));
        Assert.Equal(new VectorProgress(missing.Count, missing.Count), await store.Vectors.GetProgressAsync("model-a", None));
        var read = await store.Vectors.ReadAsync("model-a", 0, 100, None);
        Assert.Equal(vectors.Select(v => (v.PassageId, string.Join(',', v.Vector))).Order(),
            read.Select(v => (v.PassageId, string.Join(',', v.Vector))).Order());
        var last = await store.Vectors.GetLastSequenceAsync(None);
        Assert.Equal(read.Max(v => v.Sequence), last);
        var one = vectors[0].PassageId;
        Assert.Equal(vectors[0].Vector, (await store.Vectors.GetAsync("model-a", [one, -1], None))[one]);

        // Another model's vector replaces it and takes a new sequence, so an instance holding up to `last` loads it.
        await store.Vectors.SaveAsync("model-b", [new PassageVector(one, [1f, 2f])], None);
        var newer = Assert.Single(await store.Vectors.ReadAsync("model-b", last, 100, None));
        Assert.Equal(one, newer.PassageId);
        Assert.Contains(await store.Vectors.ListMissingAsync("model-a", long.MaxValue, 100, None), p => p.Id == one);

        // A passage gone since it was read gets no vector, and no error.
        await store.Vectors.SaveAsync("model-a", [new PassageVector(one + 10_000, [1f])], None);
    }

    [Fact]
    public async Task Subscriptions_are_listed_by_any_filter_and_a_change_clears_a_failure()
    {
        await using var store = await NewStoreAsync();
        var subscriptions = store.Subscriptions;
        var digest = await subscriptions.SaveAsync(Digest("discord", "G1", "C1"), None);
        await subscriptions.SaveAsync(Digest("slack", "T1", "C9") with { Kind = BriefingKind.OnThisDay }, None);
        await subscriptions.MarkFailingAsync(digest.Id, "missing access", None);
        store.Time.Advance(TimeSpan.FromMinutes(5));
        await subscriptions.MarkFailingAsync(digest.Id, "still missing", None);

        var failing = (await subscriptions.GetAsync(digest.Id, None))!;
        Assert.Equal(("still missing", new DateTimeOffset(2026, 2, 4, 8, 0, 0, TimeSpan.Zero)), (failing.FailureReason, failing.FailingSince));
        Assert.Equal(2, (await subscriptions.ListAsync(null, null, null, None)).Count);
        Assert.Equal("C9", Assert.Single(await subscriptions.ListAsync("slack", null, null, None)).Channel);
        Assert.Equal("C1", Assert.Single(await subscriptions.ListAsync(null, "G1", "C1", None)).Channel);

        var moved = await subscriptions.SaveAsync(Digest("discord", "G1", "C1") with { LocalTime = new TimeOnly(7, 30), TimeZone = "Europe/Berlin" }, None);
        Assert.Equal((digest.Id, new TimeOnly(7, 30), "Europe/Berlin", null), (moved.Id, moved.LocalTime, moved.TimeZone, moved.FailureReason));
        Assert.False(await subscriptions.RemoveAsync("discord", "G1", "C1", BriefingKind.OnThisDay, None));
        Assert.True(await subscriptions.RemoveAsync("discord", "G1", "C1", BriefingKind.Digest, None));
    }

    [Fact]
    public async Task The_outbox_claims_once_retries_when_due_and_remembers_what_it_featured()
    {
        await using var store = await NewStoreAsync();
        var subscription = await store.Subscriptions.SaveAsync(Digest("discord", "G1", "C1"), None);
        var deliveries = store.Deliveries;
        var message = new ChatMessage { Title = "Digest", Text = "Today." };
        var now = store.Time.GetUtcNow();

        var delivery = await deliveries.CreateAsync(subscription.Id, Day, message, "balloon", None);
        var again = await deliveries.CreateAsync(subscription.Id, Day, new ChatMessage { Title = "Other", Text = "Lost race." }, null, None);
        Assert.Equal((delivery.Id, "Digest", DeliveryStatus.Pending), (again.Id, again.Message!.Title, again.Status));
        Assert.Equal([delivery.Id], (await deliveries.DueAsync(now, 10, None)).Select(d => d.Id));

        Assert.True(await deliveries.TryClaimAsync(delivery.Id, now, now.AddMinutes(1), None));
        Assert.False(await deliveries.TryClaimAsync(delivery.Id, now, now.AddMinutes(1), None));
        Assert.Empty(await deliveries.DueAsync(now, 10, None));
        await deliveries.MarkRetryAsync(delivery.Id, "timeout", now.AddSeconds(30), None);
        Assert.Empty(await deliveries.DueAsync(now.AddSeconds(29), 10, None));
        Assert.True(await deliveries.TryClaimAsync(delivery.Id, now.AddSeconds(30), now.AddMinutes(2), None));
        await deliveries.MarkSentAsync(delivery.Id, "m1", now.AddSeconds(31), None);

        var sent = (await deliveries.GetAsync(delivery.Id, None))!;
        Assert.Equal((DeliveryStatus.Sent, 2, "m1", (string?)null, now.AddSeconds(31), now.AddSeconds(30)),
            (sent.Status, sent.Attempts, sent.PlatformMessageId, sent.LastError, sent.SentAt, sent.LastAttemptAt));
        Assert.Equal(now.AddSeconds(31), await deliveries.LastSentAtAsync(subscription.Id, None));
        Assert.Null(await deliveries.LastSentAtAsync(subscription.Id + 1, None));

        await deliveries.RecordSkippedAsync(subscription.Id, Day.AddDays(1), "downtime", None);
        await deliveries.CreateAsync(subscription.Id, Day.AddDays(2), message, "balloon", None);
        await deliveries.CreateAsync(subscription.Id, Day.AddDays(3), message, "tiktok", None);
        Assert.Equal([("balloon", Day.AddDays(2)), ("tiktok", Day.AddDays(3))],
            (await deliveries.FeaturedAsync(subscription.Id, None)).Select(f => (f.Slug, f.LastFeaturedOn)).OrderBy(f => f.Slug, StringComparer.Ordinal));
        var recent = await deliveries.RecentAsync("C1", 2, None);
        Assert.Equal([Day.AddDays(3), Day.AddDays(2)], recent.Select(r => r.Delivery.LocalDate));
        Assert.Equal(("discord", "G1", BriefingKind.Digest), (recent[0].Platform, recent[0].Workspace, recent[0].Kind));
        Assert.Equal(4, (await deliveries.RecentAsync(null, 10, None)).Count);
        Assert.Equal(DeliveryStatus.Skipped, (await deliveries.FindAsync(subscription.Id, Day.AddDays(1), None))!.Status);
    }

    [Fact]
    public async Task Questions_find_passages_by_stem_rank_them_below_zero_and_hear_a_named_incident_whole()
    {
        await using var store = await NewStoreAsync(seeded: true);

        var found = await store.Passages.SearchAsync(["balloons", "shooting"], [], 20, None);
        Assert.NotEmpty(found);
        Assert.All(found, p => Assert.True(p.Rank < 0, $"rank {p.Rank} of {p.Id}"));
        Assert.Contains(found, p => p.Slug == "balloon");
        var both = await store.Passages.SearchAsync(["balloon"], [], 20, None, allOf: [["balloon"], ["fighter", "jet"]]);
        Assert.All(both, p => Assert.Contains("balloon", p.Text, StringComparison.OrdinalIgnoreCase));

        var focused = await store.Passages.SearchAsync(["zzzqqq"], ["tiktok"], 20, None);
        Assert.NotEmpty(focused);
        Assert.All(focused, p => Assert.Equal("tiktok", p.Slug));
        Assert.Equal(focused.Select(p => p.Id).Order(), (await store.Passages.GetPassagesAsync(focused.Select(p => p.Id).ToList(), None)).Select(p => p.Id).Order());
        Assert.Empty(await store.Passages.SearchAsync(["'\"&|!:*()"], [], 20, None));

        var statistics = await store.Passages.GetTermStatisticsAsync(["balloon", "zzzqqq"], None);
        Assert.True(statistics.DocumentFrequencies["balloon"] > 0);
        Assert.Equal(0, statistics.DocumentFrequencies["zzzqqq"]);
        Assert.Contains(await store.Passages.FindMentionedIncidentsAsync("what happened to the chinese balloon", None), m => m.Slug == "balloon");
        Assert.True((await store.Passages.GetVocabularyAsync(None)).Count > 100);
    }

    [Fact]
    public async Task A_name_the_question_gives_whole_is_found_though_hundreds_of_older_names_share_its_word()
    {
        await using var store = await NewStoreAsync();
        // Written first, so an unordered search would meet all of them before the short name written last.
        for (var i = 0; i < 520; i++)
            await store.UpsertAsync(TestIncidents.Make($"distractor-{i}", $"Surveillance balloon number {i}", "Airspace", $"surveillance balloon {i}"));
        await store.UpsertAsync(TestIncidents.Make("balloon", "The Chinese balloon", "Airspace", "balloon"));

        var mentioned = await store.Passages.FindMentionedIncidentsAsync("who built the balloon", None);

        Assert.Equal("balloon", Assert.Single(mentioned.Select(m => m.Slug).Distinct()));
    }

    [Fact]
    public async Task A_linked_feed_items_passage_survives_a_rewrite_of_its_incident_and_keeps_its_citation()
    {
        await using var store = await NewStoreAsync();
        await store.UpsertAsync(TestIncidents.Make("linked") with { Facts = ["The first fact."] });
        long passage;
        await using (var connection = await store.Connections.OpenAsync(None))
        {
            var now = store.Time.GetUtcNow();
            var feed = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO feeds (platform, workspace, url, next_due_at, added_at) VALUES ('discord', 'g', 'https://news.example/rss', @now, @now) RETURNING id", new { now });
            var item = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO feed_items (feed_id, dedupe_key, title, published_at, has_date, first_seen_at, content_hash)
                VALUES (@feed, 'k1', 'Zeppelin seen', @now, TRUE, @now, 'h') RETURNING id
                """, new { feed, now });
            passage = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO passages (incident_id, kind, text, feed_item_id, citation)
                SELECT id, 'fact', 'Zeppelin seen over the coast.', @item, 'https://news.example/1' FROM incidents WHERE slug = 'linked' RETURNING id
                """, new { item });
        }

        await store.UpsertAsync(TestIncidents.Make("linked") with { Facts = ["A corrected fact."] });

        var kept = Assert.Single(await store.Passages.GetPassagesAsync([passage], None));
        Assert.Equal(("Zeppelin seen over the coast.", "https://news.example/1"), (kept.Text, kept.Citation));
    }

    private static Subscription Digest(string platform, string workspace, string channel) =>
        new() { Platform = platform, Workspace = workspace, Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" };
}

/// <summary>Several bot processes on one store at once: what must happen once happens once.</summary>
public abstract class SharedStoreRaceTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : SharedStoreRaceTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : SharedStoreRaceTests(fixture.Server);

    [Fact]
    public async Task Of_many_processes_claiming_the_same_delivery_at_once_exactly_one_gets_it()
    {
        await using var store = await NewStoreAsync();
        var subscription = await store.Subscriptions.SaveAsync(
            new Subscription { Platform = "discord", Workspace = "G1", Channel = "C1", Kind = BriefingKind.Digest, TimeZone = "UTC" }, None);
        var now = store.Time.GetUtcNow();
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 20).Select(day =>
            store.Deliveries.CreateAsync(subscription.Id, new DateOnly(2026, 2, 1).AddDays(day), new ChatMessage { Title = "Digest", Text = "Today." }, null, None)));
        var processes = Enumerable.Range(0, 6).Select(_ => new SqlDeliveryStore(store.OpenAnotherProcess().Connections, store.Time)).ToList();

        foreach (var delivery in deliveries)
        {
            var claims = await Task.WhenAll(processes.Select(p => Task.Run(() => p.TryClaimAsync(delivery.Id, now, now.AddMinutes(1), None))));
            Assert.Equal(1, claims.Count(c => c));
            Assert.Equal(1, (await store.Deliveries.GetAsync(delivery.Id, None))!.Attempts);
        }
    }

    [Fact]
    public async Task Of_many_processes_receiving_the_same_event_at_once_exactly_one_takes_it()
    {
        await using var store = await NewStoreAsync();
        var processes = Enumerable.Range(0, 6).Select(_ => new SqlInboundEventLog(store.OpenAnotherProcess().Connections, store.Time)).ToList();

        for (var i = 0; i < 20; i++)
        {
            var keys = new[] { $"event:Ev{i}", $"message:C1:{i}.0001" };
            var first = await Task.WhenAll(processes.Select(p => Task.Run(() => p.FirstTimeAsync("slack", keys, TimeSpan.FromHours(1), None))));
            Assert.Equal(1, first.Count(f => f));
        }
    }
}
