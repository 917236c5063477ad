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
}
