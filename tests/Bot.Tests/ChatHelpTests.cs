using System.Text.RegularExpressions;
using Bot.Core;
using Bot.Core.Chat;
using Bot.Discord;
using Bot.Storage;
using Bot.Testing;
using Microsoft.Extensions.Configuration;

namespace Bot.Tests;

public sealed partial class ChatHelpTests
{
    [GeneratedRegex(@"^\s*- command: /([a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex ManifestCommand();

    [GeneratedRegex(@"/([a-z-]+)")]
    private static partial Regex SlashCommand();

    [Fact]
    public async Task Help_names_only_slash_commands_that_Discord_and_Slack_both_register()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddBotCore().AddBotStorage().AddBotDiscord()
            .BuildServiceProvider();
        var discord = services.GetRequiredService<DiscordCommandRegistrar>().CommandNames;
        var slackManifests = Directory.GetFiles(Path.Combine(RepoPaths.Root, "config"), "slack-app-manifest*.yaml");
        Assert.NotEmpty(slackManifests);

        var help = await services.GetRequiredService<CommandRouter>().HandleAsync(new ChatRequest("help", ChatContext.Cli), CancellationToken.None);
        var named = SlashCommand().Matches(help.Text!).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("incident", named);
        foreach (var manifest in slackManifests)
        {
            var slack = ManifestCommand().Matches(await File.ReadAllTextAsync(manifest)).Select(m => m.Groups[1].Value).ToList();
            Assert.All(named, name => Assert.True(slack.Contains(name) && discord.Contains(name), $"help names /{name}, which {Path.GetFileName(manifest)} or the Discord command set lacks"));
        }
    }
}
