using System.Net;
using System.Text.Json;
using Bot.Hosting;
using Bot.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bot.Tests;

public sealed class HostTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-host-").FullName;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = BotHost.Build(["--urls", "http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(_folder, "bot.db"),
            ["Seeds:Path"] = RepoPaths.Seeds,
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    [Fact]
    public async Task Healthz_says_the_process_is_alive()
    {
        var response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_reports_the_seeded_store()
    {
        var response = await _http.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var store = json.RootElement.GetProperty("entries").GetProperty("store");
        Assert.Equal("Healthy", store.GetProperty("status").GetString());
        Assert.Equal(12, store.GetProperty("data").GetProperty("incidents").GetInt32());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Discord:BotToken", "x", "Discord:ApplicationId is missing")]
    [InlineData("Discord:ApplicationId", "123", "Discord:PublicKey is missing")]
    [InlineData("Slack:BotToken", "xoxb-1", "Slack:SigningSecret is missing")]
    [InlineData("Slack:SigningSecret", "s", "Slack:BotToken is missing")]
    public async Task An_enabled_platform_missing_a_key_stops_start_up_naming_the_key(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?> { [key] = value });
        });

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Discord:Mode=Gateway;Discord:ApplicationId=123", "Discord:BotToken is missing")]
    [InlineData("Discord:Mode=Gateway;Discord:ApplicationId=123;Discord:BotToken=x;Discord:ShardCount=0", "Discord:ShardCount must be a positive number")]
    [InlineData("Slack:Mode=Socket;Slack:BotToken=xoxb-1", "Slack:AppToken is missing")]
    [InlineData("Slack:Mode=Socket;Slack:BotToken=xoxb-1;Slack:AppToken=xoxb-2", "Slack:AppToken must be an app-level token (xapp-…)")]
    [InlineData("Slack:Mode=Socket;Slack:BotToken=xoxb-1;Slack:AppToken=xapp-1;Slack:SocketConnections=11", "Slack:SocketConnections must be between 1 and 5")]
    public async Task The_websocket_modes_name_what_is_missing_or_wrong(string settings, string message)
    {
        var values = settings.Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => (string?)p[1]);
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var bot = await RunningBot.StartAsync(values);
        });

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_mode_needs_no_public_key_and_socket_mode_no_signing_secret()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            // Nothing listens at port 9: both adapters keep retrying in the background while the host runs.
            ["Discord:Mode"] = "Gateway",
            ["Discord:ApplicationId"] = "123",
            ["Discord:BotToken"] = "x",
            ["Discord:ApiBaseUrl"] = "http://127.0.0.1:9/",
            ["Slack:Mode"] = "Socket",
            ["Slack:BotToken"] = "xoxb-1",
            ["Slack:AppToken"] = "xapp-1",
            ["Slack:ApiBaseUrl"] = "http://127.0.0.1:9/",
        });

        Assert.Equal(System.Net.HttpStatusCode.OK, (await bot.Http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
        var ready = await bot.Http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("Discord gateway connecting", body, StringComparison.Ordinal);
        Assert.Contains("Slack Socket Mode connecting", body, StringComparison.Ordinal);
    }
}

public sealed class ConfigurationOrderTests
{
    [Fact]
    public async Task Environment_variables_win_over_config_appsettings()
    {
        // config/appsettings.json says data/bot.db; the environment must be able to override it.
        var folder = Directory.CreateTempSubdirectory("bot-config-").FullName;
        var path = Path.Combine(folder, "from-env.db");
        Environment.SetEnvironmentVariable("Storage__Path", path);
        try
        {
            var output = new StringWriter();
            await Cli.BotCli.RunAsync(["incident", "list"], output, new StringWriter(), new Dictionary<string, string?> { ["Seeds:Path"] = RepoPaths.Seeds });

            Assert.True(File.Exists(path));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Storage__Path", null);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
