using System.Text;
using System.Text.Json.Nodes;

namespace Bot.Slack.Tests.Fuzz;

/// <summary>
/// Every odd shape Slack's org-wide install fields could take, on every payload that carries them: the events API
/// (a mention, app_uninstalled, tokens_revoked), interactions (block_actions, view_submission, message and global
/// shortcuts) and slash commands. Each case is one field of one payload set to one shape, so a failure names exactly
/// what broke. The list is fixed (no randomness): the same cases run every time.
/// </summary>
public static class OrgFieldShapes
{
    /// <summary>Raw JSON values (null: the field is left out). Lone surrogates are written as JSON escapes, as an outside fuzzer sends them.</summary>
    public static readonly (string Name, string? Json)[] JsonValues =
    [
        ("missing", null),
        ("null", "null"),
        ("empty string", "\"\""),
        ("number", "42"),
        ("huge number", "1e309"),
        ("true", "true"),
        ("\"true\" as a string", "\"true\""),
        ("object", "{}"),
        ("array", "[]"),
        ("array of null", "[null]"),
        ("object with null id", """{"id":null}"""),
        ("object with number id", """{"id":42}"""),
        ("object with empty id", """{"id":""}"""),
        ("object with object id", """{"id":{"id":"E0GRID"}}"""),
        ("object with lone surrogate id", """{"id":"E\ud800","name":"\udfff"}"""),
        ("lone surrogate", "\"\\ud800\""),
        ("reversed surrogates", "\"\\udc00\\ud800\""),
        ("10,000 characters", "\"" + new string('E', 10_000) + "\""),
        ("object with 10,000-character id", "{\"id\":\"" + new string('T', 10_000) + "\"}"),
        ("emoji", "\"🏢🎈\""),
        ("SQL", "\"' OR 1=1 --\""),
        ("FTS syntax", "\"NEAR(\\\"a\\\" b) OR *\""),
        ("control characters", "\"E\\u0000\\u001b[31m\\r\\n\""),
    ];

    /// <summary>Form values for slash commands (null: the field is left out); a lone surrogate has no UTF-8 form, so its raw bytes go instead.</summary>
    public static readonly (string Name, string? Value)[] FormValues =
    [
        ("missing", null),
        ("empty", ""),
        ("\"null\"", "null"),
        ("\"true\"", "true"),
        ("number", "42"),
        ("10,000 characters", new string('E', 10_000)),
        ("emoji", "🏢🎈"),
        ("SQL", "' OR 1=1 --"),
        ("FTS syntax", "NEAR(\"a\" b) OR *"),
        ("control characters", "E\u0000\u001b[31m\r\n"),
        ("brackets", "{\"id\":\"E0\"}"),
    ];

    public static readonly string[] EventPaths =
    [
        "team_id", "enterprise_id", "authorizations", "authorizations/0", "authorizations/0/team_id", "authorizations/0/enterprise_id",
        "authorizations/0/is_enterprise_install", "event/team", "is_ext_shared_channel",
    ];

    public static readonly string[] InteractionPaths =
    [
        "team", "team/id", "enterprise", "enterprise/id", "is_enterprise_install", "user/team_id", "user", "channel",
    ];

    public static readonly string[] CommandFields = ["team_id", "enterprise_id", "enterprise_name", "is_enterprise_install", "team_domain"];

    public static readonly string[] EventKinds = ["app_mention", "app_uninstalled", "tokens_revoked"];
    public static readonly string[] InteractionKinds = ["block_actions", "view_submission", "message_action", "shortcut"];

    public static IEnumerable<object[]> EventCases() =>
        from kind in EventKinds from path in EventPaths from value in JsonValues select new object[] { kind, path, value.Name };

    public static IEnumerable<object[]> InteractionCases() =>
        from kind in InteractionKinds from path in InteractionPaths from value in JsonValues select new object[] { kind, path, value.Name };

    public static IEnumerable<object[]> CommandCases() =>
        from field in CommandFields from value in FormValues select new object[] { field, value.Name };

    public static string? JsonValue(string name) => JsonValues.Single(v => v.Name == name).Json;

    public static string? FormValue(string name) => FormValues.Single(v => v.Name == name).Value;

    /// <summary>An event_callback of <paramref name="kind"/> from an org-wide install, with the field at <paramref name="path"/> set to the raw JSON (or left out).</summary>
    public static string Event(string kind, int serial, string path, string? rawJson)
    {
        var ts = $"{1_700_300_000 + serial}.000100";
        JsonObject inner = kind switch
        {
            "app_uninstalled" => new() { ["type"] = "app_uninstalled", ["event_ts"] = ts },
            "tokens_revoked" => new() { ["type"] = "tokens_revoked", ["tokens"] = new JsonObject { ["bot"] = new JsonArray("U0BOT") }, ["event_ts"] = ts },
            _ => new()
            {
                ["type"] = "app_mention",
                ["user"] = "U0ALICE",
                ["text"] = "<@U0BOT> incident balloon",
                ["ts"] = ts,
                ["team"] = "T0FUZZ",
                ["channel"] = $"C0ORG{serial}",
                ["event_ts"] = ts,
            },
        };
        var envelope = new JsonObject
        {
            ["token"] = "fake-verification-token",
            // The org being fuzzed is no org the bot installed in: an uninstall must leave everyone else alone.
            ["team_id"] = "T0FUZZ",
            ["enterprise_id"] = "E0FUZZ",
            ["api_app_id"] = "A0FAKE",
            ["event"] = inner,
            ["type"] = "event_callback",
            ["event_id"] = $"Ev0ORG{serial}",
            ["event_time"] = 1_700_300_000 + serial,
            ["authorizations"] = new JsonArray(new JsonObject
            {
                ["enterprise_id"] = "E0FUZZ",
                ["team_id"] = null,
                ["user_id"] = "U0BOT",
                ["is_bot"] = true,
                ["is_enterprise_install"] = true,
            }),
            ["is_ext_shared_channel"] = false,
        };
        return WithRaw(envelope, path, rawJson);
    }

