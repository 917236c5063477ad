using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Slack.Tests.Fuzz;

/// <summary>
/// Malformed Slack payloads made by mutating real shapes (a slash command's form, event_callback and url_verification
/// envelopes, block_actions, view_submission, message_action, block_suggestion and other interaction payloads, Socket Mode
/// envelopes) with a seeded random source, so every
/// run sends the same bodies. Mutations: null array elements, lone UTF-16 surrogates, wrong types, missing fields, deep
/// nesting, empty values, control characters, and byte-level damage (truncation, flipped bytes, stray fragments).
/// </summary>
internal sealed partial class SlackPayloadFuzzer(int seed, string responseUrl)
{
    // JsonNode cannot hold a lone surrogate or an arbitrarily deep value, so mutations leave markers that are swapped for the raw JSON text at the end.
    private const string LoneMarker = "\u0001lone\u0001";
    private const string DeepMarker = "\u0001deep\u0001";
    private static readonly string[] LoneSurrogates = [@"\ud800", @"\udfff", @"\ud83d", @"x\udc00y", @"\ud800\ud800", @"\udc00\ud800"];
    private static readonly string[] OddStrings =
    [
        "", " ", "\r\nX-Forged: line", "\u0000", "\u001b[31m", "\u0085\u2028", "<!channel>", "' OR 1=1 --", "NEAR(", "%", "%ZZ", "null", "[]", "{}",
        "-1", "1e309", "/incident", "🎈", "ƒ̸̢̛ǫ̶̧͖͝ȍ", "javascript:alert(1)", "ftp://127.0.0.1/x", "http://localhost:1/x", "http://127.0.0.1:1/x", "not a url",
        "https://hooks.slack.com:1/x", "timeline balloon", "incident", "briefing unsubscribe digest",
    ];
    private static readonly string[] Fragments = ["&", "=", "%", "%ZZ", "+", "payload", "{", "\"", "\\", "\u0000", "🎈", "%C3%28", "%ED%A0%80", "]", ",", ":"];

    private readonly Random _random = new(seed);

