using Bot.Testing;

namespace Bot.Slack.Tests;

/// <summary>The app manifest people paste into Slack declares what the bot actually serves.</summary>
public class ManifestTests
{
    private static readonly string Manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "slack-app-manifest.yaml"));

    [Fact]
    public void Every_configured_command_is_declared()
    {
        foreach (var command in new SlackOptions().Commands.Values)
            Assert.Contains($"- command: {command}\n", Manifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/slack/commands")]
    [InlineData("/slack/events")]
    [InlineData("/slack/interactivity")]
    public void The_request_urls_point_at_the_bots_endpoints(string path)
    {
        Assert.Contains($"https://bot.example.org{path}", Manifest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("commands")]
    [InlineData("chat:write")]
    [InlineData("app_mentions:read")]
    [InlineData("users:read")]
    public void The_scopes_the_bot_needs_are_requested(string scope)
    {
        Assert.Contains($"- {scope}\n", Manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void The_bot_subscribes_to_mentions()
    {
        Assert.Contains("- app_mention\n", Manifest, StringComparison.Ordinal);
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
        var manifest = File.ReadAllText(Path.Combine(RepoPaths.Root, "config", file));

        Assert.Contains($"""
                - name: Add to incident
                  type: message
                  callback_id: {Inbound.SlackForms.AddToIncidentCallbackId}
            """.Replace("\r", "", StringComparison.Ordinal), manifest, StringComparison.Ordinal);
    }

    [Fact]
    public void The_incident_usage_hint_names_the_editing_verbs()
    {
        var hint = Manifest.Split('\n').SkipWhile(l => !l.Contains("- command: /incident", StringComparison.Ordinal)).First(l => l.Contains("usage_hint:", StringComparison.Ordinal));

        Assert.Contains("new", hint, StringComparison.Ordinal);
        Assert.Contains("edit balloon", hint, StringComparison.Ordinal);
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
    }

    [Fact]
    public void It_declares_the_same_commands_scopes_and_events_as_the_http_manifest()
    {
        static IEnumerable<string> Declarations(string manifest) =>
            manifest.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal));
        Assert.Equal(Declarations(HttpManifest), Declarations(Manifest));
    }
}
