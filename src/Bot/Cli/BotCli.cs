using System.CommandLine;
using Bot.Core;
using Bot.Core.Chat;
using Bot.Embeddings;
using Bot.Feeds;
using Bot.Hosting;
using Bot.Logging;
using Bot.Storage;
using Bot.Storage.Migrations;

namespace Bot.Cli;

/// <summary>
/// The command line: <c>bot</c>/<c>bot run</c> start the host; the other verbs answer once and exit,
/// through the same command core the chat platforms use. Each group of verbs lives in its own file.
/// </summary>
public static class BotCli
{
    /// <param name="settings">Configuration that wins over files and environment (tests point the store at a temp file).</param>
    /// <param name="cancellationToken">Stops a started host (tests), as Ctrl+C does.</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter? output = null, TextWriter? error = null, IReadOnlyDictionary<string, string?>? settings = null, TextReader? input = null,
        CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var (rest, fromArguments) = ConfigurationArguments.Split(args);
        var merged = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in fromArguments) merged[key] = value;
        var root = Build(new CliIo(output, error, merged, input));
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(rest).InvokeAsync(configuration, cancellationToken);
    }

    private static RootCommand Build(CliIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print the platform-neutral message as JSON", Recursive = true };

        var root = new RootCommand("News-briefing bot: incidents, timelines and anniversaries from the store.");
        root.Options.Add(json);
        HostCliCommands.AddTo(root, io);
        IncidentCliCommands.AddTo(root, json, io);
        AskCliCommands.AddTo(root, json, io);
        DiscordCliCommands.AddTo(root, io);
        SlackCliCommands.AddTo(root, io);
        BriefingCliCommands.AddTo(root, json, io);
        FeedsCliCommands.AddTo(root, json, io);
        InstallationCliCommands.AddTo(root, json, io);
        root.Subcommands.Add(HostCliCommands.HealthCheck(io));
        return root;
    }

    /// <summary>Runs one chat command line through the router and prints the answer; exit 0 only for a card.</summary>
    internal static Task<int> ChatAsync(string commandLine, bool asJson, CliIo io, CancellationToken cancellationToken, ChatContext? context = null) =>
        WithServicesAsync(io, seed: true, async services =>
        {
            var router = services.GetRequiredService<CommandRouter>();
            var message = await router.HandleAsync(new ChatRequest(commandLine, context ?? ChatContext.Cli), cancellationToken);
            await PrintAsync(message, asJson, io);
            return message.Kind == MessageKind.Card ? 0 : 1;
        }, cancellationToken);

    internal static Task PrintAsync(ChatMessage message, bool asJson, CliIo io) =>
        io.Output.WriteAsync(asJson ? CliJson.Serialize(message) + Environment.NewLine : PlainTextRenderer.Render(message));

    /// <summary>A host builder with the bot's configuration and quiet logging, for one-shot commands.</summary>
    internal static HostApplicationBuilder CreateBuilder(CliIo io)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.AddBotConfiguration(io.Settings);
        ConfigureQuietLogging(builder);
        return builder;
    }

    /// <summary>One-shot commands print their answer on stdout; only warnings belong beside it, on stderr, whatever appsettings says.</summary>
    private static void ConfigureQuietLogging(HostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSecretScrubbing();
        builder.Services.PostConfigure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        });
    }

    /// <summary>Builds the services a one-shot command needs, brings the store up to date, and runs <paramref name="work"/>.</summary>
    /// <param name="prepare">Migrate (and seed, when <paramref name="seed"/>) before the work; false leaves the store untouched.</param>
    internal static async Task<int> WithServicesAsync(CliIo io, bool seed, Func<IServiceProvider, Task<int>> work, CancellationToken cancellationToken,
        bool prepare = true)
    {
        var builder = CreateBuilder(io);
        builder.Services.AddBotCore().AddBotStorage().AddFeedFetching().AddBotEmbeddings();
        using var host = builder.Build();
        try
        {
            // Only the options this command uses are bound, and only when it uses them: each bad value is caught below.
            if (prepare && seed)
                await host.Services.GetRequiredService<StoreInitializer>().InitializeAsync(cancellationToken);
            else if (prepare)
                await host.Services.GetRequiredService<ISchemaMigrator>().MigrateAsync(cancellationToken);
            return await work(host.Services);
        }
        catch (StoreUnavailableException ex)
        {
            await io.Error.WriteLineAsync($"bot: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ConfigurationProblems.Describe(ex) is { } problem)
        {
            await io.Error.WriteLineAsync($"bot: {problem}");
            return 2;
        }
    }
}

/// <summary>Where a command writes, what it reads, and the configuration that wins over files and environment.</summary>
internal sealed record CliIo(TextWriter Output, TextWriter Error, IReadOnlyDictionary<string, string?> Settings, TextReader? Input = null);
