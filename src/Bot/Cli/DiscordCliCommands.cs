using System.CommandLine;
using Bot.Discord;

namespace Bot.Cli;

/// <summary>Discord administration: <c>discord register</c>.</summary>
internal static class DiscordCliCommands
{
    public static void AddTo(RootCommand root, CliIo io)
    {
        var guild = new Option<string?>("--guild") { Description = "Register in one guild (instant) instead of globally" };
        var register = new Command("register", "Overwrite the Discord slash commands with the bot's command set (idempotent)") { guild };
        register.SetAction((parse, ct) => RegisterAsync(parse.GetValue(guild), io, ct));
        root.Subcommands.Add(new Command("discord", "Discord administration") { register });
    }

    private static async Task<int> RegisterAsync(string? guildId, CliIo io, CancellationToken cancellationToken)
    {
        var builder = BotCli.CreateBuilder(io);
        builder.Services.AddBotDiscord();
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value;
        if (!options.Enabled || options.FirstProblem() is { } problem)
        {
            await io.Error.WriteLineAsync($"bot: cannot register Discord commands: {(options.Enabled ? options.FirstProblem() : "Discord:ApplicationId, Discord:PublicKey and Discord:BotToken are not configured")}");
            return 2;
        }

        try
        {
            var registrar = host.Services.GetRequiredService<DiscordCommandRegistrar>();
            var count = await registrar.RegisterAsync(guildId, cancellationToken);
            await io.Output.WriteLineAsync($"Registered {count} commands {(guildId is null ? "globally" : $"in guild {guildId}")}: /{string.Join(", /", registrar.CommandNames)}");
            return 0;
        }
        catch (Exception ex) when (ex is Discord.Protocol.DiscordApiException or Discord.Protocol.DiscordUnavailableException)
        {
            await io.Error.WriteLineAsync($"bot: {ex.Message}");
            return 1;
        }
    }
}
