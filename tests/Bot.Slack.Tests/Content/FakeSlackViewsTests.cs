using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing.Slack;

namespace Bot.Slack.Tests.Content;

/// <summary>The fake's views.open and chat.getPermalink refuse what Slack refuses.</summary>
public sealed class FakeSlackViewsTests : IAsyncLifetime
{
    private FakeSlackServer _slack = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _slack = await FakeSlackServer.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    private static JsonObject Modal(params JsonObject[] blocks) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = "bot_form",
        ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "A title" },
        ["submit"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Save" },
        ["blocks"] = new JsonArray([.. blocks]),
    };

    private static JsonObject TextInput(string id, int? maxLength = null, string? initial = null)
    {
        var element = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = "value" };
        if (maxLength is { } max) element["max_length"] = max;
        if (initial is not null) element["initial_value"] = initial;
        return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = id,
            ["label"] = new JsonObject { ["type"] = "plain_text", ["text"] = id },
            ["element"] = element,
        };
    }

    private async Task<JsonElement> CallAsync(string method, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_slack.ApiBaseUrl, method))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _slack.BotToken);
        using var response = await _http.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private Task<JsonElement> OpenAsync(JsonObject view, string? triggerId = null) =>
        CallAsync("views.open", new JsonObject { ["trigger_id"] = triggerId ?? _slack.IssueTriggerId(), ["view"] = view });

    [Fact]
    public async Task A_trigger_opens_one_modal_within_three_seconds()
    {
        var trigger = _slack.IssueTriggerId();

        var opened = await OpenAsync(Modal(TextInput("title")), trigger);
        var again = await OpenAsync(Modal(TextInput("title")), trigger);
        var unknown = await OpenAsync(Modal(TextInput("title")), "1.2.unknown");
        var late = _slack.IssueTriggerId();
        _slack.Clock.Advance(TimeSpan.FromSeconds(3.5));
        var expired = await OpenAsync(Modal(TextInput("title")), late);

        Assert.True(opened.GetProperty("ok").GetBoolean());
        Assert.StartsWith("V", opened.GetProperty("view").GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("exchanged_trigger_id", again.GetProperty("error").GetString());
        Assert.Equal("invalid_arguments", unknown.GetProperty("error").GetString());
        Assert.Equal("expired_trigger_id", expired.GetProperty("error").GetString());
        Assert.Single(_slack.OpenedViews);
    }

    public static TheoryData<string, string> OversizedViews => new()
    {
        { "title", "/view/title/text" },
        { "blocks", "/view/blocks" },
        { "block_id", "/view/blocks/0/block_id" },
        { "duplicate", "/view/blocks/1/block_id" },
        { "metadata", "/view/private_metadata" },
        { "callback", "/view/callback_id" },
        { "max_length", "/view/blocks/0/element/max_length" },
        { "initial_value", "/view/blocks/0/element/initial_value" },
        { "placeholder", "/view/blocks/0/element/placeholder/text" },
        { "no_submit", "/view/submit" },
    };

    [Theory]
    [MemberData(nameof(OversizedViews))]
    public async Task A_view_over_a_limit_is_refused_naming_the_place(string problem, string place)
    {
        var view = Modal(TextInput("title"));
        switch (problem)
        {
            case "title": view["title"]!["text"] = new string('t', 25); break;
            case "blocks": view["blocks"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)TextInput($"b{i}"))]); break;
            case "block_id": view["blocks"] = new JsonArray(TextInput(new string('b', 256))); break;
            case "duplicate": view["blocks"] = new JsonArray(TextInput("same"), TextInput("same")); break;
            case "metadata": view["private_metadata"] = new string('m', 3001); break;
            case "callback": view["callback_id"] = new string('c', 256); break;
            case "max_length": view["blocks"] = new JsonArray(TextInput("title", maxLength: 3001)); break;
            case "initial_value": view["blocks"] = new JsonArray(TextInput("title", maxLength: 10, initial: "eleven char")); break;
            case "placeholder":
                var input = TextInput("title");
                input["element"]!["placeholder"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('p', 151) };
                view["blocks"] = new JsonArray(input);
                break;
            case "no_submit": view.Remove("submit"); break;
        }

        var answer = await OpenAsync(view);

        Assert.Equal("invalid_arguments", answer.GetProperty("error").GetString());
        var messages = answer.GetProperty("response_metadata").GetProperty("messages").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.EndsWith($"[json-pointer:{place}]", StringComparison.Ordinal));
        Assert.Empty(_slack.OpenedViews);
    }

    [Fact]
    public async Task A_permalink_is_given_for_a_known_message_only()
    {
        var ts = _slack.PostUserMessage("hello", ts: "1700000000.000100");

        var known = await CallAsync("chat.getPermalink", new JsonObject { ["channel"] = FakeSlackServer.DefaultChannelId, ["message_ts"] = ts });
        var unknown = await CallAsync("chat.getPermalink", new JsonObject { ["channel"] = FakeSlackServer.DefaultChannelId, ["message_ts"] = "1.2" });
        var noChannel = await CallAsync("chat.getPermalink", new JsonObject { ["channel"] = "C0NOPE", ["message_ts"] = ts });

        Assert.Equal("https://fake-team.slack.com/archives/C0GENERAL/p1700000000000100", known.GetProperty("permalink").GetString());
        Assert.Equal("message_not_found", unknown.GetProperty("error").GetString());
        Assert.Equal("channel_not_found", noChannel.GetProperty("error").GetString());
    }
}
