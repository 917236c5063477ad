using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests.Socket;

/// <summary>The fake's Socket Mode server, driven by a raw <see cref="ClientWebSocket"/>. Each test starts its own fake.</summary>
public class FakeSocketModeTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly HttpClient Http = new();

    [Fact]
    public async Task Hello_comes_first_and_counts_the_connections()
    {
        await using var slack = await FakeSlackServer.StartAsync();

        var (first, hello) = await TestSocket.ConnectReadyAsync(slack);
        await using var _ = first;
        var (second, secondHello) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = second;

        Assert.Equal(1, hello.GetProperty("num_connections").GetInt32());
        Assert.Equal(2, secondHello.GetProperty("num_connections").GetInt32());
        var debug = hello.GetProperty("debug_info");
        Assert.Equal("applink-fake", debug.GetProperty("host").GetString());
        Assert.Equal(1, debug.GetProperty("build_number").GetInt32());
        Assert.Equal(18060, debug.GetProperty("approximate_connection_time").GetInt32());
        Assert.Equal(slack.AppId, hello.GetProperty("connection_info").GetProperty("app_id").GetString());
        Assert.Equal([1, 2], slack.LiveConnectionIds);
        Assert.Equal(2, slack.SocketConnectionsOpened);
        Assert.Equal(2, slack.OpenSocketCount);

        await first.CloseAsync();

        var closed = await Eventually.HoldsAsync(() => slack.SocketConnections[0] is { Close: not SocketCloseKind.Open } c ? c : null, "the client close");
        Assert.Equal(SocketCloseKind.ClosedByClient, closed.Close);
        Assert.Equal(1000, closed.ClientCloseStatus);
        Assert.Equal([2], slack.LiveConnectionIds);
        Assert.Equal(2, slack.MaxOpenSocketsSeen);
        Assert.Empty(slack.SocketProtocolErrors);
    }

    [Fact]
    public async Task Slash_command_envelope_carries_the_command_fields_and_accepts_a_reply_in_the_ack()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        var id = slack.SendSlashCommand("/brief", "today please", "U0BOB");
        var frame = await socket.ReceiveAsync();

        Assert.Equal(id, frame.GetProperty("envelope_id").GetString());
        Assert.Equal("slash_commands", frame.GetProperty("type").GetString());
        Assert.True(frame.GetProperty("accepts_response_payload").GetBoolean());
        Assert.False(frame.TryGetProperty("retry_attempt", out _));
        var payload = frame.GetProperty("payload");
        Assert.Equal("/brief", payload.GetProperty("command").GetString());
        Assert.Equal("today please", payload.GetProperty("text").GetString());
        Assert.Equal("U0BOB", payload.GetProperty("user_id").GetString());
        Assert.Equal("C0GENERAL", payload.GetProperty("channel_id").GetString());
        Assert.Equal("general", payload.GetProperty("channel_name").GetString());
        Assert.Equal(slack.TeamId, payload.GetProperty("team_id").GetString());
        Assert.Equal(slack.TeamDomain, payload.GetProperty("team_domain").GetString());
        Assert.Equal(slack.AppId, payload.GetProperty("api_app_id").GetString());
        Assert.Equal("false", payload.GetProperty("is_enterprise_install").GetString());
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("trigger_id").GetString()));
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("token").GetString()));

        using var reply = await Http.PostAsync(
            payload.GetProperty("response_url").GetString(),
            new StringContent("""{"text":"Later answer"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains(slack.Messages, m => m.Method == FakeSlackServer.ResponseUrlMethod && m.Channel == "C0GENERAL");

        await socket.AckAsync(id, """{"text":"Got it","response_type":"ephemeral"}""");
        var ack = await slack.WaitForAckAsync(id);

        Assert.Equal(1, ack.ConnectionId);
        Assert.Contains("Got it", ack.PayloadJson, StringComparison.Ordinal);
        Assert.True(ack.Latency >= TimeSpan.Zero);
        var envelope = Assert.Single(slack.Envelopes);
        Assert.True(envelope.Acked);
        Assert.False(envelope.Missed);
        Assert.Contains("Got it", envelope.AckPayloadJson, StringComparison.Ordinal);
        Assert.Equal([1], envelope.DeliveredOn);
        Assert.Empty(slack.SocketProtocolErrors);
    }

    [Fact]
    public async Task Events_api_envelope_wraps_an_event_callback_with_retry_fields()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        var id = slack.SendAppMention("what happened?", threadTs: "1700000000.000100");
        var frame = await socket.ReceiveAsync();

        Assert.Equal(id, frame.GetProperty("envelope_id").GetString());
        Assert.Equal("events_api", frame.GetProperty("type").GetString());
        Assert.False(frame.GetProperty("accepts_response_payload").GetBoolean());
        Assert.Equal(0, frame.GetProperty("retry_attempt").GetInt32());
        Assert.Equal("", frame.GetProperty("retry_reason").GetString());
        var payload = frame.GetProperty("payload");
        Assert.Equal("event_callback", payload.GetProperty("type").GetString());
        Assert.StartsWith("Ev", payload.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, payload.GetProperty("event_time").ValueKind);
        Assert.Equal(slack.TeamId, payload.GetProperty("team_id").GetString());
        Assert.Equal(slack.AppId, payload.GetProperty("api_app_id").GetString());
        var mention = payload.GetProperty("event");
        Assert.Equal("app_mention", mention.GetProperty("type").GetString());
        Assert.Equal("<@U0BOT> what happened?", mention.GetProperty("text").GetString());
        Assert.Equal("U0ALICE", mention.GetProperty("user").GetString());
        Assert.Equal("C0GENERAL", mention.GetProperty("channel").GetString());
        Assert.Equal("1700000000.000100", mention.GetProperty("thread_ts").GetString());
        Assert.Equal(mention.GetProperty("ts").GetString(), mention.GetProperty("event_ts").GetString());

        var raw = slack.SendEvent("""{"type":"message","channel":"C0GENERAL","user":"U0ALICE","text":"plain","ts":"1700000001.000100"}""");
        var second = await socket.ReceiveAsync();
        Assert.Equal(raw, second.GetProperty("envelope_id").GetString());
        Assert.NotEqual(payload.GetProperty("event_id").GetString(), second.GetProperty("payload").GetProperty("event_id").GetString());
        Assert.Equal("plain", second.GetProperty("payload").GetProperty("event").GetProperty("text").GetString());

        await socket.AckAsync(id);
        await socket.AckAsync(raw);
        await slack.WaitForAckAsync(raw);
        Assert.All(slack.Envelopes, e => Assert.True(e.Acked));
        Assert.All(slack.Acks, a => Assert.Null(a.PayloadJson));
        Assert.Empty(slack.SocketProtocolErrors);
    }

    [Fact]
    public async Task Block_action_envelope_is_interactive_and_takes_no_payload_in_the_ack()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        var id = slack.SendBlockAction("timeline police-stations", "U0BOB");
        var frame = await socket.ReceiveAsync();

        Assert.Equal(id, frame.GetProperty("envelope_id").GetString());
        Assert.Equal("interactive", frame.GetProperty("type").GetString());
        Assert.False(frame.GetProperty("accepts_response_payload").GetBoolean());
        Assert.False(frame.TryGetProperty("retry_attempt", out _));
        var payload = frame.GetProperty("payload");
        Assert.Equal("block_actions", payload.GetProperty("type").GetString());
        var action = Assert.Single(payload.GetProperty("actions").EnumerateArray());
        Assert.Equal("button", action.GetProperty("type").GetString());
        Assert.Equal("timeline police-stations", action.GetProperty("value").GetString());
        Assert.Equal("U0BOB", payload.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(slack.TeamId, payload.GetProperty("team").GetProperty("id").GetString());
        Assert.Equal("C0GENERAL", payload.GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal("message", payload.GetProperty("container").GetProperty("type").GetString());

        using var reply = await Http.PostAsync(
            payload.GetProperty("response_url").GetString(),
            new StringContent("""{"text":"Clicked","replace_original":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

        var submission = slack.SendInteractive("""{"type":"view_submission","user":{"id":"U0ALICE"},"view":{"id":"V1","type":"modal"}}""");
        var submissionFrame = await socket.ReceiveAsync();
        Assert.Equal(submission, submissionFrame.GetProperty("envelope_id").GetString());
        Assert.True(submissionFrame.GetProperty("accepts_response_payload").GetBoolean());

        await socket.AckAsync(id);
        await socket.AckAsync(submission, """{"response_action":"clear"}""");
        await slack.WaitForAckAsync(submission);
        Assert.Empty(slack.SocketProtocolErrors);
    }

    [Fact]
    public async Task Ack_mistakes_are_recorded_as_protocol_errors()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;
        var id = slack.SendEvent("""{"type":"app_mention","text":"<@U0BOT> hi"}""");
        await socket.ReceiveAsync();

        await socket.AckAsync(id, "{}");
        await socket.AckAsync("no-such-envelope");
        await socket.SendTextAsync("not json");
        await socket.SendTextAsync("""{"payload":{}}""");
        await socket.SendBinaryAsync([1, 2, 3]);

        var errors = await Eventually.HoldsAsync(() => slack.SocketProtocolErrors is { Count: 5 } e ? e : null, "five protocol errors");
        Assert.Contains("does not accept one", errors[0], StringComparison.Ordinal);
        Assert.Contains("unknown envelope_id", errors[1], StringComparison.Ordinal);
        Assert.Contains("not JSON", errors[2], StringComparison.Ordinal);
        Assert.Contains("without a string envelope_id", errors[3], StringComparison.Ordinal);
        Assert.Contains("Binary", errors[4], StringComparison.Ordinal);
        Assert.Equal(2, slack.Acks.Count);
        Assert.True(slack.Envelopes[0].Acked);
    }

    [Fact]
    public async Task An_ack_split_across_websocket_fragments_is_reassembled()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;
        var id = slack.SendSlashCommand("/brief", "");
        await socket.ReceiveAsync();

        var text = new string('x', 300);
        await socket.SendSplitAsync($$$"""{"envelope_id":"{{{id}}}","payload":{"text":"{{{text}}}"}}""", parts: 4);

        var ack = await slack.WaitForAckAsync(id);
        Assert.Contains(new string('x', 300), ack.PayloadJson, StringComparison.Ordinal);
        Assert.Empty(slack.SocketProtocolErrors);
    }

    [Fact]
    public async Task Envelopes_sent_while_no_socket_is_open_wait_and_follow_the_hello()
    {
        await using var slack = await FakeSlackServer.StartAsync();

        var id = slack.SendAppMention("anyone there?");
        var queued = Assert.Single(slack.Envelopes);
        Assert.True(queued.Queued);
        Assert.Equal(0, queued.Deliveries);

        await using var socket = await TestSocket.ConnectAsync(slack);
        Assert.Equal("hello", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        var frame = await socket.ReceiveAsync();

        Assert.Equal(id, frame.GetProperty("envelope_id").GetString());
        Assert.Equal(0, frame.GetProperty("retry_attempt").GetInt32());
        var delivered = Assert.Single(slack.Envelopes);
        Assert.False(delivered.Queued);
        Assert.Equal([1], delivered.DeliveredOn);
    }

    [Fact]
    public async Task Unacked_event_is_redelivered_with_rising_retry_attempt_three_times_then_missed()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        slack.AckTimeout = ShortTimeout;
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        var id = slack.SendAppMention("retry me");
        var frames = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
            frames.Add(await socket.ReceiveAsync());

        Assert.All(frames, f => Assert.Equal(id, f.GetProperty("envelope_id").GetString()));
        Assert.Equal([0, 1, 2, 3], frames.Select(f => f.GetProperty("retry_attempt").GetInt32()));
        Assert.Equal(["", "timeout", "timeout", "timeout"], frames.Select(f => f.GetProperty("retry_reason").GetString()));
        Assert.Single(frames.Select(f => f.GetProperty("payload").GetProperty("event_id").GetString()).Distinct());
        Assert.Null(await socket.TryReceiveAsync(ShortTimeout * 3));
        var envelope = await Eventually.HoldsAsync(() => slack.Envelopes[0] is { Missed: true } e ? e : null, "the event to be given up");
        Assert.Equal(4, envelope.Deliveries);
        Assert.Equal(3, envelope.RetryAttempt);
        Assert.False(envelope.Acked);
    }

    [Fact]
    public async Task Acked_redelivery_stops_further_retries_and_latency_counts_from_the_latest_delivery()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        // Roomier than ShortTimeout: the ack must beat the next redelivery even on a busy machine.
        slack.AckTimeout = TimeSpan.FromMilliseconds(500);
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        var id = slack.SendAppMention("ack the second one");
        await socket.ReceiveAsync();
        var retry = await socket.ReceiveAsync();
        Assert.Equal(1, retry.GetProperty("retry_attempt").GetInt32());
        await socket.AckAsync(id);

        var ack = await slack.WaitForAckAsync(id);
        // Normally 2; a third delivery can only slip in if this test was slower than the timeout to ack.
        var deliveries = Assert.Single(slack.Envelopes).Deliveries;
        await Task.Delay(slack.AckTimeout * 2);
        var envelope = Assert.Single(slack.Envelopes);
        Assert.InRange(deliveries, 2, 3);
        Assert.Equal(deliveries, envelope.Deliveries);
        Assert.True(envelope.Acked);
        Assert.False(envelope.Missed);
        Assert.True(DateTimeOffset.UtcNow - envelope.CreatedAt > ack.Latency, "latency is measured from the redelivery, not the first delivery");
    }

    [Fact]
    public async Task Unacked_slash_command_is_missed_and_never_redelivered()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        slack.AckTimeout = ShortTimeout;
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        slack.SendSlashCommand("/brief", "too slow");
        await socket.ReceiveAsync();

        var missed = await Eventually.HoldsAsync(() => slack.Envelopes[0] is { Missed: true } e ? e : null, "the slash command to be missed");
        Assert.Null(await socket.TryReceiveAsync(ShortTimeout * 2));
        Assert.Equal(1, missed.Deliveries);
        Assert.False(missed.Acked);
    }

    [Fact]
    public async Task Disconnect_moves_new_envelopes_to_the_other_socket_then_the_server_closes_with_1000()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (old, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = old;
        var (fresh, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var ___ = fresh;

        await slack.SendDisconnectAsync("warning", closeAfter: TimeSpan.FromMilliseconds(300), connectionId: 1);

        var disconnect = await old.ReceiveAsync();
        Assert.Equal("disconnect", disconnect.GetProperty("type").GetString());
        Assert.Equal("warning", disconnect.GetProperty("reason").GetString());
        Assert.Equal("applink-fake", disconnect.GetProperty("debug_info").GetProperty("host").GetString());
        Assert.Equal([2], slack.LiveConnectionIds);

        var first = slack.SendAppMention("one");
        var second = slack.SendAppMention("two");
        Assert.Equal(first, (await fresh.ReceiveAsync()).GetProperty("envelope_id").GetString());
        Assert.Equal(second, (await fresh.ReceiveAsync()).GetProperty("envelope_id").GetString());

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await old.Ended.WaitAsync(TestSocket.DefaultWait));
        Assert.Null(await old.TryReceiveAsync(TimeSpan.FromMilliseconds(50)));
        var closed = await Eventually.HoldsAsync(() => slack.SocketConnections[0] is { ClosedAt: not null } c ? c : null, "the old socket to close");
        Assert.Equal(SocketCloseKind.ClosedByServer, closed.Close);
        Assert.Equal(["warning"], closed.DisconnectReasons);
        Assert.Equal(1, slack.OpenSocketCount);
        Assert.Empty(slack.SocketProtocolErrors);
    }

    [Fact]
    public async Task A_disconnected_socket_still_gets_envelopes_while_it_is_the_only_one()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;

        await slack.SendDisconnectAsync(closeAfter: TimeSpan.FromSeconds(2));
        Assert.Equal("refresh_requested", (await socket.ReceiveAsync()).GetProperty("reason").GetString());
        Assert.Empty(slack.LiveConnectionIds);

        var id = slack.SendAppMention("during the grace period");

        Assert.Equal(id, (await socket.ReceiveAsync()).GetProperty("envelope_id").GetString());
    }

    [Fact]
    public async Task A_ticket_works_once_and_unknown_tickets_are_refused_with_401()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var url = await TestSocket.OpenUrlAsync(slack);
        Assert.Equal("/socket", url.AbsolutePath);
        Assert.Equal("127.0.0.1", url.Host);
        await using var socket = await TestSocket.ConnectAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedStatusAsync(url));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusedStatusAsync(new Uri(url, "/socket?ticket=999")));

        Assert.Equal(2, slack.SocketProtocolErrors.Count);
        Assert.Contains("reused ticket", slack.SocketProtocolErrors[0], StringComparison.Ordinal);
        Assert.Contains("never issued", slack.SocketProtocolErrors[1], StringComparison.Ordinal);
        Assert.Equal(1, slack.SocketConnectionsOpened);
    }

    [Fact]
    public async Task Envelopes_go_round_robin_to_one_live_socket_each()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (a, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = a;
        var (b, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var ___ = b;

        var ids = Enumerable.Range(0, 4).Select(i => slack.SendAppMention($"n{i}")).ToList();

        var onA = new[] { await a.ReceiveAsync(), await a.ReceiveAsync() }.Select(f => f.GetProperty("envelope_id").GetString()).ToList();
        var onB = new[] { await b.ReceiveAsync(), await b.ReceiveAsync() }.Select(f => f.GetProperty("envelope_id").GetString()).ToList();
        Assert.Equal([ids[0], ids[2]], onA);
        Assert.Equal([ids[1], ids[3]], onB);
        Assert.Null(await a.TryReceiveAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Null(await b.TryReceiveAsync(TimeSpan.FromMilliseconds(100)));
        Assert.Equal([1, 2, 1, 2], slack.Envelopes.Select(e => Assert.Single(e.DeliveredOn)));
    }

    [Fact]
    public async Task A_dropped_socket_ends_without_close_frame_and_its_unacked_event_is_redelivered_elsewhere()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        var (doomed, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = doomed;
        var id = slack.SendAppMention("lost in transit");
        await doomed.ReceiveAsync();

        await slack.DropSocketsAsync();

        Assert.Null(await doomed.Ended.WaitAsync(TestSocket.DefaultWait));
        Assert.Equal(0, slack.OpenSocketCount);
        Assert.Equal(SocketCloseKind.Dropped, slack.SocketConnections[0].Close);

        var (survivor, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var ___ = survivor;
        Assert.Null(await survivor.TryReceiveAsync(TimeSpan.FromMilliseconds(100)));
        // Shortened only now, so the first delivery cannot time out before the drop on a slow machine.
        slack.AckTimeout = TimeSpan.FromMilliseconds(50);
        var redelivered = await survivor.ReceiveAsync();
        Assert.Equal(id, redelivered.GetProperty("envelope_id").GetString());
        Assert.Equal(1, redelivered.GetProperty("retry_attempt").GetInt32());
        Assert.Equal("timeout", redelivered.GetProperty("retry_reason").GetString());
        // The survivor never acks, so with a 50 ms timeout a further retry may land before the snapshot is read.
        var deliveredOn = slack.Envelopes[0].DeliveredOn;
        Assert.Equal(1, deliveredOn[0]);
        Assert.All(deliveredOn.Skip(1), socket => Assert.Equal(2, socket));
        Assert.True(deliveredOn.Count >= 2);
    }

    [Fact]
    public async Task A_socket_over_the_limit_gets_too_many_websockets_and_is_closed()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        slack.MaxSocketConnections = 1;
        var (kept, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = kept;

        await using var extra = await TestSocket.ConnectAsync(slack);
        var frame = await extra.ReceiveAsync();

        Assert.Equal("disconnect", frame.GetProperty("type").GetString());
        Assert.Equal("too_many_websockets", frame.GetProperty("reason").GetString());
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await extra.Ended.WaitAsync(TestSocket.DefaultWait));
        Assert.Equal([1], slack.LiveConnectionIds);
        Assert.Equal(2, slack.SocketConnectionsOpened);
        Assert.Equal(2, slack.MaxOpenSocketsSeen);
        Assert.True(slack.SocketConnections[1].Refused);

        var id = slack.SendAppMention("still fine");
        Assert.Equal(id, (await kept.ReceiveAsync()).GetProperty("envelope_id").GetString());
    }

    [Fact]
    public async Task A_client_that_ignores_the_close_frame_is_aborted_after_the_close_timeout()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        slack.SocketCloseTimeout = ShortTimeout;
        using var raw = new ClientWebSocket();
        await raw.ConnectAsync(await TestSocket.OpenUrlAsync(slack), CancellationToken.None);
        var buffer = new byte[4096];
        await raw.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);

        // The client stops reading, so it never answers the close frame that follows the disconnect.
        await slack.SendDisconnectAsync(closeAfter: TimeSpan.Zero);

        var closed = await Eventually.HoldsAsync(() => slack.SocketConnections[0] is { ClosedAt: not null } c ? c : null, "the abort");
        Assert.Equal(SocketCloseKind.ClosedByServer, closed.Close);
        Assert.Null(closed.ClientCloseStatus);
        Assert.Equal(0, slack.OpenSocketCount);
    }

    [Fact]
    public async Task Dispose_ends_open_sockets_promptly()
    {
        var slack = await FakeSlackServer.StartAsync();
        slack.AckTimeout = ShortTimeout;
        var (socket, _) = await TestSocket.ConnectReadyAsync(slack);
        await using var __ = socket;
        slack.SendAppMention("pending");
        await socket.ReceiveAsync();

        await slack.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        await socket.Ended.WaitAsync(TestSocket.DefaultWait);
    }

    private static async Task<HttpStatusCode> RefusedStatusAsync(Uri url)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(url, CancellationToken.None));
        return client.HttpStatusCode;
    }
}
