using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Text;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Bot.Testing.Discord;

namespace Bot.Discord.Tests.Outbound;

public class FormRendererTests
{
    private static string Json(ModalPayload modal) =>
        JsonSerializer.Serialize(new InteractionResponse(InteractionCallbackType.Modal, modal), DiscordJson.Default.InteractionResponse);

    [Fact]
    public void A_form_becomes_a_modal_of_labels_around_text_inputs_that_Discord_accepts()
    {
        var form = new ChatForm("incident save edit balloon 7", "Edit balloon",
        [
            new("title", "Title", "Balloon", MaxLength: 200),
            new("summary", "Summary", "What happened.", Multiline: true, MaxLength: 2000),
            new("status", "Status", Required: false, Placeholder: "e.g. closed"),
        ]);

        var modal = DiscordFormRenderer.Render(form, out var problem);

        Assert.Null(problem);
        var json = JsonDocument.Parse(Json(modal!)).RootElement;
        Assert.Null(FakeDiscordServer.InteractionResponseProblem(json.GetRawText(), interactionType: 2));
        Assert.Equal(9, json.GetProperty("type").GetInt32());
        var data = json.GetProperty("data");
        Assert.Equal("incident save edit balloon 7", data.GetProperty("custom_id").GetString());
        var summary = data.GetProperty("components")[1];
        Assert.Equal(18, summary.GetProperty("type").GetInt32());
        Assert.Equal("Summary", summary.GetProperty("label").GetString());
        var input = summary.GetProperty("component");
        Assert.Equal(4, input.GetProperty("type").GetInt32());
        Assert.Equal("summary", input.GetProperty("custom_id").GetString());
        Assert.Equal(2, input.GetProperty("style").GetInt32());
        Assert.Equal(2000, input.GetProperty("max_length").GetInt32());
        Assert.True(input.GetProperty("required").GetBoolean());
        Assert.Equal("What happened.", input.GetProperty("value").GetString());
        var status = data.GetProperty("components")[2].GetProperty("component");
        Assert.False(status.TryGetProperty("value", out _));
        Assert.False(status.GetProperty("required").GetBoolean());
        Assert.Equal("e.g. closed", status.GetProperty("placeholder").GetString());
    }

    [Fact]
    public void Long_texts_are_cut_to_Discords_limits_and_a_prefilled_value_to_its_input_without_an_ellipsis()
    {
        var form = new ChatForm("incident save new", new string('T', 80),
        [
            new("text", new string('L', 60), string.Concat(Enumerable.Repeat("🎈", 30)), MaxLength: 25, Placeholder: new string('p', 150)),
            new("huge", "Huge", new string('h', 5000), Multiline: true, MaxLength: 9000),
        ]);

        var modal = DiscordFormRenderer.Render(form, out _)!;

        Assert.Null(FakeDiscordServer.InteractionResponseProblem(Json(modal), interactionType: 2));
        Assert.InRange(TextClipper.Length(modal.Title), 1, 45);
        Assert.InRange(TextClipper.Length(modal.Components[0].Label), 1, 45);
        Assert.InRange(TextClipper.Length(modal.Components[0].Component.Placeholder), 1, 100);
        Assert.Equal(string.Concat(Enumerable.Repeat("🎈", 25)), modal.Components[0].Component.Value);
        Assert.Equal(4000, modal.Components[1].Component.MaxLength);
        Assert.Equal(new string('h', 4000), modal.Components[1].Component.Value);
    }

    public static TheoryData<string, int> Unopenable() => new()
    {
        { new string('x', 101), 1 },
        { "", 1 },
        { "incident save new", 6 },
        { "incident save new", 0 },
    };

    [Theory]
    [MemberData(nameof(Unopenable))]
    public void A_form_that_cannot_be_a_modal_is_refused_with_the_reason(string submitCommand, int fields)
    {
        var form = new ChatForm(submitCommand, "Form", Enumerable.Range(0, fields).Select(i => new FormField($"f{i}", "Field")).ToList());

        Assert.Null(DiscordFormRenderer.Render(form, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Field_ids_that_are_too_long_or_repeated_are_refused_not_cut()
    {
        Assert.Null(DiscordFormRenderer.Render(new ChatForm("save", "Form", [new(new string('i', 101), "Field")]), out _));
        Assert.Null(DiscordFormRenderer.Render(new ChatForm("save", "Form", [new("a", "One"), new("a", "Two")]), out _));
    }
}
