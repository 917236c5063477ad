using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Slack.Inbound;
using Bot.Slack.Outbound;
using Bot.Slack.Protocol;

namespace Bot.Slack.Tests.Content;

/// <summary>Forms become modals inside views.open's limits, whatever the core puts in them.</summary>
public class ModalRendererTests
{
    private static readonly FormMetadata Metadata = new("incident save new", "C0GENERAL", null);

    [Fact]
    public void Long_titles_placeholders_and_values_are_clipped_to_what_Slack_takes()
    {
        var form = new ChatForm("incident save new", "Edit chinese-spy-balloon-over-canada-and-more",
        [
            new("summary", "Summary", new string('s', 5000), Multiline: true, MaxLength: 9000, Placeholder: new string('p', 400)),
            new("slug", "Slug", "🎈🎈🎈🎈🎈🎈", MaxLength: 5, Required: false),
        ]);

        var view = ModalRenderer.Render(form, Metadata)!;

        Assert.InRange(view.Title.Text.Length, 1, 24);
        var summary = Assert.IsType<PlainTextInput>(((InputBlock)view.Blocks[0]).Element);
        Assert.Equal(3000, summary.MaxLength);
        Assert.Equal(3000, summary.InitialValue!.Length);
        Assert.InRange(summary.Placeholder!.Text.Length, 1, 150);
        var slug = (InputBlock)view.Blocks[1];
        Assert.True(slug.Optional);
        // Five UTF-16 units would split the third balloon: the value stops before it.
        Assert.Equal("🎈🎈", ((PlainTextInput)slug.Element).InitialValue);
    }

    [Fact]
    public void The_incident_field_is_an_external_select_and_the_rest_plain_text_inputs()
    {
        var form = new ChatForm("incident save message", "Add to incident", [new("incident", "Incident", "balloon"), new("text", "Text", "x")]);

        var json = JsonSerializer.Serialize(ModalRenderer.Render(form, Metadata)!, SlackJson.Default.SlackView);

        using var document = JsonDocument.Parse(json);
        var blocks = document.RootElement.GetProperty("blocks");
        Assert.Equal("input", blocks[0].GetProperty("type").GetString());
        Assert.Equal("incident", blocks[0].GetProperty("block_id").GetString());
        Assert.Equal("external_select", blocks[0].GetProperty("element").GetProperty("type").GetString());
        Assert.Equal(0, blocks[0].GetProperty("element").GetProperty("min_query_length").GetInt32());
        Assert.Equal("balloon", blocks[0].GetProperty("element").GetProperty("initial_option").GetProperty("value").GetString());
        Assert.Equal("plain_text_input", blocks[1].GetProperty("element").GetProperty("type").GetString());
        Assert.Equal("modal", document.RootElement.GetProperty("type").GetString());
        Assert.Equal("bot_form", document.RootElement.GetProperty("callback_id").GetString());
    }

    [Fact]
    public void A_form_whose_metadata_would_not_fit_is_not_rendered()
    {
        var form = new ChatForm("incident save " + new string('x', 3000), "Too much", [new("title", "Title")]);

        Assert.Null(ModalRenderer.Render(form, Metadata with { Command = form.SubmitCommand }));
    }

    [Fact]
    public void Menu_options_keep_to_Slack_limits()
    {
        var options = ModalRenderer.Options(
        [
            new NameMatch("balloon", new string('t', 200), "balloon"),
            new NameMatch(new string('s', 151), "Too long a value", "x"),
            new NameMatch("balloon", "Duplicate", "balloon"),
        ]);

        var option = Assert.Single(options.Options);
        Assert.Equal("balloon", option.Value);
        Assert.InRange(option.Text.Text.Length, 1, 75);
    }

    [Theory]
    [InlineData("See <https://example.org/a|the report>", "See the report (https://example.org/a)")]
    [InlineData("<https://example.org/a>", "https://example.org/a")]
    [InlineData("<@U0BOB> and <@U0ANN|ann> in <#C0GENERAL|general>", "@U0BOB and @ann in #general")]
    [InlineData("R&amp;D &lt;3 &gt; &amp;lt;", "R&D <3 > &lt;")]
    [InlineData("<!channel> stays as written", "<!channel> stays as written")]
    [InlineData("write to <mailto:a@example.org|a>", "write to a")]
    public void Slack_message_text_becomes_plain_text(string text, string expected)
    {
        Assert.Equal(expected, SlackMarkup.ToPlain(text));
    }

    [Theory]
    [InlineData("incident new", true)]
    [InlineData("incident edit balloon", true)]
    [InlineData("incident save edit balloon 3", true)]
    [InlineData("incident add-message", true)]
    [InlineData("incident remove balloon confirm", true)]
    [InlineData("incident balloon", false)]
    [InlineData("incident history balloon", false)]
    [InlineData("incident list", false)]
    [InlineData("timeline edit", false)]
    public void Only_editing_verbs_need_the_askers_rights(string line, bool editing)
    {
        Assert.Equal(editing, SlackRights.IsEditing(new ChatRequest(line, ChatContext.Cli)));
    }
}
