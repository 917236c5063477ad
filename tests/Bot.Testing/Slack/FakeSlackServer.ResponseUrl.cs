using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Testing.Slack;

public sealed partial class FakeSlackServer
{
    public const int ResponseUrlMaxUses = 5;

    public static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, ResponseUrlState> _responseUrls = new(StringComparer.Ordinal);
    private int _responseUrlCounter;

    /// <summary>
    /// Sends a signed slash command to the bot and returns the answer the person sees, wherever it arrived: in the acknowledgement,
    /// or, when the bot ran past its acknowledgement budget (a cold host's first rights lookup can), posted later to the
    /// command's response_url.
    /// </summary>
    public async Task<string> AnswerSeenAsync(HttpClient bot, HttpRequestMessage slashCommand)
    {
        var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(await slashCommand.Content!.ReadAsStringAsync());
        var responsePath = new Uri(form["response_url"].ToString()).AbsolutePath;
        using var acknowledgement = await bot.SendAsync(slashCommand);
        acknowledgement.EnsureSuccessStatusCode();
        var immediate = await acknowledgement.Content.ReadAsStringAsync();
        if (immediate.Length > 0) return immediate;
        var posted = await Eventually.HoldsAsync(() => Calls.FirstOrDefault(c => c.Path == responsePath), "the deferred answer");
        return posted.Body;
    }

    /// <summary>A new response_url on this server for <see cref="DefaultChannelId"/>: 5 successful posts within 30 minutes of <see cref="Clock"/>.</summary>
    public string CreateResponseUrl() => CreateResponseUrl(DefaultChannelId, messageTs: null);

    private string CreateResponseUrl(string channelId, string? messageTs)
    {
        lock (_gate)
        {
            _responseUrlCounter++;
            var id = string.Create(CultureInfo.InvariantCulture, $"{TeamId}/{_responseUrlCounter}/{Guid.NewGuid():N}");
            _responseUrls[id] = new ResponseUrlState(channelId, Clock.GetUtcNow()) { MessageTs = messageTs };
            return new Uri(BaseUrl, "response/" + id).AbsoluteUri;
        }
    }

    private Reply HandleResponseUrl(string id, IncomingRequest request)
    {
        if (!_responseUrls.TryGetValue(id, out var state)
            || state.Uses >= ResponseUrlMaxUses
            || Clock.GetUtcNow() - state.CreatedAt >= ResponseUrlLifetime)
            return new Reply(404, "expired_url", TextContentType);

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
            return new Reply(400, "invalid_payload", TextContentType);

        var replace = IsTrue(body["replace_original"]);
        var delete = IsTrue(body["delete_original"]);
        JsonArray? blocks = null;
        string? text = null;
        if (!delete)
        {
            var contentError = ValidateContent(body, out text, out blocks, out _);
            if (contentError is not null)
                return new Reply(400, contentError, TextContentType);
        }

        state.Uses++;
        var ts = (replace || delete) && state.MessageTs is not null ? state.MessageTs : NextTs();
        state.MessageTs ??= ts;
        if (!delete && Str(body, "response_type") == "in_channel")
            RememberMessage(state.ChannelId, ts, text, blocks, threadTs: null);
        else if (delete)
            _posted.Remove((state.ChannelId, ts));
        else if (replace && _posted.ContainsKey((state.ChannelId, ts)))
            RememberMessage(state.ChannelId, ts, text, blocks, _posted[(state.ChannelId, ts)].ThreadTs);
        _messages.Add(new SlackPostedMessage(ResponseUrlMethod, state.ChannelId, ts, null, Snapshot(body, blocks)));
        return new Reply(200, """{"ok":true}""", JsonContentType);
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetValue<string>() is "true" or "1",
        _ => false,
    };

    private sealed class ResponseUrlState(string channelId, DateTimeOffset createdAt)
    {
        public string ChannelId { get; } = channelId;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public string? MessageTs { get; set; }

        public int Uses { get; set; }
    }
}
