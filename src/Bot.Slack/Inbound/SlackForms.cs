using System.Globalization;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Diagnostics;
using Bot.Core.Incidents;
using Bot.Slack.Outbound;
using Bot.Slack.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Inbound;

/// <summary>Where a form was asked for: the trigger that may open it, and where to answer the person otherwise.</summary>
internal sealed record FormTarget(string? TriggerId, string? Channel, string? Thread, string? User, string? ResponseUrl)
{
    /// <summary>The workspace whose token opens the modal or posts the answer.</summary>
    public Install.SlackTeam Team { get; init; }
}

/// <summary>What the acknowledgement of an interaction says: nothing (null), or a JSON body (view errors, menu options).</summary>
internal readonly record struct InteractionAnswer(InteractionOutcome Outcome, byte[]? Body = null)
{
    public static readonly InteractionAnswer Accepted = new(InteractionOutcome.Accepted);
    public static readonly InteractionAnswer Ignored = new(InteractionOutcome.Ignored);
    public static readonly InteractionAnswer Malformed = new(InteractionOutcome.Malformed);
}

/// <summary>
/// Slack's side of the core's forms: opens an answer's form as a modal (views.open, within the trigger's 3 seconds),
/// runs a modal's submission through the router and answers in the acknowledgement (a field's error keeps the modal
/// open; anything else closes it and is posted to the person), fills the incident menu (block_suggestion), and turns
/// the "Add to incident" message shortcut into the core's add-message form.
/// </summary>
internal sealed class SlackForms(
    CommandRouter router,
    SlackRights rights,
    SlackWebClient web,
    IncidentFinder finder,
    BackgroundWork background,
    TimeProvider time,
    IOptions<SlackOptions> options,
    ILogger<SlackForms> logger)
{
    public const string AddToIncidentCallbackId = "add_to_incident";
    private const int MaxValueLength = 4000;
    private const int SuggestionLimit = 25;
    private const int ErrorLimit = 300;
    /// <summary>The core's title for an edit refused because of one field ("Not saved: check the title").</summary>
    private const string FieldErrorPrefix = "Not saved: check the ";

    /// <summary>The trigger is good for 3 seconds: the permalink may take only part of them, else the form goes without a link.</summary>
    private static readonly TimeSpan PermalinkBudget = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SuggestionBudget = TimeSpan.FromSeconds(2);

    private static readonly byte[] NoOptions = JsonSerializer.SerializeToUtf8Bytes(new OptionsResponse([]), SlackJson.Default.OptionsResponse);

    /// <summary>
    /// Opens <paramref name="answer"/>'s form. When Slack will not (the trigger expired, an API error, no trigger at all), the
    /// person is told through response_url with the answer's text, which says how to go on without a form.
    /// </summary>
    public async Task OpenAsync(ChatMessage answer, FormTarget target, CancellationToken cancellationToken)
    {
        var view = answer.Form is { } form ? ModalRenderer.Render(form, new FormMetadata(form.SubmitCommand, target.Channel, target.Thread)) : null;
        if (view is not null && !string.IsNullOrEmpty(target.TriggerId))
        {
            try
            {
                await web.OpenViewAsync(target.Team, target.TriggerId, view, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException)
            {
                logger.LogWarning("Could not open a Slack form: {Error}", ex is SlackApiException api ? api.Error : LogText.Escape(ex.Message));
            }
        }

        await TellAsync(answer with { Form = null }, target, cancellationToken);
    }

    /// <summary>An answer for the person alone: through response_url when there is one, else as an ephemeral message.</summary>
    public async Task TellAsync(ChatMessage answer, FormTarget target, CancellationToken cancellationToken)
    {
        var message = BlockKitRenderer.Render(answer with { Form = null }, inChannel: false);
        try
        {
            if (!string.IsNullOrEmpty(target.ResponseUrl))
                await web.PostToResponseUrlAsync(target.ResponseUrl, message with { ReplaceOriginal = false }, cancellationToken);
            else if (!string.IsNullOrEmpty(target.Channel) && !string.IsNullOrEmpty(target.User))
                await web.PostEphemeralAsync(target.Team, message with
                {
                    Channel = target.Channel,
                    User = target.User,
                    ResponseType = null,
                    ThreadTs = target.Thread is { } thread && thread != target.Channel ? thread : null,
                }, cancellationToken);
            else
                logger.LogWarning("A Slack answer had nowhere to go (no response_url, channel or user)");
        }
        catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException)
        {
            logger.LogWarning("Could not answer {User} in {Channel}: {Error}", LogText.Escape(target.User), LogText.Escape(target.Channel),
                ex is SlackApiException api ? api.Error : LogText.Escape(ex.Message));
        }
    }

    /// <summary>
    /// A modal's Save. Answered within the deferral budget: a field the core refused comes back as response_action errors
    /// (when the acknowledgement may carry them, <paramref name="answerInAck"/>), anything else closes the modal and is
    /// posted to the person; a slower answer closes the modal at once and is posted when ready.
    /// </summary>
    public async Task<InteractionAnswer> SubmitAsync(InteractionPayload payload, bool answerInAck)
    {
        var view = payload.View;
        if (view?.CallbackId != ModalRenderer.CallbackId) return InteractionAnswer.Ignored;
        if (ReadMetadata(view.PrivateMetadata) is not { Command: { Length: > 0 } command } metadata) return InteractionAnswer.Malformed;
        if (ReadValues(view.State) is not { } values) return InteractionAnswer.Malformed;

        var context = new ChatContext
        {
            Platform = "slack",
            Workspace = payload.Team?.Id ?? payload.User?.TeamId,
            Channel = metadata.Channel,
            User = payload.User?.Id,
            UserName = UserName(payload.User),
            Thread = metadata.Thread ?? metadata.Channel,
        };
        var team = new Install.SlackTeam(context.Workspace, payload.Enterprise?.Id);
        var target = new FormTarget(null, metadata.Channel, context.Thread, context.User, ResponseUrl: null) { Team = team };
        var commandLine = InboundText.Clip(command, MaxValueLength);
        var (finished, work) = await background.WaitUpToAsync(async ct =>
        {
            var withRights = await rights.ForAsync(team, context, commandLine, ct);
            return await router.HandleAsync(new ChatRequest(commandLine, withRights) { Form = values }, ct);
        }, options.Value.DeferAfter, time);

        if (!finished)
        {
            background.Start("Slack form result", async ct => await TellAsync(await work, target, ct));
            return InteractionAnswer.Accepted;
        }

        var answer = await work;
        if (answerInAck && FieldAtFault(answer, values) is { } error)
        {
            var errors = new Dictionary<string, string>(StringComparer.Ordinal) { [error.BlockId] = error.Message };
            return new InteractionAnswer(InteractionOutcome.Accepted, JsonSerializer.SerializeToUtf8Bytes(new ViewErrorsResponse(errors), SlackJson.Default.ViewErrorsResponse));
        }

        background.Start("Slack form result", ct => TellAsync(answer, target, ct));
        return InteractionAnswer.Accepted;
    }

    /// <summary>Options for the incident menu, from what has been typed; any other menu gets none.</summary>
    public async Task<InteractionAnswer> SuggestAsync(InteractionPayload payload, CancellationToken cancellationToken)
    {
        if (payload.BlockId != ModalRenderer.IncidentPickerId || payload.ActionId != ModalRenderer.ValueActionId)
            return new InteractionAnswer(InteractionOutcome.Accepted, NoOptions);
        using var budget = IoDeadline.After(SuggestionBudget, cancellationToken);
        try
        {
            var matches = await finder.SuggestAsync(InboundText.Clip(payload.Value ?? string.Empty, 100), SuggestionLimit, budget.Token);
            return new InteractionAnswer(InteractionOutcome.Accepted, JsonSerializer.SerializeToUtf8Bytes(ModalRenderer.Options(matches), SlackJson.Default.OptionsResponse));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Incident suggestions for a Slack menu took too long; answered with none");
            return new InteractionAnswer(InteractionOutcome.Accepted, NoOptions);
        }
    }

    /// <summary>
    /// "Add to incident" on a message: its permalink, text and date go to the core's add-message form, which opens with the
    /// shortcut's trigger. Acknowledged at once; the rest runs after.
    /// </summary>
    public InteractionOutcome AcceptShortcut(InteractionPayload payload)
    {
        if (payload.CallbackId != AddToIncidentCallbackId) return InteractionOutcome.Ignored;
        if (payload.Message is not { } message || payload.Channel?.Id is not { Length: > 0 } channel || payload.User?.Id is not { Length: > 0 } user)
            return InteractionOutcome.Malformed;
        var context = new ChatContext
        {
            Platform = "slack",
            Workspace = payload.Team?.Id ?? payload.User.TeamId,
            Channel = channel,
            User = user,
            UserName = UserName(payload.User),
            Thread = message.ThreadTs ?? channel,
        };
        var team = new Install.SlackTeam(context.Workspace, payload.Enterprise?.Id);
        var target = new FormTarget(payload.TriggerId, channel, message.ThreadTs, user, payload.ResponseUrl) { Team = team };
        background.Start("Slack message shortcut", async ct =>
        {
            var link = await PermalinkAsync(team, channel, message.Ts, ct);
            var form = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["text"] = InboundText.Clip(SlackMarkup.ToPlain(message.Text), MaxValueLength),
                ["date"] = MessageDate(message.Ts).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            if (link is not null) form["link"] = link;
            const string commandLine = "incident add-message";
            var withRights = await rights.ForAsync(team, context, commandLine, ct);
            var answer = await router.HandleAsync(new ChatRequest(commandLine, withRights) { Form = form }, ct);
            if (answer.Form is not null) await OpenAsync(answer, target, ct);
            else await TellAsync(answer, target, ct);
        });
        return InteractionOutcome.Accepted;
    }

    private async Task<string?> PermalinkAsync(Install.SlackTeam team, string channel, string? ts, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(ts)) return null;
        using var budget = IoDeadline.After(PermalinkBudget, cancellationToken);
        try
        {
            var link = (await web.PermalinkAsync(team, channel, ts, budget.Token)).Permalink;
            return Uri.TryCreate(link, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? link : null;
        }
        catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("No permalink for a message in {Channel} ({Error}); adding it without a link", LogText.Escape(channel),
                ex is SlackApiException api ? api.Error : ex.GetType().Name);
            return null;
        }
    }

    /// <summary>The day a message was posted, from its ts (Unix seconds), in UTC; today when the ts cannot be read.</summary>
    private DateOnly MessageDate(string? ts)
    {
        var seconds = ts is null ? null : ts.Split('.')[0];
        return long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime)
            : DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
    }

    private static FormMetadata? ReadMetadata(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            return JsonSerializer.Deserialize(json, SlackInboundJson.Default.FormMetadata);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// state.values as the core's form: the text typed, or the option chosen in a menu; an input left empty is "". Null when
    /// the state is not there at all.
    /// </summary>
    private static Dictionary<string, string>? ReadValues(ViewState? state)
    {
        if (state?.Values is not { } blocks) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (blockId, actions) in blocks)
        {
            if (actions is null || !actions.TryGetValue(ModalRenderer.ValueActionId, out var input) || input is null) continue;
            var value = input.SelectedOption?.Value ?? input.Value ?? string.Empty;
            values[InboundText.Clean(blockId)] = InboundText.Clip(value, MaxValueLength);
        }

        return values;
    }

    /// <summary>
    /// The input a refusal belongs to, read from the core's title "Not saved: check the &lt;field&gt;". The core names the
    /// event's link "url" where the form calls it "link"; a field the modal does not have is no input's error.
    /// </summary>
    private static (string BlockId, string Message)? FieldAtFault(ChatMessage answer, IReadOnlyDictionary<string, string> submitted)
    {
        if (answer.Kind != MessageKind.Error || answer.Title is not { } title || !title.StartsWith(FieldErrorPrefix, StringComparison.Ordinal)) return null;
        if (string.IsNullOrWhiteSpace(answer.Text)) return null;
        var field = title[FieldErrorPrefix.Length..].Trim();
        var blockId = field == "url" ? "link" : field;
        return submitted.ContainsKey(blockId) ? (blockId, Bot.Core.Text.TextClipper.Clip(answer.Text, ErrorLimit)) : null;
    }

    private static string? UserName(SlackUserRef? user) =>
        string.IsNullOrWhiteSpace(user?.Username) ? string.IsNullOrWhiteSpace(user?.Name) ? null : user.Name : user.Username;
}
