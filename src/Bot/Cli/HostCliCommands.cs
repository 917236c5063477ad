using System.CommandLine;
using Bot.Hosting;
using Bot.Storage;

namespace Bot.Cli;

/// <summary><c>bot</c> and <c>bot run</c> start the long-running host; <c>bot healthcheck</c> asks a running one.</summary>
internal static class HostCliCommands
{
    public static void AddTo(RootCommand root, CliIo io)
    {
        // Host options such as --urls pass through to ASP.NET untouched.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) => RunHostAsync(parse.UnmatchedTokens.ToArray(), io, ct));

        var run = new Command("run", "Start the bot (the default when no verb is given)") { TreatUnmatchedTokensAsErrors = false };
        run.SetAction((parse, ct) => RunHostAsync(parse.UnmatchedTokens.ToArray(), io, ct));
        root.Subcommands.Add(run);
    }

    public static Command HealthCheck(CliIo io)
    {
        var url = new Option<string>("--url") { Description = "The host's base address", DefaultValueFactory = _ => BotHost.DefaultUrl };
        var health = new Command("healthcheck", "Exit 0 when a running bot answers /healthz (for container health checks)") { url };
        health.SetAction((parse, ct) => HealthCheckAsync(parse.GetValue(url)!, io, ct));
        return health;
    }

    private static async Task<int> HealthCheckAsync(string baseUrl, CliIo io, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), "healthz"), cancellationToken);
            await io.Output.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await io.Error.WriteLineAsync($"bot: {baseUrl} does not answer: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunHostAsync(string[] hostArgs, CliIo io, CancellationToken cancellationToken)
    {
        var error = io.Error;
        try
        {
            await using var app = BotHost.Build(hostArgs, io.Settings);
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (StoreUnavailableException ex)
        {
            await error.WriteLineAsync($"bot: cannot start: {ex.Message}");
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await error.WriteLineAsync($"bot: invalid configuration: {ex.Message}");
            return 2;
        }
    }
}
