using System.Globalization;
using System.Text;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Editing;
using Bot.Discord.Commands;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Inbound;

/// <summary>
/// Turns one verified interaction into its first response, whatever transport brought it (the HTTP
/// endpoint or the gateway). Commands, buttons, form submissions and the message command all go
/// through the core router; an answer that is not ready within the deferral budget is acknowledged
/// as "thinking…" and delivered later by editing the original response. A form becomes a modal,
/// which can only be a first response: those are never deferred.
/// </summary>
internal sealed class InteractionHandler(
    CommandRouter router,
    CommandNames names,
    IncidentFinder finder,
    DiscordRestClient rest,
    BackgroundWork background,
    RenderedReplyCache cache,
    TimeProvider time,
    IOptions<DiscordOptions> options,
    IOptions<ContentOptions> content,
    ILogger<InteractionHandler> logger)
{
    private const int MaxCommandLength = 2000;

    /// <summary>Where an interaction came from, which decides how its answer may be shaped.</summary>
    private enum Origin
    {
        /// <summary>A slash or message command: public answers, modals allowed.</summary>
        Command,
        /// <summary>A button: answered only to the one who pressed it, modals allowed.</summary>
        Component,
        /// <summary>A submitted modal: never answered with another modal, never cached.</summary>
        ModalSubmit,
    }

    /// <summary>The first response, as the JSON bytes Discord receives.</summary>
    /// <param name="delivered">
    /// Completes once that response has reached Discord: an answer that is deferred edits the
    /// original response, which must exist first. Over HTTP the response is the reply to Discord's
    /// own request, sent once this method returns; over the gateway it is a separate callback request.
    /// </param>
    public async Task<byte[]> HandleAsync(Interaction interaction, CancellationToken cancellationToken, Task? delivered = null)
    {
        switch (interaction.Type)
        {
            case InteractionType.Ping:
                return Serialize(new InteractionResponse(InteractionCallbackType.Pong));
            case InteractionType.ApplicationCommandAutocomplete:
                return await AutocompleteCachedAsync(interaction, cancellationToken);
            case InteractionType.ApplicationCommand when interaction.Data?.Type == CommandType.Message:
                return Serialize(await MessageCommandAsync(interaction, delivered));
            case InteractionType.ApplicationCommand:
                return await SlashCommandAsync(interaction, delivered);
            case InteractionType.MessageComponent:
                return await RunCachedAsync(interaction, Request(interaction, interaction.Data?.CustomId ?? string.Empty), Origin.Component, delivered);
            case InteractionType.ModalSubmit:
                return Serialize(await ModalSubmitAsync(interaction, delivered));
            default:
                return Serialize(Reply(ChatMessage.Error("This kind of interaction is not supported."), ephemeral: true));
        }
    }

    /// <summary>
    /// <see cref="HandleAsync"/>, with a last resort: whatever escapes it is logged (tokens blanked)
    /// and answered with an apology in the shape this kind of interaction needs, so Discord always
    /// gets a valid response and never an error status.
    /// </summary>
    public async Task<byte[]> RespondAsync(Interaction interaction, CancellationToken cancellationToken, Task? delivered = null)
    {
        try
        {
            return await HandleAsync(interaction, cancellationToken, delivered);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.LogError("Discord interaction {Id} of type {Type} failed: {Error}",
                Snowflake.IsValid(interaction.Id) ? interaction.Id : "(not a snowflake)", interaction.Type,
                LogSafe.Redact(ex.ToString(), interaction.Token, options.Value.BotToken));
            return Serialize(Apology(interaction.Type));
        }
    }

    /// <summary>What is sent when answering failed: a ping still gets its pong, autocomplete an empty list, the rest a private apology.</summary>
    public static InteractionResponse Apology(InteractionType type) => type switch
    {
        InteractionType.Ping => new InteractionResponse(InteractionCallbackType.Pong),
        InteractionType.ApplicationCommandAutocomplete => new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, new AutocompleteResult([])),
        _ => Reply(ChatMessage.Error("Something went wrong while answering this. Please try again later."), ephemeral: true),
    };

    public static byte[] Serialize(InteractionResponse response) =>
        JsonSerializer.SerializeToUtf8Bytes(response, DiscordJson.Default.InteractionResponse);

    /// <summary>
    /// Answers that depend only on the content are rendered once per content version and command
    /// line. Requests that carry form values never are (the router says so), nor is anything but a
    /// plain message: a modal's submit command names a revision, and who may open it depends on who asks.
    /// </summary>
    private async Task<byte[]> RunCachedAsync(Interaction interaction, ChatRequest request, Origin origin, Task? delivered)
    {
        if (!router.IsContentOnly(request))
            return Serialize(await RunAsync(interaction, request, origin, delivered));

        var key = (origin == Origin.Component ? "component " : "command ") + request.Text.Trim().ToLowerInvariant();
        return (await cache.GetOrAddAsync(key, async () =>
        {
            var response = await RunAsync(interaction, request, origin, delivered);
            return (Serialize(response), response.Type == InteractionCallbackType.ChannelMessageWithSource);
        }))!;
    }

    /// <summary>
    /// A submitted modal: its custom_id is the form's submit command, run with the values typed in.
    /// Inputs come back wrapped as they were sent (Labels, or action rows in legacy modals); entries
    /// without a custom_id (text displays) are skipped, and one without a text value makes the whole
    /// submission unreadable.
    /// </summary>
    private async Task<InteractionResponse> ModalSubmitAsync(Interaction interaction, Task? delivered)
    {
        var submitCommand = interaction.Data?.CustomId;
        var values = SubmittedValues(interaction.Data?.Components);
        if (string.IsNullOrWhiteSpace(submitCommand) || values is null)
            return Reply(ChatMessage.Error("That form came back incomplete, so nothing was saved. Please open it again and resubmit."), ephemeral: true);
        var request = Request(interaction, submitCommand.Length > MaxCommandLength ? submitCommand[..MaxCommandLength] : submitCommand) with { Form = values };
        return await RunAsync(interaction, request, Origin.ModalSubmit, delivered);
    }

    /// <summary>The submitted values by custom_id, or null when an input has no text value.</summary>
    private static Dictionary<string, string>? SubmittedValues(IEnumerable<SubmittedComponent?>? components)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var top in components ?? [])
        {
            if (top is null) continue;
            // A Label holds one input, a legacy action row several; an input may also stand alone.
            IEnumerable<SubmittedComponent?> inputs = top.Component is { } single ? [single] : top.Components ?? [top];
            foreach (var input in inputs)
            {
                if (input?.CustomId is not { Length: > 0 } id) continue;
                if (input.Value is not { ValueKind: JsonValueKind.String } value) return null;
                values[id] = value.GetString() ?? string.Empty;
            }
        }

        return values;
    }

    /// <summary>
    /// "Add to incident" on a message: the core is asked for its form with the message's text, its
    /// link and its day (UTC) filled in; the person then names the incident in the modal.
    /// </summary>
    private async Task<InteractionResponse> MessageCommandAsync(Interaction interaction, Task? delivered)
    {
        var data = interaction.Data!;
        if (data.Name != DiscordCommandSet.AddToIncident)
            return Reply(ChatMessage.Error("I don't know that message command."), ephemeral: true);
        var target = data.TargetId is { } targetId ? data.Resolved?.Messages?.GetValueOrDefault(targetId) : null;
        if (target is null)
            return Reply(ChatMessage.Error("Discord did not send the message this was used on. Please try again."), ephemeral: true);

        var form = new Dictionary<string, string>(StringComparer.Ordinal) { ["text"] = target.Content ?? string.Empty };
        if (MessageLink(interaction, target) is { } link) form["link"] = link;
        if (MessageDay(target) is { } day) form["date"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return await RunAsync(interaction, Request(interaction, "incident add-message") with { Form = form }, Origin.Command, delivered);
    }

    /// <summary>The message's jump link; DMs have "@me" where the guild would be.</summary>
    private static string? MessageLink(Interaction interaction, ResolvedMessage message)
    {
        var channel = message.ChannelId ?? interaction.ChannelId;
        var guild = interaction.GuildId ?? "@me";
        if (!Snowflake.IsValid(channel) || !Snowflake.IsValid(message.Id) || (guild != "@me" && !Snowflake.IsValid(guild))) return null;
        return $"https://discord.com/channels/{guild}/{channel}/{message.Id}";
    }

    /// <summary>The day the message was sent, in UTC: from its timestamp, or else from its id (a snowflake holds its creation time).</summary>
    private static DateOnly? MessageDay(ResolvedMessage message)
    {
        if (DateTimeOffset.TryParse(message.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
            return DateOnly.FromDateTime(sent.UtcDateTime);
        const long DiscordEpochMilliseconds = 1_420_070_400_000;
        return ulong.TryParse(message.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds((long)(id >> 22) + DiscordEpochMilliseconds).UtcDateTime)
            : null;
    }

    /// <summary>
    /// A slash command arrives under its public name ("/brief-timeline"), which stands for an internal one; a name that is
    /// no command's public name (one registered before a renaming, say) is refused rather than guessed at.
    /// </summary>
    private async Task<byte[]> SlashCommandAsync(Interaction interaction, Task? delivered)
    {
        var typed = interaction.Data?.Name ?? string.Empty;
        if (names.Internal(typed) is not { } command)
            return Serialize(Reply(router.UnknownCommand("/" + typed, Context(interaction)), ephemeral: true));
        return await RunCachedAsync(interaction, Request(interaction, CommandLine(interaction.Data, command)), Origin.Command, delivered);
    }

    /// <summary>"/timeline incident:balloon" → "timeline balloon"; subcommands and groups flatten the same way.</summary>
    /// <param name="command">The internal command the interaction's name stands for.</param>
    public static string CommandLine(InteractionData? data, string command)
    {
        if (data?.Name is null) return string.Empty;
        var builder = new StringBuilder(command);
        void Append(IEnumerable<CommandOption?>? options)
        {
            foreach (var option in options ?? [])
            {
                if (option is null) continue;
                if (builder.Length > MaxCommandLength) return;
                if (option.Type is OptionType.SubCommand or OptionType.SubCommandGroup)
                {
                    builder.Append(' ').Append(option.Name);
                    Append(option.Options);
                }
                else if (option.Value is { } value)
                {
                    builder.Append(' ').Append(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText());
                }
            }
        }

        Append(data.Options);
        return builder.Length > MaxCommandLength ? builder.ToString(0, MaxCommandLength) : builder.ToString();
    }

    private async Task<InteractionResponse> RunAsync(Interaction interaction, ChatRequest request, Origin origin, Task? delivered)
    {
        using var requestScope = logger.BeginScope(new KeyValuePair<string, object?>[]
        {
            new("Platform", "discord"), new("Workspace", request.Context.Workspace), new("Command", request.Command),
        });

        // Not tied to the HTTP request: if it outlives the deferral budget it must still finish.
        var (finished, work) = await background.WaitUpToAsync(ct => router.HandleAsync(request, ct), options.Value.DeferAfter, time);
        if (finished) return Answer(await work, origin);

        if (origin != Origin.ModalSubmit && DiscordCommandSet.MayOpenForm(request))
        {
            // A modal cannot follow a deferral, so this answer would have nowhere to go.
            logger.LogWarning("Discord: {Command} took longer than {Budget} ms; a form cannot be opened after a deferral", request.Command, options.Value.DeferAfterMilliseconds);
            return Reply(ChatMessage.Error("Opening the form took too long. Please try again."), ephemeral: true);
        }

        var token = interaction.Token;
        if (string.IsNullOrEmpty(token))
            return Reply(ChatMessage.Error("This interaction cannot be answered later."), ephemeral: true);

        background.Start($"deferred Discord answer to {request.Command}", async ct =>
        {
            var message = await work;
            if (delivered is not null) await delivered;
            var late = message.Form is null ? message : ChatMessage.Error("That needs a form, which Discord only opens straight away. Please try again.");
            await rest.EditOriginalAsync(token, DiscordMessageRenderer.Render(late, ephemeral: false), ct);
        });
        return new InteractionResponse(
            InteractionCallbackType.DeferredChannelMessageWithSource,
            origin == Origin.Component ? new MessagePayload { Flags = DiscordMessageRenderer.EphemeralFlag } : null);
    }

    /// <summary>
    /// The first response for a finished answer: a modal for a form (except in answer to a modal),
    /// otherwise a message. A button's answer is shown to the one who pressed it; other answers are
    /// public unless the message says otherwise.
    /// </summary>
    private InteractionResponse Answer(ChatMessage message, Origin origin)
    {
        if (message.Form is { } form)
        {
            // Discord refuses a modal in answer to a modal submission.
            if (origin == Origin.ModalSubmit)
                return Reply(ChatMessage.Error("That needs another form: please run the command again."), ephemeral: true);
            if (DiscordFormRenderer.Render(form, out var problem) is { } modal)
                return new InteractionResponse(InteractionCallbackType.Modal, modal);
            logger.LogError("Discord: the form of {Command} cannot be a modal: {Problem}", new ChatRequest(form.SubmitCommand, ChatContext.Cli).Command, problem);
            return Reply(ChatMessage.Error("This form cannot be opened on Discord. Please tell the bot's maintainers."), ephemeral: true);
        }

        return Reply(message, ephemeral: origin == Origin.Component || message.Ephemeral);
    }

    /// <summary>Suggestions depend only on what was typed and the content: each prefix is computed once per content version.</summary>
    private async Task<byte[]> AutocompleteCachedAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var focused = Focused(interaction.Data?.Options);
        var typed = focused?.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? "" : "";
        var key = $"autocomplete {interaction.Data?.Name} {focused?.Name} {typed.Trim().ToLowerInvariant()}";
        return (await cache.GetOrAddAsync(key, async () => (Serialize(await AutocompleteAsync(interaction, cancellationToken)), true)))!;
    }

    private async Task<InteractionResponse> AutocompleteAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var focused = Focused(interaction.Data?.Options);
        var choices = new List<AutocompleteChoice>();
        if (focused is { Name: "timezone" })
        {
            var typed = focused.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? "" : "";
            foreach (var zone in TimeZoneNames.Value.Where(z => z.Contains(typed.Replace(' ', '_'), StringComparison.OrdinalIgnoreCase)).Take(25))
                choices.Add(new AutocompleteChoice(zone, zone));
        }
        else if (focused is not null && interaction.Data?.Name is { } name && names.Internal(name) is { } command
                 && DiscordCommandSet.IncidentAutocomplete.Contains(command))
        {
            var typed = focused.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
            foreach (var match in await finder.SuggestAsync(typed, 25, cancellationToken))
                choices.Add(new AutocompleteChoice(Core.Text.TextClipper.Clip(match.Title, 100), match.Slug));
        }

        return new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, new AutocompleteResult(choices));
    }

    private static readonly Lazy<string[]> TimeZoneNames = new(() =>
        TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray());

    /// <summary>Discord permission bits that let someone run a channel's briefings: Administrator, Manage Channels, Manage Server.</summary>
    private const ulong ManageBriefingPermissions = (1UL << 3) | (1UL << 4) | (1UL << 5);

    private static CommandOption? Focused(IEnumerable<CommandOption?>? options)
    {
        foreach (var option in options ?? [])
        {
            if (option is null) continue;
            if (option.Focused == true) return option;
            if (Focused(option.Options) is { } nested) return nested;
        }

        return null;
    }

    private static InteractionResponse Reply(ChatMessage message, bool ephemeral) =>
        new(InteractionCallbackType.ChannelMessageWithSource, DiscordMessageRenderer.Render(message, ephemeral));

    private ChatRequest Request(Interaction interaction, string commandLine) => new(commandLine, Context(interaction));

    private ChatContext Context(Interaction interaction) => new()
    {
        Platform = "discord",
        Workspace = interaction.GuildId ?? "dm",
        Channel = interaction.ChannelId,
        User = interaction.InvokerId,
        UserName = UserName(interaction.Member?.User ?? interaction.User),
        Thread = interaction.ChannelId,
        CanManageBriefings = Permissions(interaction.Member) is { } permissions && (permissions & ManageBriefingPermissions) != 0,
        CanEditContent = IsEditor(interaction.Member),
    };

    /// <summary>Discord permission bits that make someone an editor: Administrator, Manage Server.</summary>
    private const ulong EditContentPermissions = (1UL << 3) | (1UL << 5);

    /// <summary>
    /// Discord's verdict on the person: Manage Server (or Administrator), or a role the settings name
    /// in Content:EditorRoleIds. Only guild members can be editors: a DM has no member to judge.
    /// The core adds the rule on which guilds' editors count.
    /// </summary>
    private bool IsEditor(GuildMember? member)
    {
        if (member is null) return false;
        if (Permissions(member) is { } permissions && (permissions & EditContentPermissions) != 0) return true;
        var editorRoles = content.Value.EditorRoleIds;
        return editorRoles.Count > 0 && member.Roles?.Any(role => role is not null && editorRoles.Contains(role)) == true;
    }

    private static ulong? Permissions(GuildMember? member) =>
        ulong.TryParse(member?.Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var permissions) ? permissions : null;

    /// <summary>The display name people see, else the unique username: what the audit log records.</summary>
    private static string? UserName(DiscordUser? user) =>
        new[] { user?.GlobalName, user?.Username }.FirstOrDefault(name => !string.IsNullOrWhiteSpace(name));
}