    /// <summary>A form body as Slack posts a slash command, damaged.</summary>
    public byte[] Command(int i)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("token", "fake-verification-token"), new("team_id", "T0FAKE"), new("team_domain", "fake-team"),
            new("channel_id", "C0GENERAL"), new("channel_name", "general"), new("user_id", "U0ALICE"), new("user_name", "alice"),
            // /ask less often than the others: a question costs the Q&A engine a few milliseconds, the rest well under one.
            new("command", Pick(["/incident", "/incident", "/timeline", "/timeline", "/onthisday", "/onthisday", "/briefing", "/briefing", "/ask"])),
            new("text", Pick(["balloon", "tiktok", "status", "when was the balloon shot down?", "", "balloon public"])),
            new("api_app_id", "A0FAKE"), new("is_enterprise_install", "false"), new("response_url", responseUrl),
            new("trigger_id", string.Create(CultureInfo.InvariantCulture, $"{i}.1700000000.fuzz")),
        };
        for (var k = 1 + _random.Next(3); k > 0; k--) MutateForm(fields);
        return DamageBytes(Encoding.UTF8.GetBytes(FormEncode(fields)));
    }

    /// <summary>An Events API body (event_callback or url_verification), damaged.</summary>
    public byte[] Event(int i) => DamageBytes(Encoding.UTF8.GetBytes(Mutated(EventSeed(i))));

    /// <summary>An interactivity form body (<c>payload=</c> JSON), damaged inside the JSON or in the form.</summary>
    public byte[] Interaction(int i)
    {
        var fields = new List<KeyValuePair<string, string>> { new("payload", Mutated(InteractionSeed(i))) };
        if (_random.Next(5) == 0) MutateForm(fields);
        return DamageBytes(Encoding.UTF8.GetBytes(FormEncode(fields)));
    }

    /// <summary>A Socket Mode frame (an envelope of any of the three types), damaged anywhere, sometimes not JSON at all.</summary>
    public string SocketFrame(int i)
    {
        var (type, payload, accepts) = _random.Next(3) switch
        {
            0 => ("events_api", EventSeed(i), false),
            1 => ("slash_commands", SocketCommandSeed(i), true),
            _ => InteractiveEnvelope(i),
        };
        var envelope = new JsonObject
        {
            ["envelope_id"] = string.Create(CultureInfo.InvariantCulture, $"fuzz-{i}"),
            ["type"] = type,
            ["payload"] = payload,
            ["accepts_response_payload"] = accepts,
        };
        if (type == "events_api")
        {
            envelope["retry_attempt"] = 0;
            envelope["retry_reason"] = "";
        }

        var text = Mutated(envelope);
        return _random.Next(8) == 0 ? Encoding.UTF8.GetString(DamageBytes(Encoding.UTF8.GetBytes(text), always: true)) : text;
    }

    private JsonNode EventSeed(int i)
    {
        var ts = string.Create(CultureInfo.InvariantCulture, $"{1_700_100_000 + i}.000100");
        // A channel of its own per event: the bot's one-post-a-second pace per channel never holds the run up.
        var channel = string.Create(CultureInfo.InvariantCulture, $"C0FZ{i}");
        return _random.Next(6) switch
        {
            0 => new JsonObject { ["token"] = "fake-verification-token", ["challenge"] = $"challenge-{i}", ["type"] = "url_verification" },
            1 => Callback(i, new JsonObject
            {
                ["type"] = "message",
                ["channel_type"] = "im",
                ["user"] = "U0ALICE",
                ["text"] = "incident balloon",
                ["ts"] = ts,
                ["channel"] = "D" + channel,
                ["event_ts"] = ts,
            }),
            2 => Callback(i, new JsonObject
            {
                ["type"] = "app_mention",
                ["user"] = "U0ALICE",
                ["text"] = "<@U0BOT> incident tiktok",
                ["ts"] = ts,
                ["thread_ts"] = "1700000000.000001",
                ["team"] = "T0FAKE",
                ["channel"] = channel,
                ["event_ts"] = ts,
            }),
            3 => Callback(i, new JsonObject
            {
                ["type"] = "message",
                ["subtype"] = "bot_message",
                ["bot_id"] = "B0OTHER",
                ["text"] = "hello",
                ["ts"] = ts,
                ["channel"] = channel,
            }),
            _ => Callback(i, new JsonObject
            {
                ["type"] = "app_mention",
                ["user"] = "U0ALICE",
                ["text"] = "<@U0BOT> incident balloon",
                ["ts"] = ts,
                ["team"] = "T0FAKE",
                ["channel"] = channel,
                ["event_ts"] = ts,
                ["blocks"] = new JsonArray(new JsonObject
                {
                    ["type"] = "rich_text",
                    ["block_id"] = "b1",
                    ["elements"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "rich_text_section",
                        ["elements"] = new JsonArray(new JsonObject { ["type"] = "user", ["user_id"] = "U0BOT" }, new JsonObject { ["type"] = "text", ["text"] = " incident balloon" }),
                    }),
                }),
            }),
        };
    }

    private static JsonObject Callback(int i, JsonObject inner) => new()
    {
        ["token"] = "fake-verification-token",
        ["team_id"] = "T0FAKE",
        ["api_app_id"] = "A0FAKE",
        ["event"] = inner,
        ["type"] = "event_callback",
        ["event_id"] = string.Create(CultureInfo.InvariantCulture, $"Ev0FZ{i}"),
        ["event_time"] = 1_700_100_000 + i,
        ["authorizations"] = new JsonArray(new JsonObject
        {
            ["enterprise_id"] = null,
            ["team_id"] = "T0FAKE",
            ["user_id"] = "U0BOT",
            ["is_bot"] = true,
            ["is_enterprise_install"] = false,
        }),
        ["is_ext_shared_channel"] = false,
        ["event_context"] = "4-fuzz",
    };

    /// <summary>An interactive envelope; Slack accepts a response payload in the ack for submissions and menus only.</summary>
    private (string Type, JsonNode Payload, bool Accepts) InteractiveEnvelope(int i)
    {
        var payload = InteractionSeed(i);
        var kind = payload["type"]?.GetValue<string>();
        return ("interactive", payload, kind is "view_submission" or "block_suggestion");
    }

    private JsonNode InteractionSeed(int i)
    {
        var ts = string.Create(CultureInfo.InvariantCulture, $"{1_700_200_000 + i}.000100");
        return _random.Next(8) switch
        {
            0 => new JsonObject
            {
                ["type"] = "view_submission",
                ["team"] = new JsonObject { ["id"] = "T0FAKE", ["domain"] = "fake-team" },
                ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice", ["team_id"] = "T0FAKE" },
                ["view"] = new JsonObject { ["id"] = "V1", ["type"] = "modal", ["state"] = new JsonObject { ["values"] = new JsonObject() } },
                ["api_app_id"] = "A0FAKE",
                ["trigger_id"] = "1.2.3",
            },
            2 or 3 => ViewSubmissionSeed(i),
            4 => MessageActionSeed(i, ts),
            5 => BlockSuggestionSeed(),
            1 => new JsonObject
            {
                ["type"] = "shortcut",
                ["token"] = "fake-verification-token",
                ["action_ts"] = ts,
                ["team"] = new JsonObject { ["id"] = "T0FAKE" },
                ["user"] = new JsonObject { ["id"] = "U0ALICE" },
                ["callback_id"] = "briefing",
                ["trigger_id"] = "1.2.3",
            },
            _ => new JsonObject
            {
                ["type"] = "block_actions",
                ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice", ["name"] = "alice", ["team_id"] = "T0FAKE" },
                ["api_app_id"] = "A0FAKE",
                ["token"] = "fake-verification-token",
                ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = "C0GENERAL", ["is_ephemeral"] = false },
                ["trigger_id"] = "1.2.3",
                ["team"] = new JsonObject { ["id"] = "T0FAKE", ["domain"] = "fake-team" },
                ["enterprise"] = null,
                ["is_enterprise_install"] = false,
                ["channel"] = new JsonObject { ["id"] = "C0GENERAL", ["name"] = "general" },
                ["message"] = new JsonObject
                {
                    ["type"] = "message",
                    ["user"] = "U0BOT",
                    ["ts"] = ts,
                    ["bot_id"] = "B0BOT",
                    ["text"] = "card",
                    ["blocks"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "actions",
                        ["block_id"] = "cmds",
                        ["elements"] = new JsonArray(new JsonObject
                        {
                            ["type"] = "button",
                            ["action_id"] = "cmd-0",
                            ["value"] = "timeline balloon",
                            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Timeline", ["emoji"] = true },
                        }),
                    }),
                },
                ["state"] = new JsonObject { ["values"] = new JsonObject() },
                ["response_url"] = responseUrl,
                ["actions"] = new JsonArray(new JsonObject
                {
                    ["action_id"] = "cmd-0",
                    ["block_id"] = "cmds",
                    ["value"] = Pick(["timeline balloon", "sources tiktok", "related balloon"]),
                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Timeline", ["emoji"] = true },
                    ["type"] = "button",
                    ["action_ts"] = ts,
                }),
            },
        };
    }

    /// <summary>A modal's Save as Slack sends it: the bot's own callback_id and metadata, inputs and an incident menu in state.values.</summary>
    private JsonObject ViewSubmissionSeed(int i)
    {
        static JsonObject Input(string id, string label, string type) => new()
        {
            ["type"] = "input",
            ["block_id"] = id,
            ["optional"] = false,
            ["label"] = new JsonObject { ["type"] = "plain_text", ["text"] = label, ["emoji"] = true },
            ["element"] = new JsonObject { ["type"] = type, ["action_id"] = "value" },
        };
        static JsonObject Typed(string value) => new() { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = value } };

        var command = Pick(["incident save new", "incident save edit balloon 1", "incident save message", "timeline balloon", "incident save"]);
        var metadata = new JsonObject { ["command"] = command, ["channel"] = "C0GENERAL", ["thread"] = null }.ToJsonString();
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0FAKE", ["domain"] = "fake-team" },
            ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice", ["name"] = "alice", ["team_id"] = "T0FAKE" },
            ["api_app_id"] = "A0FAKE",
            ["token"] = "fake-verification-token",
            ["trigger_id"] = string.Create(CultureInfo.InvariantCulture, $"{i}.1700000000.view"),
            ["view"] = new JsonObject
            {
                ["id"] = "V0FUZZ",
                ["team_id"] = "T0FAKE",
                ["type"] = "modal",
                ["callback_id"] = Pick(["bot_form", "bot_form", "other_form"]),
                ["private_metadata"] = metadata,
                ["hash"] = "1700000000.abc",
                ["root_view_id"] = "V0FUZZ",
                ["app_id"] = "A0FAKE",
                ["bot_id"] = "B0BOT",
                ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "New incident", ["emoji"] = true },
                ["blocks"] = new JsonArray(Input("title", "Title", "plain_text_input"), Input("summary", "Summary", "plain_text_input"), Input("incident", "Incident", "external_select")),
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        ["title"] = Typed(Pick(["Drone over a base", "", "<!channel> & <@U123>"])),
                        ["summary"] = Typed("A drone circled the base."),
                        ["category"] = Typed(Pick(["Airspace", "Nonsense"])),
                        ["incident"] = new JsonObject
                        {
                            ["value"] = new JsonObject
                            {
                                ["type"] = "external_select",
                                ["selected_option"] = new JsonObject
                                {
                                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Chinese surveillance balloon", ["emoji"] = true },
                                    ["value"] = "balloon",
                                },
                            },
                        },
                    },
                },
            },
            ["response_urls"] = new JsonArray(),
            ["is_enterprise_install"] = false,
            ["enterprise"] = null,
        };
    }

    private JsonObject MessageActionSeed(int i, string ts) => new()
    {
        ["type"] = "message_action",
        ["token"] = "fake-verification-token",
        ["action_ts"] = ts,
        ["team"] = new JsonObject { ["id"] = "T0FAKE", ["domain"] = "fake-team" },
        ["user"] = new JsonObject { ["id"] = "U0ALICE", ["name"] = "alice", ["team_id"] = "T0FAKE" },
        ["channel"] = new JsonObject { ["id"] = "C0GENERAL", ["name"] = "general" },
        ["is_enterprise_install"] = false,
        ["enterprise"] = null,
        ["callback_id"] = Pick(["add_to_incident", "add_to_incident", "something_else"]),
        ["trigger_id"] = string.Create(CultureInfo.InvariantCulture, $"{i}.1700000000.shortcut"),
        ["response_url"] = responseUrl,
        ["message_ts"] = ts,
        ["message"] = new JsonObject
        {
            ["type"] = "message",
            ["user"] = "U0BOB",
            ["ts"] = ts,
            ["team"] = "T0FAKE",
            ["text"] = Pick(["The balloon was shot down <https://example.org/x|here> by <@U0BOB> &amp; co", "", "<!channel> debris found"]),
        },
    };

    private JsonObject BlockSuggestionSeed() => new()
    {
        ["type"] = "block_suggestion",
        ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice", ["name"] = "alice", ["team_id"] = "T0FAKE" },
        ["container"] = new JsonObject { ["type"] = "view", ["view_id"] = "V0FUZZ" },
        ["api_app_id"] = "A0FAKE",
        ["token"] = "fake-verification-token",
        ["action_id"] = "value",
        ["block_id"] = Pick(["incident", "incident", "other"]),
        ["value"] = Pick(["", "ball", "tik", "🎈", "\"*NEAR("]),
        ["team"] = new JsonObject { ["id"] = "T0FAKE", ["domain"] = "fake-team" },
        ["enterprise"] = null,
        ["is_enterprise_install"] = false,
        ["view"] = new JsonObject { ["id"] = "V0FUZZ", ["type"] = "modal", ["callback_id"] = "bot_form", ["state"] = new JsonObject { ["values"] = new JsonObject() } },
    };

    private JsonObject SocketCommandSeed(int i) => new()
    {
        ["token"] = "fake-verification-token",
        ["team_id"] = "T0FAKE",
        ["team_domain"] = "fake-team",
        ["channel_id"] = "C0GENERAL",
        ["channel_name"] = "general",
        ["user_id"] = "U0ALICE",
        ["user_name"] = "alice",
        ["command"] = Pick(["/incident", "/timeline", "/ask", "/onthisday"]),
        ["text"] = Pick(["balloon", "tiktok", ""]),
        ["api_app_id"] = "A0FAKE",
        ["is_enterprise_install"] = "false",
        ["response_url"] = responseUrl,
        ["trigger_id"] = string.Create(CultureInfo.InvariantCulture, $"{i}.1700000000.fuzz"),
    };

    /// <summary>The seed with one to three mutations, as JSON text (markers swapped for lone surrogates and deep values).</summary>
    private string Mutated(JsonNode seed)
    {
        JsonNode? root = seed.DeepClone();
        for (var k = 1 + _random.Next(3); k > 0; k--) root = MutateOnce(root);
        var json = root?.ToJsonString() ?? "null";
        json = LoneMarkerJson().Replace(json, _ => LoneSurrogates[_random.Next(LoneSurrogates.Length)]);
        return DeepMarkerJson().Replace(json, _ => Deep(_random.Next(4) switch { 0 => 10, 1 => 63, 2 => 65, _ => 300 }));
    }

    private JsonNode? MutateOnce(JsonNode? root)
    {
        if (root is null) return new JsonObject();
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[_random.Next(nodes.Count)];
        var replacement = _random.Next(9) switch
        {
            0 => null, // a JSON null where a value was
            1 => Remove(target) ? target : null,
            2 => InsertNull(target),
            3 => LoneSurrogate(target),
            4 => WrongType(target),
            5 => JsonValue.Create(DeepMarker),
            6 => target switch { JsonObject => new JsonObject(), JsonArray => new JsonArray(), _ => JsonValue.Create("") },
            7 => JsonValue.Create(Pick(OddStrings)),
            _ => JsonValue.Create(new string('x', _random.Next(1, 20_000))),
        };
        if (ReferenceEquals(replacement, target)) return root;
        if (ReferenceEquals(target, root)) return replacement;
        Replace(target, replacement);
        return root;
    }

    private static void Collect(JsonNode node, List<JsonNode> nodes)
    {
        nodes.Add(node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                    if (child is not null) Collect(child, nodes);
                break;
            case JsonArray array:
                foreach (var child in array)
                    if (child is not null) Collect(child, nodes);
                break;
        }
    }

    /// <summary>Takes the node out of its parent (a missing field, a shorter array); false for the root.</summary>
    private static bool Remove(JsonNode node)
    {
        switch (node.Parent)
        {
            case JsonObject parent:
                parent.Remove(node.GetPropertyName());
                return true;
            case JsonArray parent:
                parent.RemoveAt(node.GetElementIndex());
                return true;
            default:
                return false;
        }
    }

    private JsonNode InsertNull(JsonNode node)
    {
        if (node is JsonArray array)
        {
            array.Insert(_random.Next(array.Count + 1), null);
            return array;
        }

        // A value that should have been an array of things becomes an array holding a null, or the value next to a null.
        return _random.Next(2) == 0 ? new JsonArray((JsonNode?)null) : new JsonArray(null, node.DeepClone());
    }

    private JsonNode LoneSurrogate(JsonNode node)
    {
        var text = node is JsonValue value && value.TryGetValue<string>(out var s) ? s : "";
        var at = _random.Next(text.Length + 1);
        return JsonValue.Create(text[..at] + LoneMarker + text[at..]);
    }

    private JsonNode? WrongType(JsonNode node) => (node, _random.Next(6)) switch
    {
        (JsonObject, 0) => JsonValue.Create("an object was expected"),
        (JsonArray, 0) => new JsonObject { ["0"] = "an array was expected" },
        (_, 1) => JsonValue.Create(_random.Next(2) == 0 ? 42 : -1),
        (_, 2) => JsonValue.Create(_random.Next(2) == 0),
        (_, 3) => JsonValue.Create(1e308),
        (_, 4) => new JsonArray("a", 1, true, null),
        _ => new JsonObject { ["id"] = new JsonArray() },
    };

    private static void Replace(JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = replacement;
                break;
            case JsonArray parent:
                parent[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private string Deep(int depth)
    {
        var arrays = _random.Next(2) == 0;
        var text = new StringBuilder();
        for (var d = 0; d < depth; d++) text.Append(arrays ? "[" : "{\"a\":");
        text.Append("\"bottom\"");
        for (var d = 0; d < depth; d++) text.Append(arrays ? ']' : '}');
        return text.ToString();
    }

    private void MutateForm(List<KeyValuePair<string, string>> fields)
    {
        if (fields.Count == 0)
        {
            fields.Add(new(Pick(["command", "payload", "text"]), Pick(OddStrings)));
            return;
        }

        var at = _random.Next(fields.Count);
        var (name, value) = fields[at];
        switch (_random.Next(7))
        {
            case 0:
                fields.RemoveAt(at);
                break;
            case 1:
                fields[at] = new(name, "");
                break;
            case 2:
                fields.Insert(_random.Next(fields.Count + 1), new(name, Pick(OddStrings)));
                break;
            case 3:
                fields[at] = new(name, Pick(OddStrings));
                break;
            case 4:
                fields[at] = new(name + Pick(["_", "[]", " ", "\u0000"]), value);
                break;
            case 5:
                fields[at] = new(name, value.Insert(_random.Next(value.Length + 1), Pick(OddStrings)));
                break;
            default:
                fields[at] = new(name, string.Concat(Enumerable.Repeat("🎈", _random.Next(1, 3000))));
                break;
        }
    }

    /// <summary>Now and then, damage below the format: truncation, random bytes (often invalid UTF-8), a raw fragment, or nothing left.</summary>
    private byte[] DamageBytes(byte[] body, bool always = false)
    {
        if (!always && _random.Next(4) != 0) return body;
        switch (_random.Next(4))
        {
            case 0:
                return body[.._random.Next(body.Length + 1)];
            case 1:
                var bytes = (byte[])body.Clone();
                for (var k = 1 + _random.Next(6); k > 0 && bytes.Length > 0; k--) bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
                return bytes;
            case 2:
                var position = _random.Next(body.Length + 1);
                return [.. body[..position], .. Encoding.UTF8.GetBytes(Pick(Fragments)), .. body[position..]];
            default:
                return [];
        }
    }

    private string Pick(string[] options) => options[_random.Next(options.Length)];

    private static string FormEncode(IEnumerable<KeyValuePair<string, string>> fields) =>
        string.Join('&', fields.Select(f => Escape(f.Key) + "=" + Escape(f.Value)));

    // A lone surrogate cannot be percent-encoded (it has no UTF-8 form); the form carries U+FFFD in its place, as a browser would.
    private static string Escape(string value) =>
        Uri.EscapeDataString(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value))).Replace("%20", "+", StringComparison.Ordinal);

    [GeneratedRegex(@"\\u0001lone\\u0001")]
    private static partial Regex LoneMarkerJson();

    [GeneratedRegex(@"""\\u0001deep\\u0001""")]
    private static partial Regex DeepMarkerJson();
}
