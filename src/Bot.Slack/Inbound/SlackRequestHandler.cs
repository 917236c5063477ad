using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Core.Diagnostics;
using Bot.Slack.Install;
using Bot.Slack.Outbound;
using Bot.Slack.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Inbound;

/// <summary>A slash command's fields, from a form post or a Socket Mode envelope.</summary>
internal sealed record SlashCommand(string Command, string Text, string? TeamId, string? ChannelId, string? UserId, string? ResponseUrl)
{
    /// <summary>Opens a modal for the person within 3 seconds; an answer that is a form needs it.</summary>
    public string? TriggerId { get; init; }
    public string? UserName { get; init; }
    public string? EnterpriseId { get; init; }

    public SlackTeam Team => new(TeamId, EnterpriseId);
}

/// <summary>What became of an interaction (a button, a shortcut, a submission): accepted, ignored (not ours to answer), or too broken to read.</summary>
internal enum InteractionOutcome
{
    Accepted,
    Ignored,
    Malformed,
}

/// <summary>
/// What the bot does with Slack traffic, whatever transport brought it (HTTP endpoints or Socket
/// Mode): slash commands answered within Slack's 3 seconds or through response_url, mentions
/// answered in their thread, buttons answered to the one who pressed them, forms opened as modals
/// (see <see cref="SlackForms"/>).
/// </summary>
internal sealed partial class SlackRequestHandler(
    CommandRouter router,
    CommandNames names,
    SlackWebClient web,
    SlackIdentity identity,
    SlackRights rights,
    SlackForms forms,
    EventDeduplicator deduplicator,
    IInboundEventLog eventLog,
    BackgroundWork background,
    RenderedReplyCache cache,
    SlackUninstalls uninstalls,
    SlackOrgs orgs,
    TimeProvider time,
    IOptions<SlackOptions> options,
    ILogger<SlackRequestHandler> logger)
{
    private const int MaxTextLength = 4000;

    /// <summary>
    /// How long the store remembers an answered event. Slack's retries come within minutes; a day also covers one that
    /// arrives while the bot restarts, and the table stays small.
    /// </summary>
    public static readonly TimeSpan RememberEventsFor = TimeSpan.FromDays(1);

    /// <summary>Mentions of people and channels Slack writes into message text: the bot's own and others.</summary>
    [GeneratedRegex(@"<[@#!][^>]*>")]
    private static partial Regex SlackReference();

    /// <summary>The reply for the slash command's HTTP response as JSON bytes, or null when it will come through response_url.</summary>
    public async Task<byte[]?> HandleSlashCommandAsync(SlashCommand command, CancellationToken cancellationToken)
    {
        // Slack sends the public name ("/brief-incident"); a name that is no command's (an old one still in the app's manifest) is refused.
        var core = command.Command.StartsWith('/') ? names.Internal(command.Command) : null;
        if (string.IsNullOrEmpty(core) || !router.Handles(core))
            return Serialize(BlockKitRenderer.Render(ChatMessage.Error($"This bot does not handle {Clip(command.Command)}.\n{router.UsageList()}"), inChannel: false));

        await orgs.RememberAsync(command.Team, cancellationToken);
        var (text, inChannel) = SplitVisibility(Clip(command.Text));
        using var requestScope = logger.BeginScope(new KeyValuePair<string, object?>[]
        {
            new("Platform", "slack"), new("Workspace", LogText.Escape(command.TeamId)), new("Command", core),
        });
        if (!router.IsContentOnly(new ChatRequest($"{core} {text}", ChatContext.Cli)))
            return Serialize((await AnswerSlashCommandAsync(command, core, text, inChannel)).Reply);

        // Answers that depend only on the content are rendered once per content version and command line.
        var key = $"{core} {text.ToLowerInvariant()}{(inChannel ? " public" : "")}";
        return await cache.GetOrAddAsync(key, async () =>
        {
            var (reply, answered) = await AnswerSlashCommandAsync(command, core, text, inChannel);
            return (Serialize(reply), answered);
        });
    }

    private static byte[]? Serialize(SlackMessage? message) =>
        message is null ? null : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(message, SlackJson.Default.SlackMessage);

    /// <summary>
    /// The immediate reply (null when it goes through response_url, or when the answer is a form: the acknowledgement is
    /// then empty, which posts nothing, and the form opens as a modal), and whether it is the real answer to keep.
    /// </summary>
    private async Task<(SlackMessage? Reply, bool Answered)> AnswerSlashCommandAsync(SlashCommand command, string core, string text, bool inChannel)
    {
        var commandLine = $"{core} {text}";
        var context = new ChatContext
        {
            Platform = "slack",
            Workspace = command.TeamId,
            Channel = command.ChannelId,
            User = command.UserId,
            UserName = command.UserName,
            Thread = command.ChannelId,
        };
        var target = new FormTarget(command.TriggerId, command.ChannelId, null, command.UserId, command.ResponseUrl) { Team = command.Team };

        // Only briefing changes and editing verbs need the asker's rights; asking Slack for every command would cost a call each time.
        // The lookup is inside the deferral budget: a slow users.info must not push the acknowledgement past Slack's 3 seconds.
        var (finished, work) = await background.WaitUpToAsync(async ct =>
        {
            var request = new ChatRequest(commandLine, await rights.ForAsync(command.Team, context, commandLine, ct));
            return await router.HandleAsync(request, ct);
        }, options.Value.DeferAfter, time);
        if (finished)
        {
            var message = await work;
            if (message.Form is not null)
            {
                background.Start($"Slack form for {core}", ct => forms.OpenAsync(message, target, ct));
                return (null, false);
            }

            return (BlockKitRenderer.Render(message, inChannel && !message.Ephemeral), true);
        }

        if (string.IsNullOrEmpty(command.ResponseUrl))
            return (BlockKitRenderer.Render(ChatMessage.Error("That took too long; please try again."), inChannel: false), false);
        var responseUrl = command.ResponseUrl;
        background.Start($"deferred Slack answer to {core}", async ct =>
        {
            var message = await work;
            if (message.Form is not null) await forms.OpenAsync(message, target, ct);
            else await AnswerThroughResponseUrlAsync(responseUrl, BlockKitRenderer.Render(message, inChannel && !message.Ephemeral), ct);
        });
        return (null, false);
    }

    /// <summary>Posts to a response_url; a refusal or failure is logged (Slack's words escaped), the address never.</summary>
    private async Task AnswerThroughResponseUrlAsync(string responseUrl, SlackMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await web.PostToResponseUrlAsync(responseUrl, message, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException)
        {
            logger.LogWarning("Could not answer through response_url: {Error}", ex is SlackApiException api ? api.Error : LogText.Escape(ex.Message));
        }
    }

    /// <summary>
    /// Accepts an event for processing after the acknowledgement; repeats and the bot's own messages are dropped, and so is
    /// a mention without the channel and ts an answer needs. Repeats are caught in memory first and then in the store,
    /// which outlives a restart.
    /// </summary>
    public void AcceptEvent(EventEnvelope envelope)
    {
        var e = envelope.Event;
        if (e is not null && SlackUninstalls.Handles(e))
        {
            background.Start($"Slack {e.Type}", ct => uninstalls.HandleAsync(envelope, ct));
            return;
        }

        if (e is null || e.Type != "app_mention" && !(e.Type == "message" && e.ChannelType == "im")) return;
        if (e.Subtype is not null || e.BotId is not null) return;
        if (string.IsNullOrEmpty(e.Channel) || string.IsNullOrEmpty(e.Ts))
        {
            logger.LogWarning("Slack {Type} event {EventId} without a channel or ts; dropped", LogText.Escape(e.Type), LogText.Escape(envelope.EventId));
            return;
        }

        var messageKey = $"{e.Channel}:{e.Ts}";
        if (!deduplicator.FirstTime(envelope.EventId, messageKey)) return;

        background.Start("Slack mention", async ct =>
        {
            var team = new SlackTeam(envelope.TeamId, envelope.EnterpriseId);
            await orgs.RememberAsync(team, ct);
            var (botUser, _) = await identity.GetAsync(team, ct);
            if (botUser is not null && e.User == botUser) return;
            if (!await FirstTimeInStoreAsync(envelope.EventId, messageKey, ct)) return;
            await AnswerMentionAsync(team, e, ct);
        });
    }

    /// <summary>False for an event the store has seen (answered before a restart); true when it cannot say, as answering twice beats never answering.</summary>
    private async Task<bool> FirstTimeInStoreAsync(string? eventId, string messageKey, CancellationToken cancellationToken)
    {
        string[] keys = string.IsNullOrEmpty(eventId) ? ["message:" + messageKey] : ["event:" + eventId, "message:" + messageKey];
        try
        {
            return await eventLog.FirstTimeAsync("slack", keys, RememberEventsFor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not check the store for an earlier delivery of Slack event {EventId} ({Error}); answering it", LogText.Escape(eventId), ex.GetType().Name);
            return true;
        }
    }

    /// <summary>
    /// Any interactive payload: buttons and message shortcuts are acknowledged at once and answered after; a modal's
    /// submission and a menu's request for options are answered in the acknowledgement when <paramref name="answerInAck"/>
    /// (always over HTTP; in Socket Mode when the envelope accepts a response payload).
    /// </summary>
    public async Task<InteractionAnswer> HandleInteractionAsync(InteractionPayload payload, bool answerInAck, CancellationToken cancellationToken)
    {
        await orgs.RememberAsync(new SlackTeam(payload.Team?.Id, payload.Enterprise?.Id), cancellationToken);
        return payload.Type switch
        {
            "block_actions" => new InteractionAnswer(AcceptButton(payload)),
            "message_action" => new InteractionAnswer(forms.AcceptShortcut(payload)),
            "view_submission" => await forms.SubmitAsync(payload, answerInAck),
            "block_suggestion" => await forms.SuggestAsync(payload, cancellationToken),
            _ => InteractionAnswer.Ignored,
        };
    }

    /// <summary>Runs a pressed button's command and answers privately through response_url (or opens the form it answers with).</summary>
    private InteractionOutcome AcceptButton(InteractionPayload payload)
    {
        // Slack sends at least one action, never a null one: anything else is not a button press.
        if (payload.Actions is not [var action, ..] || payload.Actions.Any(a => a is null)) return InteractionOutcome.Malformed;
        if (string.IsNullOrWhiteSpace(action.Value) || string.IsNullOrEmpty(payload.ResponseUrl)) return InteractionOutcome.Ignored;
        var context = new ChatContext
        {
            Platform = "slack",
            Workspace = payload.Team?.Id,
            Channel = payload.Channel?.Id,
            User = payload.User?.Id,
            UserName = string.IsNullOrWhiteSpace(payload.User?.Username) ? payload.User?.Name : payload.User.Username,
            Thread = payload.Container?.ThreadTs ?? payload.Channel?.Id,
        };
        var commandLine = Clip(action.Value);
        var responseUrl = payload.ResponseUrl;
        var team = new SlackTeam(context.Workspace, payload.Enterprise?.Id);
        var target = new FormTarget(payload.TriggerId, context.Channel, payload.Container?.ThreadTs, context.User, responseUrl) { Team = team };
        background.Start("Slack button", async ct =>
        {
            var message = await router.HandleAsync(new ChatRequest(commandLine, await rights.ForAsync(team, context, commandLine, ct)), ct);
            if (message.Form is not null) await forms.OpenAsync(message, target, ct);
            else await AnswerThroughResponseUrlAsync(responseUrl, BlockKitRenderer.Render(message, inChannel: false) with { ReplaceOriginal = false }, ct);
        });
        return InteractionOutcome.Accepted;
    }

    private async Task AnswerMentionAsync(SlackTeam team, SlackEvent e, CancellationToken cancellationToken)
    {
        var thread = e.ThreadTs ?? e.Ts;
        var text = SlackReference().Replace(Clip(e.Text ?? string.Empty), " ").Trim();
        var context = new ChatContext { Platform = "slack", Workspace = team.TeamId, Channel = e.Channel, User = e.User, Thread = thread };
        var request = router.ForMention(text, context);
        // A mention has no trigger to open a form with: a form's answer is posted as its text, which says how to go on.
        var message = await router.HandleAsync(request with { Context = await rights.ForAsync(team, context, request.Text, cancellationToken) }, cancellationToken);
        try
        {
            await web.PostMessageAsync(team, BlockKitRenderer.Render(message, inChannel: true) with { Channel = e.Channel, ThreadTs = thread, ResponseType = null }, cancellationToken);
        }
        catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException)
        {
            logger.LogWarning("Could not answer a mention in {Channel}: {Error}", LogText.Escape(e.Channel), ex is SlackApiException api ? api.Error : LogText.Escape(ex.Message));
        }
    }

    /// <summary>"balloon public" asks for a reply everyone in the channel sees.</summary>
    private static (string Text, bool InChannel) SplitVisibility(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("public", StringComparison.OrdinalIgnoreCase)) return (string.Empty, true);
        return trimmed.EndsWith(" public", StringComparison.OrdinalIgnoreCase) ? (trimmed[..^7].TrimEnd(), true) : (trimmed, false);
    }

    private static string Clip(string text) => InboundText.Clip(text, MaxTextLength);
}
