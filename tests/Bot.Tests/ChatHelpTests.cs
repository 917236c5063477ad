using System.Text.RegularExpressions;
using Bot.Core;
using Bot.Core.Chat;
using Bot.Discord;
using Bot.Storage;
using Bot.Testing;
using Microsoft.Extensions.Configuration;

namespace Bot.Tests;

/// <summary>The help, the Discord command set and the Slack manifests agree with the handlers the core registers.</summary>
public sealed partial class ChatHelpTests
{
    [GeneratedRegex(@"^\s*- command: /([a-z-]+)", RegexOptions.Multiline)]
    private static partial Regex ManifestCommand();

    [GeneratedRegex(@"/([a-z-]+)")]
    private static partial Regex SlashCommand();

    private static ServiceProvider Services() => new ServiceCollection()
        .AddLogging()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddBotCore().AddBotStorage().AddBotDiscord()
        .BuildServiceProvider();

    [Fact]
    public async Task Help_names_only_commands_that_Discord_registers_and_the_Slack_manifests_declare_which_are_the_same()
    {
        await using var services = Services();
        var discord = services.GetRequiredService<DiscordCommandRegistrar>().CommandNames;
        var slackManifests = Directory.GetFiles(Path.Combine(RepoPaths.Root, "config"), "slack-app-manifest*.yaml");
        Assert.Equal(2, slackManifests.Length);

        var help = await services.GetRequiredService<CommandRouter>().HandleAsync(new ChatRequest("help", ChatContext.Cli), CancellationToken.None);
        var named = SlashCommand().Matches(help.Text!).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Contains("incident", named);
        Assert.All(named, name => Assert.Contains(name, discord));
        foreach (var manifest in slackManifests)
        {
            var slack = ManifestCommand().Matches(await File.ReadAllTextAsync(manifest)).Select(m => m.Groups[1].Value).ToList();
            Assert.True(slack.SequenceEqual(discord), $"{Path.GetFileName(manifest)} declares {string.Join(", ", slack)}; Discord registers {string.Join(", ", discord)}");
        }
    }

    [Fact]
    public void The_typed_commands_are_exactly_the_commands_of_the_handlers_that_are_not_button_only()
    {
        using var services = Services();
        var handlers = services.GetServices<ICommandHandler>().ToList();
        static string FirstWord(string name) => name.Split(' ')[0];

        var typed = handlers.Where(h => !h.ButtonOnly).SelectMany(h => h.Names).Select(FirstWord).Distinct().Order().ToList();
        var buttonOnly = handlers.Where(h => h.ButtonOnly).SelectMany(h => h.Names).Select(FirstWord).Distinct().ToList();

        Assert.Equal(typed, TypedCommands.All.Select(c => c.Name).Order());
        Assert.Equal(["sources", "related", "feedback"], buttonOnly);
        Assert.All(handlers.Where(h => h.ButtonOnly), h => Assert.False(h.ShownInHelp, $"{h.Names[0]} is sent by buttons only, so help must not offer it"));
        Assert.All(TypedCommands.All, c => Assert.InRange(c.Description.Length, 1, 100));
    }

    [Fact]
    public async Task Help_names_no_button_only_command()
    {
        await using var services = Services();

        var help = await services.GetRequiredService<CommandRouter>().HandleAsync(new ChatRequest("help", ChatContext.Cli), CancellationToken.None);

        foreach (var name in new[] { "/sources", "/related", "/feedback" })
            Assert.DoesNotContain(name, help.Text, StringComparison.Ordinal);
    }
}
