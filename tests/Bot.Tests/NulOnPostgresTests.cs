using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Core.Chat;
using Bot.Core.Installations;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Tests;

/// <summary>
/// PostgreSQL refuses NUL in every text column, where SQLite stores it. JSON can spell NUL ("\u0000") in any id a platform
/// sends (team, channel, user, guild, event id) and form bodies can send %00: signed requests carrying them must be answered
/// like any other odd input, never fail on the store. One host on a real PostgreSQL, both fake platforms.
/// </summary>
public sealed class NulOnPostgresTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private string _connectionString = null!;
    private FakeSlackServer _slack = null!;
    private FakeDiscordServer _discord = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.Server.CreateDatabaseAsync();
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _discord = await FakeDiscordServer.StartAsync();
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = _connectionString,
            ["Answers:Embeddings"] = "false",
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            ["Slack:ClientId"] = _slack.ClientId,
            ["Slack:ClientSecret"] = _slack.ClientSecret,
            ["Slack:AuthorizeUrl"] = _slack.AuthorizeUrl.ToString(),
            ["Discord:ApplicationId"] = _discord.ApplicationId,
            ["Discord:PublicKey"] = _discord.PublicKeyHex,
            ["Discord:BotToken"] = _discord.BotToken,
            ["Discord:ApiBaseUrl"] = _discord.ApiBaseUrl.ToString(),
        }, services => services.AddLogging(logging => logging.AddProvider(_logs)));
        _slack.AppRedirectUrl = _bot.Url("slack/oauth/callback");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _discord.DisposeAsync();
        await _slack.DisposeAsync();
        await postgres.Server.DropDatabaseAsync(_connectionString);
    }

    /// <summary>Once the work the host started after answering (replies, posts) is over: nothing was logged as failed.</summary>
    private async Task AssertNothingFailedAsync()
    {
        await Eventually.TrueAsync(() => _bot.Services.GetRequiredService<BackgroundWork>().Count == 0, "background work to finish");
        AssertNothingFailed();
    }

    private void AssertNothingFailed()
    {
        var failures = _logs.Lines.Where(l => l.Level >= LogLevel.Error).Select(l => $"{l.Category}: {l.Message} {l.Exception}").ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static void AssertAnswered(HttpResponseMessage response) =>
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"HTTP {(int)response.StatusCode}");

    [Theory]
    [InlineData("team_id")]
    [InlineData("event_id")]
    [InlineData("enterprise_id")]
    [InlineData("event.user")]
    [InlineData("event.channel")]
    [InlineData("event.text")]
    public async Task A_Slack_event_with_NUL_in_a_field_is_answered_and_nothing_fails(string field)
    {
        var envelope = new JsonObject
        {
            ["token"] = "unused",
            ["team_id"] = _slack.TeamId,
            ["api_app_id"] = "A0BOT",
            ["type"] = "event_callback",
            ["event_id"] = $"Ev{Guid.NewGuid():N}",
            ["event_time"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["event"] = new JsonObject
            {
                ["type"] = "app_mention",
                ["user"] = "U0ALICE",
                ["text"] = "<@U0BOT> when was the balloon shot down?",
                ["ts"] = "1700000000.000100",
                ["channel"] = "C0GENERAL",
                ["event_ts"] = "1700000000.000100",
            },
        };
        var parts = field.Split('.');
        var holder = parts.Length == 1 ? envelope : envelope[parts[0]]!.AsObject();
        holder[parts[^1]] = $"X\0{holder[parts[^1]]}";

        // System.Text.Json writes NUL as the escape "\u0000", as any JSON sender would.
        var body = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        using var response = await _bot.Http.SendAsync(_slack.Signed(_bot.Url("slack/events"), "application/json", body));

        AssertAnswered(response);
        await AssertNothingFailedAsync();
    }

    [Theory]
    [InlineData("team_id")]
    [InlineData("channel_id")]
    [InlineData("user_id")]
    [InlineData("enterprise_id")]
    [InlineData("text")]
    public async Task A_Slack_slash_command_with_NUL_in_a_field_is_answered_and_nothing_fails(string field)
    {
        var fields = new Dictionary<string, string>
        {
            ["token"] = "unused",
            ["team_id"] = _slack.TeamId,
            ["channel_id"] = "C0GENERAL",
            ["user_id"] = "U0ALICE",
            ["user_name"] = "alice",
            ["command"] = "/ask",
            ["text"] = "when was the balloon shot down?",
            ["response_url"] = new Uri(_slack.BaseUrl, "commands/nul").ToString(),
            ["trigger_id"] = "1.2.3",
        };
        fields[field] = $"X\0{fields.GetValueOrDefault(field)}";
        var form = string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

        using var response = await _bot.Http.SendAsync(_slack.Signed(_bot.Url("slack/commands"), "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes(form)));

        AssertAnswered(response);
        await AssertNothingFailedAsync();
    }

    [Theory]
    [InlineData("guild_id")]
    [InlineData("channel_id")]
    [InlineData("member.user.id")]
    [InlineData("id")]
    public async Task A_Discord_interaction_with_NUL_in_an_id_is_answered_and_nothing_fails(string field)
    {
        var interaction = JsonNode.Parse(new DiscordInteractions(_discord.ApplicationId).SlashCommand("ask", options: ("question", "when was the balloon shot down?")))!.AsObject();
        var parts = field.Split('.');
        var holder = interaction;
        foreach (var part in parts[..^1]) holder = holder[part]!.AsObject();
        holder[parts[^1]] = $"7\0{holder[parts[^1]]}";

        using var response = await _discord.SendInteractionAsync(_bot.Http, _bot.Url("discord/interactions"), interaction.ToJsonString());

        AssertAnswered(response);
        await AssertNothingFailedAsync();
    }

    [Fact]
    public async Task An_OAuth_install_whose_answer_names_a_team_with_NUL_is_stored_without_failing()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler);
        _slack.InstallNextInto(new FakeSlackWorkspace("T0\0NUL", "Nul\0 team", "E0\0NUL", "Nul org"));

        using var install = await browser.GetAsync(_bot.Url("slack/install"));
        using var authorize = await browser.GetAsync(install.Headers.Location);
        using var callback = await browser.GetAsync(authorize.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        var installations = await _bot.Services.GetRequiredService<IInstallationStore>().ListAsync(CancellationToken.None);
        Assert.Contains(installations, i => i.Workspace.StartsWith("T0", StringComparison.Ordinal) && !i.Workspace.Contains('\0'));
        AssertNothingFailed();
    }
}
