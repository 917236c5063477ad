using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Testing.Slack;

public sealed partial class FakeSlackServer
{
    private const int MaxMessageText = 40000;

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "auth.test", "chat.postMessage", "chat.postEphemeral", "chat.update", "users.info", "conversations.join", "conversations.history",
        "apps.connections.open", "views.open", "chat.getPermalink", "oauth.v2.access",
    };

    // Relaxed so recorded response bodies show mrkdwn such as <@U0ALICE> as written.
    private static readonly JsonSerializerOptions ReplyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, FakeChannel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Channel, string Ts), PostedMessage> _posted = [];
    private readonly Dictionary<string, string> _latestTsByChannel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastPostByChannel = new(StringComparer.Ordinal);
    private TimeSpan _pacing;
    private long _lastTsSeconds;
    private int _lastTsFraction;
    private int _ticket;

    /// <summary>
    /// Registers a channel; chat methods answer channel_not_found for unknown ones and not_in_channel when the bot is not a
    /// member. A channel of <paramref name="workspace"/> is seen only with a token that covers it (that team's install, or
    /// its org's org-wide install): any other token gets channel_not_found, as Slack answers for another workspace's channel.
    /// </summary>
    public void AddChannel(string channelId, bool botIsMember = true, FakeSlackWorkspace? workspace = null)
    {
        lock (_gate)
            _channels[channelId] = new FakeChannel(channelId, channelId == DefaultChannelId ? "general" : channelId, botIsMember) { Owner = workspace };
    }

    /// <summary>Minimum time between chat.postMessage calls to one channel, on <see cref="Clock"/>; zero turns pacing off.</summary>
    public void SetChannelPacing(TimeSpan minimumInterval)
    {
        lock (_gate)
        {
            _pacing = minimumInterval;
            _lastPostByChannel.Clear();
        }
    }

    private Reply HandleWebApi(IncomingRequest request)
    {
        var warnings = new List<string>();
        if (!KnownMethods.Contains(request.Method))
            return Fail("unknown_method", warnings);

        // oauth.v2.access authenticates with the client id and secret in its arguments, not a bearer token.
        var authError = request.Method == "oauth.v2.access" ? null : CheckAuth(request);
        if (authError is not null)
            return Fail(authError, warnings);

        if (!TryParseArguments(request, warnings, out var args, out var argsError))
            return Fail(argsError, warnings);
        if (request.Method == "oauth.v2.access")
            return OAuthAccess(args, warnings);
        if (!TokenSeesChannel(request, Str(args, "channel")))
            return Fail("channel_not_found", warnings);

        return request.Method switch
        {
            "auth.test" => AuthTest(warnings),
            "chat.postMessage" => PostMessage(args, warnings),
            "chat.postEphemeral" => PostEphemeral(args, warnings),
            "chat.update" => UpdateMessage(args, warnings),
            "users.info" => UsersInfo(args, warnings),
            "conversations.join" => JoinConversation(args, warnings),
            "conversations.history" => History(args, warnings),
            "views.open" => OpenView(args, warnings),
            "chat.getPermalink" => Permalink(args, warnings),
            _ => OpenConnection(warnings),
        };
    }

    private string? CheckAuth(IncomingRequest request)
    {
        if (!request.Headers.TryGetValue("Authorization", out var header) || string.IsNullOrWhiteSpace(header))
            return "not_authed";
        if (!AuthenticationHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase))
            return "invalid_auth";

        var wantsAppToken = request.Method == "apps.connections.open";
        if (parsed.Parameter == BotToken)
            return wantsAppToken ? "not_allowed_token_type" : null;
        if (parsed.Parameter == AppToken)
            return wantsAppToken ? null : "not_allowed_token_type";
        var issuedError = CheckIssuedToken(parsed.Parameter);
        return issuedError is null && wantsAppToken ? "not_allowed_token_type" : issuedError;
    }

    /// <summary>Whether the call's token belongs to the workspace (or org) that owns the channel it names.</summary>
    private bool TokenSeesChannel(IncomingRequest request, string? channelId)
    {
        if (channelId is null || !_channels.TryGetValue(channelId, out var channel) || channel.Owner is not { } owner) return true;
        var token = request.Headers.TryGetValue("Authorization", out var header) && AuthenticationHeaderValue.TryParse(header, out var parsed) ? parsed.Parameter : null;
        if (token == BotToken) return owner.TeamId == TeamId;
        if (token is null || !_issuedTokens.TryGetValue(token, out var installed)) return false;
        return installed.EnterpriseInstall ? installed.EnterpriseId == owner.EnterpriseId : installed.TeamId == owner.TeamId;
    }

    private static bool TryParseArguments(IncomingRequest request, List<string> warnings, out JsonObject args, out string error)
    {
        args = [];
        error = "";
        if (request.Body.Length == 0)
        {
            foreach (var (name, values) in QueryHelpers.ParseQuery(request.Query))
                args[name] = values.ToString();
            return true;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
        {
            error = "invalid_form_data";
            return false;
        }

        var charset = mediaType.CharSet?.Trim('"');
        if (string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            if (charset is null)
                warnings.Add("missing_charset");
            else if (!charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))
            {
                error = "invalid_charset";
                return false;
            }

            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(request.Body);
            }
            catch (JsonException)
            {
                error = "invalid_json";
                return false;
            }

            if (parsed is not JsonObject parsedObject)
            {
                error = "json_not_object";
                return false;
            }

            args = parsedObject;
            return true;
        }

        if (string.Equals(mediaType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            if (charset is not null)
                warnings.Add("superfluous_charset");
            foreach (var (name, values) in QueryHelpers.ParseQuery(request.Body))
                args[name] = values.ToString();
            return true;
        }

        error = "invalid_form_data";
        return false;
    }

    private Reply AuthTest(List<string> warnings) => Ok(new JsonObject
    {
        ["url"] = $"https://{TeamDomain}.slack.com/",
        ["team"] = "Fake Team",
        ["user"] = "newsbot",
        ["team_id"] = TeamId,
        ["user_id"] = BotUserId,
        ["bot_id"] = BotId,
        ["is_enterprise_install"] = false,
    }, warnings);

    private Reply PostMessage(JsonObject args, List<string> warnings)
    {
        var channelError = ResolveChannel(Str(args, "channel"), requireMembership: true, out var channel);
        if (channelError is not null)
            return Fail(channelError, warnings);
        var contentError = ValidateContent(args, out var text, out var blocks, out var messages);
        if (contentError is not null)
            return Fail(contentError, warnings, messages);

        var now = Clock.GetUtcNow();
        if (_pacing > TimeSpan.Zero && _lastPostByChannel.TryGetValue(channel, out var last) && now - last < _pacing)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((_pacing - (now - last)).TotalSeconds));
            return new Reply(429, """{"ok":false,"error":"ratelimited"}""", JsonContentType, new Dictionary<string, string>
            {
                ["Retry-After"] = retryAfter.ToString(CultureInfo.InvariantCulture),
            });
        }

        _lastPostByChannel[channel] = now;
        var ts = NextTs();
        var threadTs = Str(args, "thread_ts");
        RememberMessage(channel, ts, text, blocks, threadTs);
        _messages.Add(new SlackPostedMessage("chat.postMessage", channel, ts, threadTs, Snapshot(args, blocks)));
        return Ok(new JsonObject
        {
            ["channel"] = channel,
            ["ts"] = ts,
            ["message"] = BotMessage(ts, text, blocks, threadTs),
        }, warnings);
    }

    private Reply PostEphemeral(JsonObject args, List<string> warnings)
    {
        var channelError = ResolveChannel(Str(args, "channel"), requireMembership: true, out var channel);
        if (channelError is not null)
            return Fail(channelError, warnings);
        if (string.IsNullOrEmpty(Str(args, "user")))
            return Fail("user_not_in_channel", warnings);
        var contentError = ValidateContent(args, out _, out var blocks, out var messages);
        if (contentError is not null)
            return Fail(contentError, warnings, messages);

        var ts = NextTs();
        _messages.Add(new SlackPostedMessage("chat.postEphemeral", channel, ts, Str(args, "thread_ts"), Snapshot(args, blocks)));
        return Ok(new JsonObject { ["message_ts"] = ts }, warnings);
    }

    private Reply UpdateMessage(JsonObject args, List<string> warnings)
    {
        var channelError = ResolveChannel(Str(args, "channel"), requireMembership: false, out var channel);
        if (channelError is not null)
            return Fail(channelError, warnings);
        var ts = Str(args, "ts");
        if (ts is null || !_posted.TryGetValue((channel, ts), out var original))
            return Fail("message_not_found", warnings);
        var contentError = ValidateContent(args, out var text, out var blocks, out var messages);
        if (contentError is not null)
            return Fail(contentError, warnings, messages);

        RememberMessage(channel, ts, text, blocks, original.ThreadTs);
        _messages.Add(new SlackPostedMessage("chat.update", channel, ts, original.ThreadTs, Snapshot(args, blocks)));
        return Ok(new JsonObject
        {
            ["channel"] = channel,
            ["ts"] = ts,
            ["text"] = text ?? "",
            ["message"] = BotMessage(ts, text, blocks, original.ThreadTs),
        }, warnings);
    }

    /// <summary>The channel's posted messages newest first, with their metadata, like conversations.history with include_all_metadata.</summary>
    private Reply History(JsonObject args, List<string> warnings)
    {
        var channel = Str(args, "channel");
        if (string.IsNullOrEmpty(channel) || !_channels.ContainsKey(channel)) return Fail("channel_not_found", warnings);
        var oldest = double.TryParse(Str(args, "oldest"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0;
        var messages = new JsonArray();
        foreach (var message in _messages.Where(m => m.Method == "chat.postMessage" && m.Channel == channel).Reverse())
        {
            if (double.Parse(message.Ts, System.Globalization.CultureInfo.InvariantCulture) < oldest) continue;
            var item = new JsonObject { ["type"] = "message", ["ts"] = message.Ts, ["bot_id"] = BotId, ["text"] = message.Body.TryGetProperty("text", out var t) ? t.GetString() : "" };
            if (message.Body.TryGetProperty("metadata", out var metadata)) item["metadata"] = JsonNode.Parse(metadata.GetRawText());
            messages.Add(item);
        }

        return Ok(new JsonObject { ["messages"] = messages, ["has_more"] = false }, warnings);
    }

    private Reply UsersInfo(JsonObject args, List<string> warnings)
    {
        var user = Str(args, "user");
        if (string.IsNullOrEmpty(user) || user[0] is not ('U' or 'W'))
            return Fail("user_not_found", warnings);
        return Ok(new JsonObject
        {
            ["user"] = new JsonObject
            {
                ["id"] = user,
                ["team_id"] = TeamId,
                ["name"] = user == BotUserId ? "newsbot" : user,
                ["real_name"] = user == BotUserId ? "News Bot" : user,
                ["deleted"] = false,
                ["is_admin"] = _admins.Contains(user),
                ["is_owner"] = false,
                ["is_primary_owner"] = false,
                ["is_bot"] = user == BotUserId,
                ["tz"] = "Etc/UTC",
            },
        }, warnings);
    }

    private Reply JoinConversation(JsonObject args, List<string> warnings)
    {
        var id = Str(args, "channel");
        if (id is null || !_channels.TryGetValue(id, out var channel))
            return Fail("channel_not_found", warnings);
        if (channel.BotIsMember)
            warnings.Add("already_in_channel");
        else
            _channels[id] = channel = channel with { BotIsMember = true };
        return Ok(new JsonObject
        {
            ["channel"] = new JsonObject
            {
                ["id"] = channel.Id,
                ["name"] = channel.Name,
                ["is_channel"] = true,
                ["is_member"] = true,
            },
        }, warnings);
    }

    private Reply OpenConnection(List<string> warnings)
    {
        _ticket++;
        var url = $"ws://{BaseUrl.Authority}/socket?ticket={_ticket.ToString(CultureInfo.InvariantCulture)}";
        return Ok(new JsonObject { ["url"] = url }, warnings);
    }

    private string? ResolveChannel(string? id, bool requireMembership, out string channel)
    {
        channel = id ?? "";
        if (string.IsNullOrEmpty(id))
            return "channel_not_found";
        if (id[0] is 'U' or 'W')
        {
            channel = "D" + id[1..];
            if (!_channels.ContainsKey(channel))
                _channels[channel] = new FakeChannel(channel, channel, BotIsMember: true);
            return null;
        }

        if (!_channels.TryGetValue(id, out var known))
            return "channel_not_found";
        return requireMembership && !known.BotIsMember ? "not_in_channel" : null;
    }

    /// <summary>Shared by chat methods and response_url: text or blocks present, text length, Block Kit limits.</summary>
    private static string? ValidateContent(JsonObject args, out string? text, out JsonArray? blocks, out List<string> messages)
    {
        messages = [];
        text = Str(args, "text");
        if (!TryGetBlocks(args, out blocks))
            return "invalid_blocks_format";
        if (string.IsNullOrEmpty(text) && (blocks is null || blocks.Count == 0))
            return "no_text";
        if (text is { Length: > MaxMessageText })
            return "msg_too_long";
        return blocks is not null && !SlackBlockKitValidator.Validate(blocks, messages) ? "invalid_blocks" : null;
    }

    private static bool TryGetBlocks(JsonObject args, out JsonArray? blocks)
    {
        blocks = null;
        switch (args["blocks"])
        {
            case null:
                return true;
            case JsonArray array:
                blocks = array;
                return true;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                try
                {
                    blocks = JsonNode.Parse(value.GetValue<string>()) as JsonArray;
                    return blocks is not null;
                }
                catch (JsonException)
                {
                    return false;
                }

            default:
                return false;
        }
    }

    private string NextTs()
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        if (now > _lastTsSeconds)
        {
            _lastTsSeconds = now;
            _lastTsFraction = 100;
        }
        else if ((_lastTsFraction += 100) >= 1_000_000)
        {
            _lastTsSeconds++;
            _lastTsFraction = 100;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_lastTsSeconds}.{_lastTsFraction:D6}");
    }

    private void RememberMessage(string channel, string ts, string? text, JsonArray? blocks, string? threadTs)
    {
        _posted[(channel, ts)] = new PostedMessage(text, (JsonArray?)blocks?.DeepClone(), threadTs);
        _latestTsByChannel[channel] = ts;
    }

    private JsonObject BotMessage(string ts, string? text, JsonArray? blocks, string? threadTs)
    {
        var message = new JsonObject
        {
            ["type"] = "message",
            ["user"] = BotUserId,
            ["bot_id"] = BotId,
            ["app_id"] = AppId,
            ["team"] = TeamId,
            ["text"] = text ?? "",
            ["ts"] = ts,
        };
        if (blocks is not null)
            message["blocks"] = blocks.DeepClone();
        if (threadTs is not null)
            message["thread_ts"] = threadTs;
        return message;
    }

    private static JsonElement Snapshot(JsonObject args, JsonArray? blocks)
    {
        var copy = (JsonObject)args.DeepClone();
        if (blocks is not null)
            copy["blocks"] = blocks.DeepClone();
        using var document = JsonDocument.Parse(copy.ToJsonString());
        return document.RootElement.Clone();
    }

    private static string? Str(JsonObject args, string name) => args[name] switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var other => other.ToJsonString(),
    };

    private static Reply Ok(JsonObject body, List<string> warnings)
    {
        var reply = new JsonObject { ["ok"] = true };
        foreach (var (name, value) in body)
            reply[name] = value?.DeepClone();
        return Finish(reply, warnings, []);
    }

    private static Reply Fail(string error, List<string> warnings, List<string>? messages = null) =>
        Finish(new JsonObject { ["ok"] = false, ["error"] = error }, warnings, messages ?? []);

    private static Reply Finish(JsonObject reply, List<string> warnings, List<string> messages)
    {
        if (warnings.Contains("missing_charset"))
            messages.Add("[WARN] A Content-Type HTTP header was presented but did not declare a charset, such as a 'utf-8'");
        if (warnings.Count > 0)
            reply["warning"] = string.Join(',', warnings);
        if (warnings.Count > 0 || messages.Count > 0)
        {
            var metadata = new JsonObject();
            if (warnings.Count > 0)
                metadata["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode?)w)]);
            if (messages.Count > 0)
                metadata["messages"] = new JsonArray([.. messages.Select(m => (JsonNode?)m)]);
            reply["response_metadata"] = metadata;
        }

        return new Reply(200, reply.ToJsonString(ReplyJson), JsonContentType);
    }

    private sealed record FakeChannel(string Id, string Name, bool BotIsMember)
    {
        /// <summary>The workspace the channel belongs to; null: any token sees it.</summary>
        public FakeSlackWorkspace? Owner { get; init; }
    }

    private sealed record PostedMessage(string? Text, JsonArray? Blocks, string? ThreadTs);
}
