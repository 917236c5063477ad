using System.CommandLine;
using Bot.Discord;
using Bot.Hosting;
using Bot.Slack;
using Bot.Storage.Migrations;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary><c>bot</c> and <c>bot run</c> start the long-running host; <c>bot healthcheck</c> asks a running one.</summary>
internal static class HostCliCommands
{
    public static void AddTo(RootCommand root, CliIo io)
    {
        // Host options such as --urls pass through to ASP.NET; anything else left over is a mistyped verb.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) => RunHostAsync(parse, root, io, ct));

        var run = new Command("run", "Start the bot (the default when no verb is given)") { TreatUnmatchedTokensAsErrors = false };
        run.SetAction((parse, ct) => RunHostAsync(parse, root, io, ct));
        root.Subcommands.Add(run);
    }

    /// <summary>
    /// The first token that is not an ASP.NET command-line option (<c>--key value</c> or
    /// <c>--key=value</c>), or null when every token is one.
    /// </summary>
    public static string? FirstStrayToken(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2) return token;
            if (token.Contains('=', StringComparison.Ordinal)) continue;
            if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) return token;
            i++;
        }

        return null;
    }

    /// <summary>One line for a token that is neither a verb nor a host option: the closest verb when one is near.</summary>
    public static string Stray(string token, RootCommand root)
    {
        if (token.StartsWith("--", StringComparison.Ordinal))
            return $"bot: the host option {token} needs a value (--key value or --key=value)";
        var verbs = root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        var closest = Closest(token, verbs);
        return closest is null
            ? $"bot: unknown command '{token}'; the commands are {string.Join(", ", verbs)}"
            : $"bot: unknown command '{token}'; did you mean '{closest}'?";
    }

    private static string? Closest(string token, IReadOnlyList<string> verbs)
    {
        var word = token.ToLowerInvariant();
        return verbs
            .Select(v => (Verb: v, Distance: Core.Text.EditDistance.Compute(word, v)))
            .Where(c => c.Distance <= 1 + Math.Max(word.Length, c.Verb.Length) / 4)
            .OrderBy(c => c.Distance)
            .Select(c => c.Verb)
            .FirstOrDefault();
    }

    public static Command HealthCheck(CliIo io)
    {
        var url = new Option<string?>("--url") { Description = "The host's base address (default: where the host listens, from --urls / ASPNETCORE_URLS / urls)" };
        var health = new Command("healthcheck", "Exit 0 when a running bot answers /healthz (for container health checks)") { url };
        health.SetAction((parse, ct) => HealthCheckAsync(parse.GetValue(url) ?? ProbeAddress(ConfiguredUrls(io)), io, ct));
        return health;
    }

    /// <summary>The listen addresses the host would read: ASPNETCORE_URLS, <c>urls</c> in any configuration source.</summary>
    private static string? ConfiguredUrls(CliIo io)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.AddBotConfiguration(io.Settings);
        return builder.Configuration["urls"] is { Length: > 0 } urls ? urls : builder.Configuration["ASPNETCORE_URLS"];
    }

    /// <summary>
    /// Where to reach a host listening on <paramref name="urls"/> from this machine: its first http
    /// address, with a listen-on-everything host (0.0.0.0, +, *, [::]) replaced by loopback.
    /// </summary>
    public static string ProbeAddress(string? urls)
    {
        var all = (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var url = all.FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? all.FirstOrDefault() ?? BotHost.DefaultUrl;
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return url;
        var rest = url[(schemeEnd + 3)..];
        var hostEnd = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        if (hostEnd <= 0) hostEnd = rest.Length;
        var host = rest[..hostEnd] switch
        {
            "0.0.0.0" or "+" or "*" => "127.0.0.1",
            "[::]" => "[::1]",
            var named => named,
        };
        return url[..(schemeEnd + 3)] + host + rest[hostEnd..];
    }

    private static async Task<int> HealthCheckAsync(string baseUrl, CliIo io, CancellationToken cancellationToken)
    {
        // Generous: a container runtime kills the probe at its own timeout, and a busy host answering in 4 s is alive.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
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

    private static async Task<int> RunHostAsync(ParseResult parse, RootCommand root, CliIo io, CancellationToken cancellationToken)
    {
        var error = io.Error;
        var hostArgs = parse.UnmatchedTokens.ToArray();
        if (FirstStrayToken(hostArgs) is { } stray)
        {
            await error.WriteLineAsync(Stray(stray, root));
            return 1;
        }

        try
        {
            await using var app = BotHost.Build(hostArgs, io.Settings);
            if (ConfigurationProblems.ModeWithoutCredentials(app.Configuration,
                    app.Services.GetRequiredService<IOptions<DiscordOptions>>().Value,
                    app.Services.GetRequiredService<IOptions<SlackOptions>>().Value) is { } problem)
            {
                await error.WriteLineAsync($"bot: {problem}");
                return 2;
            }

            // Checked before the host starts: a failure inside StartAsync is also logged by the host, stack trace and all.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.Services.GetRequiredService<ISchemaMigrator>().MigrateAsync(cancellationToken);
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (Exception ex) when (ConfigurationProblems.Describe(ex) is { } problem)
        {
            await error.WriteLineAsync($"bot: {problem}");
            return 2;
        }
    }
}
