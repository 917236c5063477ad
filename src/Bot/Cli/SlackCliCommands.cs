using System.CommandLine;
using Bot.Core;
using Bot.Core.Chat;
using Bot.Slack;

namespace Bot.Cli;

/// <summary>Slack administration: <c>slack manifest</c>.</summary>
internal static class SlackCliCommands
{
    public static void AddTo(RootCommand root, CliIo io)
    {
        var socket = new Option<bool>("--socket") { Description = "For Socket Mode: no request URLs" };
        var url = new Option<string?>("--url") { Description = $"The bot's public address (default {SlackAppManifest.ExampleBaseUrl}; with --socket, only for the OAuth redirect)" };
        var name = new Option<string?>("--name") { Description = $"The app's name in Slack (default '{SlackAppManifest.DefaultAppName}'; at most {SlackAppManifest.MaxAppNameLength} characters); the bot user's handle follows it" };
        var manifest = new Command("manifest", "Print the Slack app manifest (YAML) for the configured command names") { socket, url, name };
        manifest.SetAction((parse, _) => ManifestAsync(parse.GetValue(socket), parse.GetValue(url), parse.GetValue(name), io));
        root.Subcommands.Add(new Command("slack", "Slack administration") { manifest });
    }

    private static async Task<int> ManifestAsync(bool socket, string? url, string? name, CliIo io)
    {
        if (name is not null && SlackAppManifest.ProblemWithAppName(name) is { } nameProblem)
        {
            await io.Error.WriteLineAsync($"bot: --name: {nameProblem}");
            return 1;
        }

        Uri? uri = null;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            await io.Error.WriteLineAsync($"bot: --url must be an absolute http(s) address without a query (got '{url}')");
            return 1;
        }

        var builder = BotCli.CreateBuilder(io);
        builder.Services.AddCommandNames();
        using var host = builder.Build();
        try
        {
            var names = host.Services.GetRequiredService<CommandNames>();
            await io.Output.WriteAsync(SlackAppManifest.Render(names, socket, uri?.AbsoluteUri, name?.Trim() ?? SlackAppManifest.DefaultAppName));
            return 0;
        }
        catch (Exception ex) when (ConfigurationProblems.Describe(ex) is { } problem)
        {
            await io.Error.WriteLineAsync($"bot: {problem}");
            return 2;
        }
    }
}
