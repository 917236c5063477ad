using Bot.Core.Chat;

namespace Bot.Core.Tests.Chat;

/// <summary>Public command names both ways, and the settings that would make a name unusable on Discord or Slack.</summary>
public class CommandNamesTests
{
    private static CommandNames Names(string? prefix = null, params (string Command, string Name)[] names) =>
        new(Options(prefix, names));

    private static CommandOptions Options(string? prefix = null, params (string Command, string Name)[] names)
    {
        var options = new CommandOptions { Prefix = prefix };
        foreach (var (command, name) in names) options.Names[command] = name;
        return options;
    }

    [Fact]
    public void Unchanged_names_are_the_internal_ones()
    {
        Assert.Equal("/incident", CommandNames.Unchanged.Slash("incident"));
        Assert.Equal("incident", CommandNames.Unchanged.Internal("/incident"));
        Assert.False(CommandNames.Unchanged.AnyRenamed);
    }

    [Fact]
    public void A_prefix_renames_every_typed_command_and_retires_the_old_names()
    {
        var names = Names("brief");

        Assert.Equal(TypedCommands.All.Select(c => "brief-" + c.Name), TypedCommands.All.Select(c => names.Public(c.Name)));
        Assert.Equal("incident", names.Internal("/brief-incident"));
        Assert.Equal("ask", names.Internal("Brief-Ask"));
        Assert.Null(names.Internal("/incident"));
        Assert.Null(names.Internal("/brief-weather"));
        Assert.Equal("/brief-incident list", names.Slash("incident", "list"));
    }

    [Fact]
    public void Button_only_commands_keep_their_names_because_buttons_carry_internal_ones()
    {
        Assert.Equal("sources", Names("brief").Public("sources"));
    }

    [Fact]
    public void A_name_of_its_own_wins_over_the_prefix_and_frees_only_that_command()
    {
        var names = Names("brief", ("incident", "case"));

        Assert.Equal("/case", names.Slash("incident"));
        Assert.Equal("/brief-timeline", names.Slash("timeline"));
        Assert.Equal("incident", names.Internal("case"));
        Assert.Null(names.Internal("brief-incident"));
        Assert.Null(names.Internal("incident"));
    }

    [Fact]
    public void Two_commands_may_swap_names()
    {
        var names = Names(null, ("incident", "timeline"), ("timeline", "incident"));

        Assert.Equal("timeline", names.Internal("incident"));
        Assert.Equal("incident", names.Internal("timeline"));
        Assert.Equal("ask", names.Internal("ask"));
    }

    [Theory]
    [InlineData("/case balloon public", "incident balloon public")]
    [InlineData("case", "incident")]
    [InlineData("  /brief-timeline   balloon", "timeline   balloon")]
    [InlineData("help", "help")]
    [InlineData("", "")]
    [InlineData("incident balloon", null)]
    public void A_typed_line_is_translated_by_its_first_word(string typed, string? expected)
    {
        Assert.Equal(expected, Names("brief", ("incident", "case")).InternalLine(typed));
    }

    [Fact]
    public void Valid_names_pass()
    {
        Assert.Empty(CommandOptionsValidator.Problems(Options("brief", ("incident", "case"), ("ask", "frage_2"))));
        Assert.Empty(CommandOptionsValidator.Problems(new CommandOptions()));
    }

    [Fact]
    public void An_unknown_command_in_Names_is_refused_by_name()
    {
        var problem = Assert.Single(CommandOptionsValidator.Problems(Options(null, ("incidnet", "case"), ("weather", "w"))));

        Assert.Contains("Commands:Names has no command 'incidnet', 'weather'", problem, StringComparison.Ordinal);
        Assert.Contains("incident, incidents, timeline", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Case", "Commands:Names:incident must be lower case (got 'Case')")]
    [InlineData("/case", "Commands:Names:incident is written without the slash (got '/case')")]
    [InlineData("my case", "Commands:Names:incident may hold only letters, digits, '-' and '_' (got 'my case')")]
    [InlineData("", "Commands:Names:incident is empty (got '')")]
    [InlineData("a-name-much-longer-than-thirty-two", "Commands:Names:incident is longer than 31 characters (got 'a-name-much-longer-than-thirty-two')")]
    public void A_name_Discord_or_Slack_would_refuse_is_refused_at_start(string name, string expected)
    {
        Assert.Contains(expected, CommandOptionsValidator.Problems(Options(null, ("incident", name))));
    }

    [Fact]
    public void A_prefix_that_makes_names_too_long_or_is_malformed_is_refused()
    {
        Assert.Contains("Commands:Prefix makes /a-very-long-prefix-for-names-onthisday longer than 31 characters",
            CommandOptionsValidator.Problems(Options("a-very-long-prefix-for-names")));
        Assert.Contains("Commands:Prefix must be lower case (got 'Brief')", CommandOptionsValidator.Problems(Options("Brief")));
    }

    [Fact]
    public void Two_commands_under_one_name_are_refused()
    {
        Assert.Contains("/case would name incident and timeline; each command needs a name of its own",
            CommandOptionsValidator.Problems(Options(null, ("incident", "case"), ("timeline", "case"))));
        Assert.Contains("/brief-ask would name incident and ask; each command needs a name of its own",
            CommandOptionsValidator.Problems(Options("brief", ("incident", "brief-ask"))));
    }
}

/// <summary>With renamed commands, everything the core shows a person names them as configured.</summary>
public class RenamedCommandsTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    private static readonly CommandNames Renamed = new(new CommandOptions { Prefix = "brief", Names = { ["incident"] = "case" } });

    private Task<ChatMessage> AskAsync(string commandLine) =>
        CoreFixture.CreateRouter(core.Store.Store, core.Store.Time, Renamed).HandleAsync(new ChatRequest(commandLine, ChatContext.Cli), CancellationToken.None);

    [Fact]
    public async Task Help_shows_the_public_names()
    {
        var help = await AskAsync("help");

        Assert.Contains("/case <name>", help.Text, StringComparison.Ordinal);
        Assert.Contains("/brief-timeline <incident>", help.Text, StringComparison.Ordinal);
        Assert.Contains("/brief-onthisday", help.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/incident", help.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/timeline", help.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hints_in_replies_use_the_public_names_and_buttons_keep_internal_commands()
    {
        var notFound = await AskAsync("timeline zzzzqqq");
        var ambiguous = await AskAsync("timeline surveillance");
        var list = await AskAsync("incidents");

        Assert.Contains("/case list", notFound.Text, StringComparison.Ordinal);
        Assert.Contains("Use /brief-timeline with a name below", ambiguous.Text, StringComparison.Ordinal);
        Assert.All(ambiguous.Buttons, b => Assert.StartsWith("timeline ", b.Command, StringComparison.Ordinal));
        Assert.Equal("Open one with /case <name>", list.Footer);
    }

    [Theory]
    [InlineData("case balloon", "incident balloon")]
    [InlineData("incident balloon", "ask incident balloon")]
    public void A_mention_runs_a_command_only_under_its_public_name(string text, string expected)
    {
        var router = CoreFixture.CreateRouter(core.Store.Store, core.Store.Time, Renamed);

        Assert.Equal(expected, router.ForMention(text, ChatContext.Cli).Text);
    }
}
