using System.CommandLine;
using Bot.Discord;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary>Discord administration: <c>discord register</c>.</summary>
internal static class DiscordCliCommands
{
    public static void AddTo(RootCommand root, CliIo io)
    {
        var guild = new Option<string?>("--guild") { Description = "Register in one guild (instant) instead of globally" };
        var register = new Command("register", "Overwrite the Discord slash commands with the bot's command set (idempotent)") { guild };
        register.SetAction((parse, ct) => RegisterAsync(parse.GetValue(guild), io, ct));
        var invite = new Command("invite", "Print the link that adds the bot to a server, with exactly the permissions it uses");
        invite.SetAction((_, ct) => InviteAsync(io, ct));
        root.Subcommands.Add(new Command("discord", "Discord administration") { register, invite });
    }

    private static async Task<int> RegisterAsync(string? guildId, CliIo io, CancellationToken cancellationToken)
    {
        var builder = BotCli.CreateBuilder(io);
        builder.Services.AddBotDiscord();
        // The adapter's own rules are for serving (Http mode verifies requests with the public key);
        // registration only calls the REST API, so it checks just what that needs.
        builder.Services.RemoveAll<IValidateOptions<DiscordOptions>>();
        using var host = builder.Build();
        DiscordOptions options;
        try
        {
            options = host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value;
            // The names are registered as configured: a bad Commands:* setting is reported here, not half-registered.
            _ = host.Services.GetRequiredService<Core.Chat.CommandNames>();
        }
        catch (Exception ex) when (ConfigurationProblems.Describe(ex) is { } line)
        {
            await io.Error.WriteLineAsync($"bot: {line}");
            return 2;
        }

        if (RegistrationProblem(options) is { } problem)
        {
            await io.Error.WriteLineAsync($"bot: cannot register Discord commands: {problem}");
            return 2;
        }

        try
        {
            var registrar = host.Services.GetRequiredService<DiscordCommandRegistrar>();
            var count = await registrar.RegisterAsync(guildId, cancellationToken);
            await io.Output.WriteLineAsync($"Registered {Core.Text.Plural.Of(count, "command")} {(guildId is null ? "globally" : $"in guild {guildId}")}: /{string.Join(", /", registrar.CommandNames)}");
            return 0;
        }
        catch (Exception ex) when (ex is Discord.Protocol.DiscordApiException or Discord.Protocol.DiscordUnavailableException)
        {
            await io.Error.WriteLineAsync($"bot: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> InviteAsync(CliIo io, CancellationToken cancellationToken)
    {
        var builder = BotCli.CreateBuilder(io);
        builder.Services.AddBotDiscord();
        builder.Services.RemoveAll<IValidateOptions<DiscordOptions>>();
        using var host = builder.Build();
        var id = host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value.ApplicationId;
        if (string.IsNullOrWhiteSpace(id) || !ulong.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            await io.Error.WriteLineAsync("bot: Discord:ApplicationId must be set to the numeric application id");
            return 2;
        }

        cancellationToken.ThrowIfCancellationRequested();
        await io.Output.WriteLineAsync(DiscordInvite.Url(id));
        return 0;
    }

    private static string? RegistrationProblem(DiscordOptions options)
    {
        var missing = new[] { ("Discord:ApplicationId", options.ApplicationId), ("Discord:BotToken", options.BotToken) }
            .Where(key => string.IsNullOrWhiteSpace(key.Item2)).Select(key => key.Item1).ToList();
        if (missing.Count > 0) return $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not set";
        if (!ulong.TryParse(options.ApplicationId, out _)) return "Discord:ApplicationId must be the numeric application id";
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return "Discord:ApiBaseUrl must be an absolute http(s) address";
        return null;
    }
}
