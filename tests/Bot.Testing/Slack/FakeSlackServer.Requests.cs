using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Testing.Slack;

public sealed partial class FakeSlackServer
{
    private const string FormContentType = "application/x-www-form-urlencoded";
    private const string EventContentType = "application/json";

    private const string UserAgent = "Slackbot 1.0 (+https://api.slack.com/robots)";
    private const string VerificationToken = "fake-verification-token";

    private int _eventCounter;
    private int _triggerCounter;

    /// <summary><c>v0=</c> + lowercase hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>, keyed with the signing secret's UTF-8 bytes.</summary>
    public string Sign(string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, message));
    }

    /// <summary>A signed POST of raw bytes; the timestamp defaults to <see cref="Clock"/>, the signature to a correct one.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The name is part of the API the adapter tests use.")]
    public HttpRequestMessage Signed(Uri botUrl, string contentType, byte[] body, string? timestamp = null, string? signatureOverride = null)
    {
        var ts = timestamp ?? NowUnixSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, botUrl) { Content = new ByteArrayContent(body) };
        if (contentType.Length > 0)
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("X-Slack-Request-Timestamp", ts);
        request.Headers.TryAddWithoutValidation("X-Slack-Signature", signatureOverride ?? Sign(ts, body));
        return request;
    }

    /// <summary>A signed slash-command form POST; <paramref name="responseUrl"/> defaults to a fresh one on this server.</summary>
    public HttpRequestMessage SlashCommand(
        Uri botUrl,
        string command,
        string text,
        string channelId = DefaultChannelId,
        string userId = DefaultUserId,
        string? responseUrl = null)
    {
        var fields = SlashCommandFields(command, text, channelId, userId, responseUrl)
            .Select(f => new KeyValuePair<string, string>(f.Key, f.Value!.GetValue<string>())).ToList();
        return Signed(botUrl, FormContentType, Encoding.UTF8.GetBytes(FormEncode(fields)));
    }

    /// <summary>A signed slash command sent from <paramref name="workspace"/>: its team, its org, and whether the app is installed org-wide.</summary>
    public HttpRequestMessage SlashCommandFrom(
        Uri botUrl,
        FakeSlackWorkspace workspace,
        string command,
        string text,
        string channelId,
        string userId = DefaultUserId)
    {
        var fields = SlashCommandFields(command, text, channelId, userId, responseUrl: null);
        fields["team_id"] = workspace.TeamId;
        fields["team_domain"] = workspace.TeamName;
        if (workspace.EnterpriseId is not null)
        {
            fields["enterprise_id"] = workspace.EnterpriseId;
            fields["enterprise_name"] = workspace.EnterpriseName ?? workspace.EnterpriseId;
        }

        fields["is_enterprise_install"] = workspace.EnterpriseInstall ? "true" : "false";
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value!.GetValue<string>())).ToList();
        return Signed(botUrl, FormContentType, Encoding.UTF8.GetBytes(FormEncode(form)));
    }

    /// <summary>A signed <c>event_callback</c> envelope around <paramref name="innerEventJson"/>, with optional retry headers.</summary>
    public HttpRequestMessage EventCallback(Uri botUrl, string innerEventJson, string? eventId = null, int? retryNum = null, string? retryReason = null)
    {
        var innerEvent = JsonNode.Parse(innerEventJson)
            ?? throw new ArgumentException("The inner event must be a JSON object.", nameof(innerEventJson));
        var envelope = EventCallbackPayload(innerEvent, eventId);
        var request = Signed(botUrl, EventContentType, Encoding.UTF8.GetBytes(envelope.ToJsonString(ReplyJson)));
        if (retryNum is { } num)
            request.Headers.TryAddWithoutValidation("X-Slack-Retry-Num", num.ToString(CultureInfo.InvariantCulture));
        if (retryReason is not null)
            request.Headers.TryAddWithoutValidation("X-Slack-Retry-Reason", retryReason);
        return request;
    }

    public HttpRequestMessage UrlVerification(Uri botUrl, string challenge)
    {
        var body = new JsonObject
        {
            ["token"] = VerificationToken,
            ["challenge"] = challenge,
            ["type"] = "url_verification",
        };
        return Signed(botUrl, EventContentType, Encoding.UTF8.GetBytes(body.ToJsonString(ReplyJson)));
    }

    /// <summary>
    /// A signed <c>block_actions</c> click on a button. Without <paramref name="messageTs"/> the channel's latest bot
    /// message is used (or a new one is made up); the button's block_id and text come from that message when it has them.
    /// </summary>
    public HttpRequestMessage BlockActions(
        Uri botUrl,
        string actionId,
        string value,
        string channelId = DefaultChannelId,
        string userId = DefaultUserId,
        string? messageTs = null)
    {
        JsonObject payload;
        lock (_gate)
        {
            var (ts, posted) = MessageToClick(channelId, messageTs);
            var (blockId, buttonText) = FindButton(posted.Blocks, actionId);
            payload = BlockActionsPayload(channelId, userId, ts, posted, actionId, blockId, buttonText, value);
        }

        var body = "payload=" + Escape(payload.ToJsonString(ReplyJson));
        return Signed(botUrl, FormContentType, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>A slash command's fields, as Slack posts them in HTTP mode and puts them in a Socket Mode payload (all strings).</summary>
    private JsonObject SlashCommandFields(string command, string text, string channelId, string userId, string? responseUrl) => new()
    {
        ["token"] = VerificationToken,
        ["team_id"] = TeamId,
        ["team_domain"] = TeamDomain,
        ["channel_id"] = channelId,
        ["channel_name"] = ChannelName(channelId),
        ["user_id"] = userId,
        ["user_name"] = userId,
        ["command"] = command,
        ["text"] = text,
        ["api_app_id"] = AppId,
        ["is_enterprise_install"] = "false",
        ["response_url"] = responseUrl ?? CreateResponseUrl(channelId, messageTs: null),
        ["trigger_id"] = NextTriggerId(userId),
    };

    /// <summary>The <c>event_callback</c> wrapper around one event, the same over HTTP and Socket Mode.</summary>
    private JsonObject EventCallbackPayload(JsonNode innerEvent, string? eventId) => new()
    {
        ["token"] = VerificationToken,
        ["team_id"] = TeamId,
        ["api_app_id"] = AppId,
        ["event"] = innerEvent,
        ["type"] = "event_callback",
        ["event_id"] = eventId ?? string.Create(CultureInfo.InvariantCulture, $"Ev0FAKE{Interlocked.Increment(ref _eventCounter):D6}"),
        ["event_time"] = Clock.GetUtcNow().ToUnixTimeSeconds(),
        ["authorizations"] = new JsonArray(new JsonObject
        {
            ["enterprise_id"] = null,
            ["team_id"] = TeamId,
            ["user_id"] = BotUserId,
            ["is_bot"] = true,
            ["is_enterprise_install"] = false,
        }),
        ["is_ext_shared_channel"] = false,
        ["event_context"] = "4-fake-event-context",
    };

    /// <summary>The bot message a click lands on: <paramref name="messageTs"/>, else the channel's latest, else a made-up one. Call under the lock.</summary>
    private (string Ts, PostedMessage Posted) MessageToClick(string channelId, string? messageTs)
    {
        var ts = messageTs ?? _latestTsByChannel.GetValueOrDefault(channelId) ?? NextTs();
        if (!_posted.TryGetValue((channelId, ts), out var posted))
        {
            posted = new PostedMessage("", null, null);
            RememberMessage(channelId, ts, posted.Text, null, null);
        }

        return (ts, posted);
    }

    /// <summary>A <c>block_actions</c> payload for one button click, the same over HTTP and Socket Mode.</summary>
    private JsonObject BlockActionsPayload(string channelId, string userId, string ts, PostedMessage posted, string actionId, string blockId, string buttonText, string value)
    {
        var container = new JsonObject
        {
            ["type"] = "message",
            ["message_ts"] = ts,
            ["channel_id"] = channelId,
            ["is_ephemeral"] = false,
        };
        if (posted.ThreadTs is not null)
            container["thread_ts"] = posted.ThreadTs;

        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = userId, ["name"] = userId, ["team_id"] = TeamId },
            ["api_app_id"] = AppId,
            ["token"] = VerificationToken,
            ["container"] = container,
            ["trigger_id"] = NextTriggerId(userId),
            ["team"] = new JsonObject { ["id"] = TeamId, ["domain"] = TeamDomain },
            ["enterprise"] = null,
            ["is_enterprise_install"] = false,
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = ChannelName(channelId) },
            ["message"] = BotMessage(ts, posted.Text, posted.Blocks, posted.ThreadTs),
            ["state"] = new JsonObject { ["values"] = new JsonObject() },
            ["response_url"] = CreateResponseUrl(channelId, ts),
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = actionId,
                ["block_id"] = blockId,
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = buttonText, ["emoji"] = true },
                ["value"] = value,
                ["type"] = "button",
                ["action_ts"] = string.Create(CultureInfo.InvariantCulture, $"{Clock.GetUtcNow().ToUnixTimeSeconds()}.{Random.Shared.Next(1_000_000):D6}"),
            }),
        };
    }

    private static (string BlockId, string Text) FindButton(JsonArray? blocks, string actionId)
    {
        foreach (var block in blocks?.OfType<JsonObject>() ?? [])
        {
            var elements = block["elements"] is JsonArray array ? array.OfType<JsonObject>() : [];
            if (block["accessory"] is JsonObject accessory)
                elements = elements.Append(accessory);
            foreach (var element in elements)
            {
                if (Str(element, "action_id") != actionId)
                    continue;
                var text = element["text"] is JsonObject textObject ? Str(textObject, "text") : null;
                return (Str(block, "block_id") ?? "fake-block", text ?? "Button");
            }
        }

        return ("fake-block", "Button");
    }

    private string ChannelName(string channelId)
    {
        lock (_gate)
            return _channels.TryGetValue(channelId, out var channel) ? channel.Name : channelId;
    }

    /// <summary>A new trigger_id, remembered with <see cref="Clock"/>'s time so views.open can tell a fresh one from an expired one.</summary>
    private string NextTriggerId(string? userId = null)
    {
        var now = Clock.GetUtcNow();
        var id = string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _triggerCounter)}.{now.ToUnixTimeSeconds()}.{Guid.NewGuid():N}");
        _triggers[id] = new IssuedTrigger(now, userId);
        return id;
    }

    private static string FormEncode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(field => Escape(field.Key) + "=" + Escape(field.Value)));

    // Slack's form bodies encode spaces as '+', which Uri.EscapeDataString does not.
    private static string Escape(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}
