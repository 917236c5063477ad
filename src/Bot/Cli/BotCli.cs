using System.CommandLine;
using Bot.Core;
using Bot.Core.Chat;
using Bot.Core.Incidents.Import;
using Bot.Hosting;
using Bot.Storage;
using Bot.Storage.Migrations;

namespace Bot.Cli;

/// <summary>
/// The command line: <c>bot</c>/<c>bot run</c> start the host; the other verbs answer once and exit,
/// through the same command core the chat platforms use.
/// </summary>
public static class BotCli
{
    /// <param name="settings">Configuration that wins over files and environment (tests point the store at a temp file).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(new CliIo(output, error, settings ?? new Dictionary<string, string?>()));
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(configuration);
    }

    private sealed record CliIo(TextWriter Output, TextWriter Error, IReadOnlyDictionary<string, string?> Settings);

    private static RootCommand Build(CliIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print the platform-neutral message as JSON", Recursive = true };

        var root = new RootCommand("News-briefing bot: incidents, timelines and anniversaries from the store.");
        root.Options.Add(json);
        // Host options such as --urls pass through to ASP.NET untouched.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) => RunHostAsync(parse.UnmatchedTokens.ToArray(), io, ct));

        var run = new Command("run", "Start the bot (the default when no verb is given)") { TreatUnmatchedTokensAsErrors = false };
        run.SetAction((parse, ct) => RunHostAsync(parse.UnmatchedTokens.ToArray(), io, ct));
        root.Subcommands.Add(run);

        var incidentQuery = new Argument<string[]>("query") { Arity = ArgumentArity.ZeroOrMore, Description = "Name, alias or words of the title; 'list [category]' lists them" };
        var incident = new Command("incident", "Show an incident's card, or list incidents") { incidentQuery };
        incident.SetAction((parse, ct) => ChatAsync($"incident {string.Join(' ', parse.GetValue(incidentQuery) ?? [])}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(incident);

        var timelineQuery = new Argument<string[]>("incident") { Arity = ArgumentArity.ZeroOrMore };
        var timeline = new Command("timeline", "Show an incident's dated events, oldest first") { timelineQuery };
        timeline.SetAction((parse, ct) => ChatAsync($"timeline {string.Join(' ', parse.GetValue(timelineQuery) ?? [])}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(timeline);

        var date = new Option<string?>("--date") { Description = "Calendar day as MM-DD (default: today, UTC)" };
        var onThisDay = new Command("onthisday", "Anniversaries of day-precise events") { date };
        onThisDay.SetAction((parse, ct) => ChatAsync($"onthisday {parse.GetValue(date)}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(onThisDay);

        var importPath = new Argument<string>("path") { Description = "A folder of seed files or a JSONL file" };
        var import = new Command("import", "Load incidents from seed files (idempotent)") { importPath };
        import.SetAction((parse, ct) => ImportAsync(parse.GetValue(importPath)!, parse.GetValue(json), io, ct));
        root.Subcommands.Add(import);

        var healthUrl = new Option<string>("--url") { Description = "The host's base address", DefaultValueFactory = _ => BotHost.DefaultUrl };
        var health = new Command("healthcheck", "Exit 0 when a running bot answers /healthz (for container health checks)") { healthUrl };
        health.SetAction((parse, ct) => HealthCheckAsync(parse.GetValue(healthUrl)!, io, ct));
        root.Subcommands.Add(health);

        return root;
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

    private static async Task<int> ChatAsync(string commandLine, bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        var output = io.Output;
        return await WithServicesAsync(io, seed: true, async services =>
        {
            var router = services.GetRequiredService<CommandRouter>();
            var message = await router.HandleAsync(new ChatRequest(commandLine, ChatContext.Cli), cancellationToken);
            await output.WriteAsync(asJson ? CliJson.Serialize(message) + Environment.NewLine : PlainTextRenderer.Render(message));
            return message.Kind == MessageKind.Card ? 0 : 1;
        }, cancellationToken);
    }

    private static async Task<int> ImportAsync(string path, bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        var output = io.Output;
        return await WithServicesAsync(io, seed: false, async services =>
        {
            var report = await services.GetRequiredService<IncidentImporter>().ImportAsync(path, cancellationToken);
            if (asJson)
            {
                await output.WriteLineAsync(CliJson.Serialize(new
                {
                    report.Added, report.Updated, report.Unchanged,
                    problems = report.Problems.Select(p => new { file = p.File, reason = p.Reason }),
                }));
            }
            else
            {
                await output.WriteLineAsync($"Imported from {path}: {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged.");
                foreach (var problem in report.Problems)
                    await output.WriteLineAsync($"  skipped {problem.File}: {problem.Reason}");
            }

            return report.Problems.Count == 0 ? 0 : 1;
        }, cancellationToken);
    }

    /// <summary>Builds the services a one-shot command needs, brings the store up to date, and runs <paramref name="work"/>.</summary>
    private static async Task<int> WithServicesAsync(CliIo io, bool seed, Func<IServiceProvider, Task<int>> work, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.AddBotConfiguration(io.Settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // One-shot commands print their answer; only warnings belong beside it, whatever appsettings says.
        builder.Services.PostConfigure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        });
        builder.Services.AddBotCore().AddBotStorage();
        using var host = builder.Build();
        try
        {
            if (seed)
                await host.Services.GetRequiredService<StoreInitializer>().InitializeAsync(cancellationToken);
            else
                await host.Services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            return await work(host.Services);
        }
        catch (StoreUnavailableException ex)
        {
            await io.Error.WriteLineAsync($"bot: {ex.Message}");
            return 2;
        }
    }
}
