using Bot.Cli;
using Bot.Core.Chat;
using Bot.Slack.Commands;
using Bot.Testing;

namespace Bot.Slack.Tests;

/// <summary>The app manifests people paste into Slack are the generator's output and declare what the bot actually serves.</summary>
public class ManifestTests
{
    private static string Read(string file) => File.ReadAllText(Path.Combine(RepoPaths.Root, "config", file)).Replace("\r", "", StringComparison.Ordinal);

    private static readonly string Manifest = Read("slack-app-manifest.yaml");

    [Theory]
    [InlineData("slack-app-manifest.yaml", false, "slack manifest")]
    [InlineData("slack-app-manifest.socket.yaml", true, "slack manifest --socket")]
    public void The_checked_in_manifest_is_the_generators_output(string file, bool socket, string command)
    {
        var generated = SlackAppManifest.Render(CommandNames.Unchanged, socket, baseUrl: null);

        Assert.True(generated == Read(file),
            $"config/{file} differs from what the code declares; regenerate it from the repository root with "
            + $"`dotnet run --project src/Bot -- {command} > config/{file}` (with no Commands:* set).");
    }

    [Fact]
    public void Every_typed_command_is_declared_including_incidents()
    {
        foreach (var command in SlackCommandSet.All)
            Assert.Contains($"- command: {command.Command}\n", Manifest, StringComparison.Ordinal);
        Assert.Contains("- command: /incidents\n", Manifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/events")]
    [InlineData("/slack/interactivity")]
    [InlineData("/slack/oauth/callback")]
    public void The_request_urls_point_at_the_bots_endpoints(string path)
    {
        Assert.Contains($"https://bot.example.org{path}", Manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scopes_are_the_ones_the_bot_asks_for_when_installed()
    {
        foreach (var scope in SlackBotScopes.All)
            Assert.Contains($"      - {scope}\n", Manifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app_mention")]
    [InlineData("message.im")]
    [InlineData("app_uninstalled")]
    [InlineData("tokens_revoked")]
    public void The_bot_subscribes_to_the_events_it_answers(string botEvent)
    {
        Assert.Contains($"      - {botEvent}\n", Manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void People_can_write_to_the_bot_in_its_Messages_tab()
    {
        Assert.Contains("    messages_tab_enabled: true\n    messages_tab_read_only_enabled: false\n", Manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void The_incident_menu_loads_its_options_from_the_interactivity_endpoint()
    {
        Assert.Contains("message_menu_options_url: https://bot.example.org/slack/interactivity\n", Manifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("slack-app-manifest.yaml")]
    [InlineData("slack-app-manifest.socket.yaml")]
    public void The_add_to_incident_message_shortcut_is_declared(string file)
    {
        Assert.Contains($"""
                - name: Add to incident
                  type: message
                  callback_id: {Inbound.SlackForms.AddToIncidentCallbackId}
            """.Replace("\r", "", StringComparison.Ordinal), Read(file), StringComparison.Ordinal);
    }

    [Fact]
    public void The_incident_usage_hint_names_the_editing_verbs()
    {
        var hint = Manifest.Split('\n').SkipWhile(l => !l.Contains("- command: /incident", StringComparison.Ordinal)).First(l => l.Contains("usage_hint:", StringComparison.Ordinal));

        Assert.Contains("new", hint, StringComparison.Ordinal);
        Assert.Contains("edit balloon", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_generator_follows_the_configured_names_and_address()
    {
        var output = new StringWriter();
        var settings = new Dictionary<string, string?> { ["Commands:Prefix"] = "brief", ["Commands:Names:incident"] = "case" };

        var exit = await BotCli.RunAsync(["slack", "manifest", "--url", "https://news.example.com/"], output, new StringWriter(), settings);

        Assert.Equal(0, exit);
        var manifest = output.ToString();
        Assert.Equal(["/case", "/brief-incidents", "/brief-timeline", "/brief-onthisday", "/brief-briefing", "/brief-ask", "/brief-feeds"],
            manifest.Split('\n').Where(l => l.Contains("- command: ", StringComparison.Ordinal)).Select(l => l.Split(": ")[1]));
        Assert.Contains("      url: https://news.example.com/slack/commands\n", manifest, StringComparison.Ordinal);
        Assert.Contains("    - https://news.example.com/slack/oauth/callback\n", manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("bot.example.org", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_app_can_carry_the_teams_own_name_and_its_bot_user_a_handle_made_from_it()
    {
        var output = new StringWriter();

        var exit = await BotCli.RunAsync(["slack", "manifest", "--name", "Acme: Morning News"], output, new StringWriter(), new Dictionary<string, string?>());

        Assert.Equal(0, exit);
        Assert.Contains("  name: \"Acme: Morning News\"\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("    display_name: acme-morning-news\n", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("A name far too long for Slack's app list", "at most 35")]
    [InlineData("News \ud83d\udcf0", "plain text")]
    [InlineData("Bad\nName", "plain text")]
    [InlineData("!!! ???", "letter or digit")]
    public async Task An_app_name_Slack_would_refuse_is_explained_and_no_manifest_printed(string name, string reason)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await BotCli.RunAsync(["slack", "manifest", "--name", name], output, error, new Dictionary<string, string?>());

        Assert.Equal(1, exit);
        Assert.Equal("", output.ToString());
        Assert.StartsWith("bot: --name: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(reason, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_Slack_would_refuse_is_reported_instead_of_a_manifest()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await BotCli.RunAsync(["slack", "manifest"], output, error, new Dictionary<string, string?> { ["Commands:Names:incidnet"] = "case" });

        Assert.Equal(2, exit);
        Assert.Equal("", output.ToString());
        Assert.StartsWith("bot: invalid configuration: Commands:Names has no command 'incidnet'", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>The Socket Mode manifest declares the same app, with no request URLs and Socket Mode on.</summary>
public class SocketManifestTests
{
    private static readonly string Manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "slack-app-manifest.socket.yaml"));
    private static readonly string HttpManifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "slack-app-manifest.yaml"));

    [Fact]
    public void Socket_mode_is_on_and_no_request_url_is_declared()
    {
        Assert.Contains("socket_mode_enabled: true\n", Manifest, StringComparison.Ordinal);
        Assert.DoesNotContain("url:", Manifest, StringComparison.Ordinal);
        Assert.DoesNotContain(Manifest.Split('\n').Where(l => !l.TrimStart().StartsWith('#')), l => l.Contains("https://", StringComparison.Ordinal));
    }

    [Fact]
    public void It_declares_the_same_commands_scopes_and_events_as_the_http_manifest()
    {
        static IEnumerable<string> Declarations(string manifest) =>
            manifest.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal) && !l.Contains("://", StringComparison.Ordinal));
        Assert.Equal(Declarations(HttpManifest), Declarations(Manifest));
    }
}
