using System.Text.Json;
using Bot.Slack.Protocol;

namespace Bot.Slack.Tests.Content;

/// <summary>A modal's state.values is read by block_id; what cannot be read is refused as malformed JSON, never another exception.</summary>
public class SubmissionPayloadTests
{
    [Fact]
    public void State_values_are_read_by_block_id()
    {
        // Written by hand: a serializer would never write this escape, but Slack's JSON may carry it.
        const string json = """
            {"type":"view_submission","user":{"id":"U1","username":"u","team_id":"T1"},"view":{"id":"V1","callback_id":"bot_form","private_metadata":"{}",
             "state":{"values":{"title":{"value":{"type":"plain_text_input","value":"Drone"}},"slug":{"value":{"type":"plain_text_input","value":null}},
             "incident":{"value":{"type":"external_select","selected_option":{"text":{"type":"plain_text","text":"Balloon"},"value":"balloon"}}},
             "odd":{"value":{"type":"plain_text_input","value":"x\ud800"}},"empty":null}}}}
            """;

        var payload = JsonSerializer.Deserialize(json, SlackInboundJson.Default.InteractionPayload)!;

        var values = payload.View!.State!.Values!;
        Assert.Equal("Drone", values["title"]!["value"]!.Value);
        Assert.Null(values["slug"]!["value"]!.Value);
        Assert.Equal("balloon", values["incident"]!["value"]!.SelectedOption!.Value);
        Assert.Equal("x\uFFFD", values["odd"]!["value"]!.Value);
        Assert.Null(values["empty"]);
        Assert.Equal("u", payload.User!.Username);
    }

    [Fact]
    public void A_lone_surrogate_in_a_block_id_makes_the_payload_unreadable_json()
    {
        const string json = """{"type":"view_submission","view":{"callback_id":"bot_form","state":{"values":{"odd\ud800":{"value":{"value":"x"}}}}}}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, SlackInboundJson.Default.InteractionPayload));
    }
}