    /// <summary>An interaction payload of <paramref name="kind"/> from an org-wide install, with the field at <paramref name="path"/> set (or left out).</summary>
    public static string Interaction(string kind, int serial, string path, string? rawJson, string responseUrl)
    {
        var ts = $"{1_700_400_000 + serial}.000100";
        var payload = new JsonObject
        {
            ["type"] = kind,
            ["token"] = "fake-verification-token",
            ["team"] = new JsonObject { ["id"] = "T0FUZZ", ["domain"] = "fuzz", ["enterprise_id"] = "E0FUZZ" },
            ["enterprise"] = new JsonObject { ["id"] = "E0FUZZ", ["name"] = "Fuzz Org" },
            ["is_enterprise_install"] = true,
            ["user"] = new JsonObject { ["id"] = "U0ALICE", ["username"] = "alice", ["team_id"] = "T0FUZZ" },
            ["channel"] = new JsonObject { ["id"] = "C0GENERAL", ["name"] = "general" },
            ["api_app_id"] = "A0FAKE",
            ["trigger_id"] = $"{serial}.1700000000.org",
            ["response_url"] = responseUrl,
        };
        switch (kind)
        {
            case "block_actions":
                payload["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = "C0GENERAL" };
                payload["actions"] = new JsonArray(new JsonObject { ["action_id"] = "cmd-0", ["block_id"] = "cmds", ["value"] = "timeline balloon", ["type"] = "button", ["action_ts"] = ts });
                break;
            case "view_submission":
                payload["view"] = new JsonObject
                {
                    ["id"] = "V0ORG",
                    ["type"] = "modal",
                    ["callback_id"] = "bot_form",
                    ["private_metadata"] = """{"command":"incident save new","channel":"C0GENERAL","thread":null}""",
                    ["state"] = new JsonObject { ["values"] = new JsonObject { ["title"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Drone over a base" } } } },
                };
                break;
            case "message_action":
                payload["callback_id"] = "add_to_incident";
                payload["message_ts"] = ts;
                payload["message"] = new JsonObject { ["type"] = "message", ["user"] = "U0BOB", ["ts"] = ts, ["text"] = "debris found" };
                break;
            default:
                payload["callback_id"] = "briefing";
                payload["action_ts"] = ts;
                break;
        }

        return WithRaw(payload, path, rawJson);
    }

    /// <summary>A slash command form from an org-wide install, <paramref name="field"/> set to <paramref name="value"/> (or left out).</summary>
    public static byte[] Command(string command, string text, string field, string? value, string responseUrl, int serial)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("token", "fake-verification-token"), new("team_id", "T0FUZZ"), new("team_domain", "fuzz"), new("enterprise_id", "E0FUZZ"),
            new("enterprise_name", "Fuzz Org"), new("channel_id", "C0GENERAL"), new("channel_name", "general"), new("user_id", "U0ALICE"),
            new("user_name", "alice"), new("command", command), new("text", text), new("api_app_id", "A0FAKE"), new("is_enterprise_install", "true"),
            new("response_url", responseUrl), new("trigger_id", $"{serial}.1700000000.org"),
        };
        var at = fields.FindIndex(f => f.Key == field);
        if (value is null) fields.RemoveAt(at);
        else fields[at] = new(field, value);
        return Encoding.UTF8.GetBytes(string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))));
    }

    /// <summary>The JSON text of <paramref name="root"/> with the node at <paramref name="path"/> (a/b/0/c) replaced by raw JSON, or removed.</summary>
    public static string WithRaw(JsonObject root, string path, string? rawJson)
    {
        const string Marker = "\u0001shape\u0001";
        var steps = path.Split('/');
        JsonNode parent = root;
        foreach (var step in steps[..^1])
            parent = (int.TryParse(step, out var index) ? parent.AsArray()[index] : parent[step])!;
        var last = steps[^1];
        if (parent is JsonArray array)
        {
            var index = int.Parse(last, System.Globalization.CultureInfo.InvariantCulture);
            if (rawJson is null) array.RemoveAt(index);
            else array[index] = Marker;
        }
        else if (rawJson is null)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = Marker;
        }

        return root.ToJsonString().Replace("\"\\u0001shape\\u0001\"", rawJson ?? "", StringComparison.Ordinal);
    }
}
