using System.Diagnostics;
using Bot.Cli;
using Bot.Testing;

namespace Bot.Tests;

/// <summary>What stops the bot before it serves reads as one line naming the key, never a stack trace.</summary>
public sealed class CliConfigurationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-cli-config-").FullName;

    private string Database => Path.Combine(_folder, "bot.db");

    private async Task<(int Code, string Output, string Error)> Run(IReadOnlyDictionary<string, string?> extra, params string[] args)
    {
        var settings = new Dictionary<string, string?> { ["Storage:Path"] = Database, ["Seeds:Path"] = RepoPaths.Seeds };
        foreach (var (key, value) in extra) settings[key] = value;
        var output = new StringWriter();
        var error = new StringWriter();
        // A host that starts despite the problem would run until stopped: the wait turns that into a failure.
        var code = await BotCli.RunAsync(args, output, error, settings).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("Discord:Mode", "Websocket", "bot: invalid configuration: Discord:Mode must be Http or Gateway (got 'Websocket')")]
    [InlineData("Slack:Mode", "Events", "bot: invalid configuration: Slack:Mode must be Http or Socket (got 'Events')")]
    [InlineData("Discord:ShardCount", "abc", "bot: invalid configuration: Discord:ShardCount must be a whole number (got 'abc')")]
    [InlineData("Delivery:CatchUpHours", "abc", "bot: invalid configuration: Delivery:CatchUpHours must be a number (got 'abc')")]
    [InlineData("Delivery:CatchUpHours", "100", "bot: invalid configuration: Delivery:CatchUpHours must be between 0 and 48 (got 100)")]
    [InlineData("Scheduler:CheckinInterval", "00:00:00", "bot: invalid configuration: Scheduler:CheckinInterval must be between 00:00:00.2000000 and 00:05:00 (got 00:00:00)")]
    [InlineData("Scheduler:InstanceId", " ", "bot: invalid configuration: Scheduler:InstanceId must be AUTO or a name of at most 100 printable characters, different for every instance")]
    [InlineData("Discord:Mode", "Gateway", "bot: invalid configuration: Discord:Mode is Gateway but Discord:ApplicationId and Discord:BotToken are not set")]
    [InlineData("Discord:Mode", "Http", "bot: invalid configuration: Discord:Mode is Http but Discord:ApplicationId, Discord:PublicKey and Discord:BotToken are not set")]
    [InlineData("Slack:Mode", "Socket", "bot: invalid configuration: Slack:Mode is Socket but Slack:BotToken and Slack:AppToken are not set")]
    [InlineData("Discord:BotToken", "x", "bot: invalid configuration: Discord:ApplicationId is missing")]
    [InlineData("Slack:Commands:incident", "/news-incident", "bot: invalid configuration: Slack:Commands is no longer read; command names are set for Discord and Slack together with Commands:Prefix (e.g. brief → /brief-incident) or Commands:Names:<command> (here: Commands:Names:incident=news-incident)")]
    [InlineData("Commands:Names:incidnet", "case", "bot: invalid configuration: Commands:Names has no command 'incidnet'; the commands are incident, incidents, timeline, onthisday, briefing, ask, feeds")]
    [InlineData("Commands:Prefix", "Brief", "bot: invalid configuration: Commands:Prefix must be lower case (got 'Brief')")]
    [InlineData("Commands:Names:timeline", "incidents", "bot: invalid configuration: /incidents would name incidents and timeline; each command needs a name of its own")]
    public async Task A_configuration_error_stops_start_up_with_one_line_naming_the_key(string key, string value, string expected)
    {
        var (code, output, error) = await Run(new Dictionary<string, string?> { [key] = value }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, code);
        Assert.Equal(expected, error.TrimEnd());
        Assert.Empty(output);
        Assert.False(File.Exists(Database), "the store was touched before the configuration was checked");
    }

    [Fact]
    public async Task A_corrupt_database_stops_start_up_with_one_line()
    {
        await File.WriteAllTextAsync(Database, new string('x', 4096));

        var (code, _, error) = await Run(new Dictionary<string, string?>(), "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, code);
        Assert.StartsWith($"bot: cannot start: The database at {Database} is corrupt", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.TrimEnd());
    }

    /// <summary>The host logs a failed start with its stack trace on the console, which only a whole process shows.</summary>
    [Theory]
    [InlineData("Delivery__CatchUpHours", "abc", "bot: invalid configuration: Delivery:CatchUpHours must be a number (got 'abc')")]
    [InlineData("Delivery__CatchUpHours", "100", "bot: invalid configuration: Delivery:CatchUpHours must be between 0 and 48 (got 100)")]
    [InlineData("Discord__Mode", "Websocket", "bot: invalid configuration: Discord:Mode must be Http or Gateway (got 'Websocket')")]
    [InlineData(null, null, "bot: cannot start: The database at {db} is corrupt")]
    public async Task The_whole_process_prints_one_line_and_no_stack_trace(string? variable, string? value, string expected)
    {
        if (variable is null) await File.WriteAllTextAsync(Database, new string('x', 4096));
        var environment = new Dictionary<string, string> { ["Storage__Path"] = Database, ["Seeds__Path"] = RepoPaths.Seeds };
        if (variable is not null) environment[variable] = value!;

        var (code, everything) = await RunProcessAsync(environment, "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, code);
        var line = Assert.Single(everything.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith(expected.Replace("{db}", Database, StringComparison.Ordinal), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discord_register_needs_only_the_application_id_and_the_bot_token()
    {
        await using var discord = await Bot.Testing.Discord.FakeDiscordServer.StartAsync();

        var (code, output, error) = await Run(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
        }, "discord", "register", "--guild", "555");

        Assert.True(code == 0, error);
        Assert.Contains("Registered 8 commands in guild 555", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discord_register_names_the_keys_it_lacks_in_one_line()
    {
        var (code, _, error) = await Run(new Dictionary<string, string?> { ["Discord:PublicKey"] = new string('a', 64) }, "discord", "register");

        Assert.Equal(2, code);
        Assert.Equal("bot: cannot register Discord commands: Discord:ApplicationId and Discord:BotToken are not set", error.TrimEnd());
    }

    [Fact]
    public async Task A_platform_without_a_sender_is_refused_and_nothing_is_subscribed()
    {
        var (code, _, error) = await Run(new Dictionary<string, string?>(),
            "subscriptions", "add", "digest", "--platform", "teams", "--workspace", "T1", "--channel", "C1");
        var (_, listed, _) = await Run(new Dictionary<string, string?>(), "subscriptions", "list");

        Assert.Equal(1, code);
        Assert.Equal("bot: --platform must be discord or slack (got 'teams')", error.TrimEnd());
        Assert.Contains("No subscriptions.", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthcheck_asks_where_the_configured_urls_say_the_host_listens()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>());
        var port = bot.BaseAddress.Port;

        var (code, output, error) = await Run(new Dictionary<string, string?> { ["urls"] = $"http://0.0.0.0:{port}" }, "healthcheck");
        var (processCode, processOutput) = await RunProcessAsync(new Dictionary<string, string> { ["ASPNETCORE_URLS"] = $"http://+:{port}" }, "healthcheck");

        Assert.True(code == 0, error);
        Assert.StartsWith("200", output, StringComparison.Ordinal);
        Assert.True(processCode == 0, processOutput);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5080")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080")]
    [InlineData("http://*:8080/", "http://127.0.0.1:8080/")]
    [InlineData("https://example.org:443;http://0.0.0.0:5080", "http://127.0.0.1:5080")]
    [InlineData("http://[::]:5080", "http://[::1]:5080")]
    [InlineData("http://localhost:5000", "http://localhost:5000")]
    public void The_probe_address_reaches_a_listen_everywhere_host_through_loopback(string? urls, string expected) =>
        Assert.Equal(expected, HostCliCommands.ProbeAddress(urls));

    private async Task<(int Code, string Output)> RunProcessAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "bot.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bot {string.Join(' ', args)} did not exit: {await output}{await error}");
        }

        return (process.ExitCode, await output + await error);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
