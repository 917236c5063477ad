using System.Net.WebSockets;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Diagnostics;
using Bot.Slack.Inbound;
using Bot.Slack.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Socket;

/// <summary>
/// Socket Mode (<c>Slack:Mode = Socket</c>): keeps <c>Slack:SocketConnections</c> websockets open,
/// each from a fresh <c>apps.connections.open</c>, acknowledges every envelope at once (a slash
/// command with its answer as the payload) and hands the contents to the same handler as the HTTP
/// endpoints. When Slack announces a disconnect, the next socket is opened before the old one is
/// let go, and the old one keeps answering until Slack closes it, so nothing falls in between.
/// </summary>
internal sealed class SocketModeService(
    SlackWebClient web,
    SlackRequestHandler handler,
    EventDeduplicator deduplicator,
    LastResort lastResort,
    BackgroundWork background,
    SlackSocketStatus status,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    BotMetrics metrics,
    IOptions<SlackOptions> options,
    ILogger<SocketModeService> logger) : BackgroundService
{
    /// <summary>How long a socket Slack asked us to leave may go on delivering before the bot closes it.</summary>
    private static readonly TimeSpan MaxDrain = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StaggerConnections = TimeSpan.FromSeconds(1);

    /// <summary>apps.connections.open errors that no retry will fix.</summary>
    private static readonly HashSet<string> FatalErrors = new(StringComparer.Ordinal)
    {
        "not_authed", "invalid_auth", "account_inactive", "token_revoked", "not_allowed_token_type", "missing_scope", "team_disabled", "user_removed_from_team",
    };

    /// <summary>The answer to a slash command envelope whose payload cannot be read: the person who typed it still hears back.</summary>
    private static readonly byte[] Unreadable = JsonSerializer.SerializeToUtf8Bytes(
        Outbound.BlockKitRenderer.Render(ChatMessage.Error("I could not read that command. Please try again."), inChannel: false), SlackJson.Default.SlackMessage);

    private readonly Lock _gate = new();
    private readonly List<Task> _draining = [];
    private int _connectionIds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Mode != SlackMode.Socket) return;
        using var allSlots = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            await Task.WhenAll(Enumerable.Range(0, settings.SocketConnections).Select(async slot =>
            {
                try
                {
                    await Task.Delay(StaggerConnections * slot, time, allSlots.Token);
                    await RunSlotAsync(allSlots.Token);
                }
                catch (SlackApiException ex) when (FatalErrors.Contains(ex.Error))
                {
                    await allSlots.CancelAsync();
                    throw;
                }
            }));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (SlackApiException ex) when (FatalErrors.Contains(ex.Error))
        {
            var cause = $"Slack refused Slack:AppToken for Socket Mode ({ex.Error}); it must be an app-level token (xapp-…) with connections:write";
            status.Stopped(cause);
            logger.LogCritical("Slack Socket Mode stopped: {Cause}. The rest of the bot keeps running; fix the cause and restart.", cause);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            status.Stopped($"failed unexpectedly ({ex.GetType().Name})");
            logger.LogCritical(ex, "Slack Socket Mode failed unexpectedly");
        }
        finally
        {
            Task[] draining;
            lock (_gate) draining = [.. _draining];
            await Task.WhenAll(draining);
        }
    }

    /// <summary>How a socket ended, which decides how soon the next one opens.</summary>
    private enum SocketEnd
    {
        /// <summary>It worked and then closed or dropped: replaced at once.</summary>
        Closed,
        /// <summary>Slack asked for a routine reconnect: replaced at once, the old one draining meanwhile.</summary>
        Replaced,
        /// <summary>It never worked, or Slack turned it away (too many sockets, Socket Mode off): back off.</summary>
        Failed,
        Stopped,
    }

    /// <summary>One socket after another, for as long as the bot runs.</summary>
    private async Task RunSlotAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            var end = await RunSocketAsync(cancellationToken);
            if (end == SocketEnd.Stopped) return;
            failures = end == SocketEnd.Failed ? failures + 1 : 0;
            if (failures == 0) continue;
            try
            {
                await Task.Delay(Backoff(failures), time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<SocketEnd> RunSocketAsync(CancellationToken cancellationToken)
    {
        SocketModeConnection? connection = null;
        try
        {
            var url = (await web.OpenConnectionAsync(cancellationToken)).Url;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var address)) throw new SlackApiException("apps.connections.open", "no_url", null);
            connection = await SocketModeConnection.OpenAsync(Interlocked.Increment(ref _connectionIds), address, cancellationToken);
            status.Opened();
            metrics.WebSocket("slack", "opened");
            string? disconnect;
            try
            {
                using (connection.CloseOn(cancellationToken))
                    disconnect = await ReceiveAsync(connection, stopAtDisconnect: true, cancellationToken);
            }
            finally
            {
                status.Closed();
            }

            if (cancellationToken.IsCancellationRequested) return SocketEnd.Stopped;
            metrics.WebSocket("slack", disconnect is null ? "lost" : "replaced");
            if (disconnect is null)
            {
                logger.LogInformation("Slack socket {Id} closed; reconnecting", connection.Id);
                return SocketEnd.Closed;
            }

            // Slack will close this socket soon: it goes on answering while the next one opens.
            var leaving = connection;
            connection = null;
            lock (_gate) _draining.Add(DrainAsync(leaving, cancellationToken));
            if (disconnect is "link_disabled" or "too_many_websockets")
            {
                logger.LogWarning("Slack asked socket {Id} to disconnect ({Reason}){Hint}", leaving.Id, LogText.Escape(disconnect),
                    disconnect == "link_disabled" ? ": Socket Mode is switched off in the app's settings" : "");
                return SocketEnd.Failed;
            }

            logger.LogInformation("Slack asked socket {Id} to disconnect ({Reason}); opening the next one first", leaving.Id, LogText.Escape(disconnect));
            return SocketEnd.Replaced;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SocketEnd.Stopped;
        }
        catch (Exception ex) when (ex is SlackApiException { Error: var error } && !FatalErrors.Contains(error)
            || ex is SlackUnavailableException or WebSocketException or IOException or OperationCanceledException or JsonException)
        {
            var opened = connection is not null;
            if (opened) metrics.WebSocket("slack", "lost");
            logger.LogWarning("Slack socket {What} ({Error})", opened ? "dropped" : "could not open", ex is SlackApiException api ? api.Error : ex.GetType().Name);
            return opened ? SocketEnd.Closed : SocketEnd.Failed;
        }
        finally
        {
            if (connection is not null)
            {
                if (cancellationToken.IsCancellationRequested) await connection.CloseAsync();
                connection.Dispose();
            }
        }
    }

    /// <summary>Nothing after a socket that worked; then, as Slack's own SDK does, longer waits with each failure, capped at a minute.</summary>
    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(60_000, 1000 * Math.Pow(2, failures - 1)) * (0.5 + Random.Shared.NextDouble() / 2));

    private async Task DrainAsync(SocketModeConnection connection, CancellationToken cancellationToken)
    {
        using var deadline = IoDeadline.After(MaxDrain, cancellationToken);
        try
        {
            using (connection.CloseOn(deadline.Token))
                await ReceiveAsync(connection, stopAtDisconnect: false, deadline.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or JsonException)
        {
            // The old socket's end, one way or another.
        }
        finally
        {
            await connection.CloseAsync();
            connection.Dispose();
            lock (_gate) _draining.RemoveAll(t => t.IsCompleted);
        }
    }

    /// <summary>Handles frames until the socket closes (null) or, when asked, until a disconnect notice (its reason).</summary>
    private async Task<string?> ReceiveAsync(SocketModeConnection connection, bool stopAtDisconnect, CancellationToken cancellationToken)
    {
        // The receive itself is never cancelled (see SocketModeConnection.CloseOn); the token only stops what the frames start.
        while (await connection.ReceiveFrameAsync(CancellationToken.None) is { } frame)
        {
            if (frame.Unreadable is { } problem)
            {
                // Acknowledged when its id could be found, so Slack does not send the same unreadable frame again.
                logger.LogWarning("Slack socket {Id}: an unreadable frame{Acknowledged} ({Problem})", connection.Id,
                    frame.EnvelopeId is null ? "" : " (acknowledged)", LogText.Escape(problem));
                if (frame.EnvelopeId is { } unreadableId) await connection.AckAsync(unreadableId, null, cancellationToken);
                continue;
            }

            if (frame.Type == "disconnect")
            {
                if (stopAtDisconnect) return frame.Reason ?? "unknown";
                continue;
            }

            if (frame.EnvelopeId is { } envelopeId) await OnEnvelopeAsync(connection, envelopeId, frame, cancellationToken);
        }

        return null;
    }

    private async Task OnEnvelopeAsync(SocketModeConnection connection, string envelopeId, SocketFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Type == SocketEnvelopeType.SlashCommands)
        {
            // The answer is the acknowledgement's payload; it may take up to the deferral budget, so the socket reads on meanwhile.
            if (deduplicator.FirstTime("envelope:" + envelopeId))
                background.Start("Slack socket slash command", ct => AnswerSlashCommandAsync(connection, envelopeId, frame.Payload, ct));
            else
                await connection.AckAsync(envelopeId, null, cancellationToken);
            return;
        }

        if (frame.Type == SocketEnvelopeType.Interactive && AnswersInAck(frame.Payload))
        {
            // A modal's submission and a menu's request for options are answered in the acknowledgement, like a slash command.
            if (deduplicator.FirstTime("envelope:" + envelopeId))
                background.Start("Slack socket interaction", ct => AnswerInteractionAsync(connection, envelopeId, frame, ct));
            else
                await connection.AckAsync(envelopeId, null, cancellationToken);
            return;
        }

        // Everything else is acknowledged before it is looked at: Slack redelivers what is not acknowledged within 3 seconds.
        // Only an envelope whose acknowledgement went out counts as seen; if the socket died first, the redelivery is the one handled.
        await connection.AckAsync(envelopeId, null, cancellationToken);
        if (!deduplicator.FirstTime("envelope:" + envelopeId)) return;
        if (frame.Type is not (SocketEnvelopeType.Events or SocketEnvelopeType.Interactive)) return;
        try
        {
            if (frame.Payload.ValueKind != JsonValueKind.Object)
            {
                logger.LogWarning("Slack socket: a {Type} envelope without a payload object", LogText.Escape(frame.Type));
                return;
            }

            switch (frame.Type)
            {
                case SocketEnvelopeType.Events when frame.Payload.Deserialize(SlackInboundJson.Default.EventEnvelope) is { Type: "event_callback" } envelope:
                    handler.AcceptEvent(envelope);
                    break;
                case SocketEnvelopeType.Interactive when frame.Payload.Deserialize(SlackInboundJson.Default.InteractionPayload) is { Type: not null } payload:
                    if ((await handler.HandleInteractionAsync(payload, answerInAck: false, cancellationToken)).Outcome == InteractionOutcome.Malformed)
                        logger.LogWarning("Slack socket: a malformed {Type} payload", LogText.Escape(payload.Type));
                    break;
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Slack socket: unreadable {Type} envelope ({Error})", LogText.Escape(frame.Type), LogText.Escape(ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever one envelope does wrong must not end the socket and every envelope behind it.
            lastResort.Log($"socket {frame.Type} envelope", ex);
        }
    }

    /// <summary>view_submission and block_suggestion: their answer travels in the acknowledgement.</summary>
    private static bool AnswersInAck(JsonElement payload)
    {
        try
        {
            return payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && (type.ValueEquals("view_submission") || type.ValueEquals("block_suggestion"));
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Answers a submission or a menu and acknowledges with the answer as the payload, but only when the envelope says it
    /// accepts one (accepts_response_payload); otherwise the acknowledgement is bare and the answer is posted instead.
    /// </summary>
    private async Task AnswerInteractionAsync(SocketModeConnection connection, string envelopeId, SocketFrame frame, CancellationToken cancellationToken)
    {
        byte[]? reply = null;
        try
        {
            if (frame.Payload.Deserialize(SlackInboundJson.Default.InteractionPayload) is { Type: not null } payload)
            {
                var answer = await handler.HandleInteractionAsync(payload, frame.AcceptsResponsePayload, cancellationToken);
                if (answer.Outcome == InteractionOutcome.Malformed)
                    logger.LogWarning("Slack socket: a malformed {Type} payload", LogText.Escape(payload.Type));
                reply = frame.AcceptsResponsePayload ? answer.Body : null;
            }
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Slack socket: unreadable interactive envelope ({Error})", LogText.Escape(ex.Message));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lastResort.Log("socket interactive envelope", ex);
        }

        try
        {
            await connection.AckAsync(envelopeId, reply, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            logger.LogWarning("Slack socket {Id} closed before an interaction could be answered", connection.Id);
        }
    }

    private async Task AnswerSlashCommandAsync(SocketModeConnection connection, string envelopeId, JsonElement payload, CancellationToken cancellationToken)
    {
        byte[]? reply;
        try
        {
            var fields = payload.ValueKind == JsonValueKind.Object ? payload.Deserialize(SocketModeJson.Default.SocketSlashCommand) : null;
            reply = string.IsNullOrWhiteSpace(fields?.Command)
                ? Unreadable
                : await handler.HandleSlashCommandAsync(new SlashCommand(fields.Command, fields.Text ?? string.Empty,
                    fields.TeamId, fields.ChannelId, fields.UserId, fields.ResponseUrl)
                { TriggerId = fields.TriggerId, UserName = fields.UserName, EnterpriseId = fields.EnterpriseId }, cancellationToken);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Slack socket: unreadable slash command ({Error})", LogText.Escape(ex.Message));
            reply = Unreadable;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lastResort.Log("socket slash command", ex);
            reply = LastResort.ApologyJson;
        }

        try
        {
            await connection.AckAsync(envelopeId, reply, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            logger.LogWarning("Slack socket {Id} closed before a slash command could be answered", connection.Id);
        }
    }
}
