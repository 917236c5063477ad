using System.Text;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Discord.Commands;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Inbound;

/// <summary>
/// Turns one verified interaction into its first response, whatever transport brought it (the HTTP
/// endpoint or the gateway). Commands and buttons go through the core router; an answer that is not
/// ready within the deferral budget is acknowledged as "thinking…" and delivered later by editing
/// the original response.
/// </summary>
internal sealed class InteractionHandler(
    CommandRouter router,
    IncidentFinder finder,
    DiscordRestClient rest,
    BackgroundWork background,
    AnswerCache cache,
    TimeProvider time,
    IOptions<DiscordOptions> options,
    ILogger<InteractionHandler> logger)
{
    private const int MaxCommandLength = 2000;

    /// <summary>The first response, as the JSON bytes Discord receives.</summary>
    /// <param name="delivered">
    /// Completes once that response has reached Discord: an answer that is deferred edits the
    /// original response, which must exist first. Over HTTP the response is the reply to Discord's
    /// own request and is there at once; over the gateway it is a separate callback request.
    /// </param>
    public async Task<byte[]> HandleAsync(Interaction interaction, CancellationToken cancellationToken, Task? delivered = null)
    {
        switch (interaction.Type)
        {
            case InteractionType.Ping:
                return Serialize(new InteractionResponse(InteractionCallbackType.Pong));
            case InteractionType.ApplicationCommandAutocomplete:
                return await AutocompleteCachedAsync(interaction, cancellationToken);
            case InteractionType.ApplicationCommand:
                return await RunCachedAsync(interaction, CommandLine(interaction.Data), isComponent: false, delivered);
            case InteractionType.MessageComponent:
                return await RunCachedAsync(interaction, interaction.Data?.CustomId ?? string.Empty, isComponent: true, delivered);
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

    /// <summary>Answers that depend only on the content are rendered once per content version and command line.</summary>
    private async Task<byte[]> RunCachedAsync(Interaction interaction, string commandLine, bool isComponent, Task? delivered)
    {
        if (!router.IsContentOnly(new ChatRequest(commandLine, ChatContext.Cli)))
            return Serialize(await RunAsync(interaction, commandLine, isComponent, delivered));

        var key = (isComponent ? "component " : "command ") + commandLine.Trim().ToLowerInvariant();
        if (cache.TryGet(key, out var cached)) return cached;
        var version = cache.Version;
        var response = await RunAsync(interaction, commandLine, isComponent, delivered);
        var bytes = Serialize(response);
        if (response.Type == InteractionCallbackType.ChannelMessageWithSource) cache.Add(key, bytes, version);
        return bytes;
    }

    /// <summary>"/timeline incident:balloon" → "timeline balloon"; subcommands and groups flatten the same way.</summary>
    public static string CommandLine(InteractionData? data)
    {
        if (data?.Name is null) return string.Empty;
        var builder = new StringBuilder(data.Name);
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

    private async Task<InteractionResponse> RunAsync(Interaction interaction, string commandLine, bool isComponent, Task? delivered)
    {
        var request = new ChatRequest(commandLine, Context(interaction));
        using var requestScope = logger.BeginScope(new KeyValuePair<string, object?>[]
        {
            new("Platform", "discord"), new("Workspace", request.Context.Workspace), new("Command", request.Command),
        });

        // Not tied to the HTTP request: if it outlives the deferral budget it must still finish.
        var (finished, work) = await background.WaitUpToAsync(ct => router.HandleAsync(request, ct), options.Value.DeferAfter, time);
        if (finished)
        {
            var message = await work;
            // A button shows its answer to the one who pressed it; a command's answer is public unless it is an error.
            return Reply(message, ephemeral: isComponent || message.Ephemeral);
        }

        var token = interaction.Token;
        if (string.IsNullOrEmpty(token))
            return Reply(ChatMessage.Error("This interaction cannot be answered later."), ephemeral: true);

        background.Start($"deferred Discord answer to {request.Command}", async ct =>
        {
            var message = await work;
            if (delivered is not null) await delivered;
            await rest.EditOriginalAsync(token, DiscordMessageRenderer.Render(message, ephemeral: false), ct);
        });
        return new InteractionResponse(
            InteractionCallbackType.DeferredChannelMessageWithSource,
            isComponent ? new MessagePayload { Flags = DiscordMessageRenderer.EphemeralFlag } : null);
    }

    /// <summary>Suggestions depend only on what was typed and the content: each prefix is computed once per content version.</summary>
    private async Task<byte[]> AutocompleteCachedAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var focused = Focused(interaction.Data?.Options);
        var typed = focused?.Value is { ValueKind: JsonValueKind.String } v ? v.GetString() ?? "" : "";
        var key = $"autocomplete {interaction.Data?.Name} {focused?.Name} {typed.Trim().ToLowerInvariant()}";
        if (cache.TryGet(key, out var cached)) return cached;
        var version = cache.Version;
        var bytes = Serialize(await AutocompleteAsync(interaction, cancellationToken));
        cache.Add(key, bytes, version);
        return bytes;
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
        else if (focused is not null && interaction.Data?.Name is { } name && DiscordCommandSet.IncidentAutocomplete.Contains(name))
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

    private static ChatContext Context(Interaction interaction) => new()
    {
        Platform = "discord",
        Workspace = interaction.GuildId ?? "dm",
        Channel = interaction.ChannelId,
        User = interaction.InvokerId,
        Thread = interaction.ChannelId,
        CanManageBriefings = ulong.TryParse(interaction.Member?.Permissions, out var permissions) && (permissions & ManageBriefingPermissions) != 0,
    };
}
