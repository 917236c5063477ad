using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Testing.Discord;

/// <summary>
/// Who invokes an interaction. With a guild, a member with these permissions and roles; without
/// one (a DM), a bare user, as Discord sends it there.
/// </summary>
public sealed record DiscordInvoker(
    string Permissions = "0",
    IReadOnlyList<string>? Roles = null,
    string? GuildId = DiscordInvoker.Guild,
    string ChannelId = DiscordInvoker.Channel,
    string UserId = "7200000000000000001",
    string Username = "alice",
    string? GlobalName = "Alice")
{
    public const string Guild = "7000000000000000001";
    public const string Channel = "7100000000000000001";

    /// <summary>Manage Server (1 &lt;&lt; 5), the permission that makes someone an editor.</summary>
    public static DiscordInvoker ServerManager { get; } = new(Permissions: "32");

    /// <summary>Send Messages and little else: a plain member.</summary>
    public static DiscordInvoker Plain { get; } = new(Permissions: "2048", UserId: "7200000000000000003", Username: "bob", GlobalName: "Bob");
}

/// <summary>
/// Interactions in the shapes Discord sends, built from the captured samples in <c>Samples/</c>:
/// a subcommand, a button, a modal submission (Label or legacy action-row shape) answering a modal
/// the bot sent, and a message command with its resolved message. Each gets a fresh id and token.
/// </summary>
public sealed class DiscordInteractions(string applicationId)
{
    private int _count;

    /// <summary>"/command [subcommand] option:value …" as a CHAT_INPUT interaction.</summary>
    public string SlashCommand(string name, string? subcommand = null, DiscordInvoker? by = null, params (string Name, string Value)[] options)
    {
        var values = new JsonArray(options.Select(o => (JsonNode)new JsonObject { ["name"] = o.Name, ["type"] = 3, ["value"] = o.Value }).ToArray());
        var data = new JsonObject { ["id"] = "8000000000000000001", ["name"] = name, ["type"] = 1 };
        data["options"] = subcommand is null ? values : new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1, ["options"] = values });
        return Build("slash_subcommand.json", 2, data, by);
    }

    /// <summary>A button press: the custom_id the bot gave the button.</summary>
    public string Component(string customId, DiscordInvoker? by = null) =>
        Build("slash_subcommand.json", 3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }, by);

    /// <summary>
    /// The submission of <paramref name="modal"/> (the <c>data</c> of the bot's type-9 response):
    /// each input sends what <paramref name="typed"/> says, or else the value it was opened with.
    /// Inputs come back wrapped as Discord wraps them: in Labels, or in action rows for legacy modals.
    /// </summary>
    public string ModalSubmit(JsonElement modal, IReadOnlyDictionary<string, string>? typed = null, DiscordInvoker? by = null, bool legacyRows = false)
    {
        var components = new JsonArray();
        var id = 0;
        foreach (var wrapper in modal.GetProperty("components").EnumerateArray())
        {
            var input = wrapper.TryGetProperty("component", out var labelled) ? labelled : wrapper.GetProperty("components")[0];
            var customId = input.GetProperty("custom_id").GetString()!;
            var value = typed is not null && typed.TryGetValue(customId, out var given) ? given
                : input.TryGetProperty("value", out var prefilled) ? prefilled.GetString() : "";
            var wrapperId = ++id;
            var submitted = new JsonObject { ["custom_id"] = customId, ["id"] = ++id, ["type"] = 4, ["value"] = value };
            components.Add(legacyRows
                ? new JsonObject { ["components"] = new JsonArray(submitted), ["id"] = wrapperId, ["type"] = 1 }
                : new JsonObject { ["component"] = submitted, ["id"] = wrapperId, ["type"] = 18 });
        }

        var data = new JsonObject { ["components"] = components, ["custom_id"] = modal.GetProperty("custom_id").GetString() };
        return Build(legacyRows ? "modal_submit_legacy.json" : "modal_submit.json", 5, data, by);
    }

    /// <summary>A modal submission written out by hand, for shapes no modal of the bot's would produce.</summary>
    public string ModalSubmit(string customId, JsonArray components, DiscordInvoker? by = null) =>
        Build("modal_submit.json", 5, new JsonObject { ["components"] = components, ["custom_id"] = customId }, by);

    /// <summary>The message command <paramref name="name"/> used on a message that says <paramref name="content"/>.</summary>
    public string MessageCommand(string name, string messageId, string content, DateTimeOffset sent, DiscordInvoker? by = null)
    {
        by ??= new DiscordInvoker();
        var root = Sample("message_command.json");
        var data = root["data"]!.AsObject();
        var sample = data["resolved"]!["messages"]!.AsObject().Single().Value!.DeepClone().AsObject();
        sample["id"] = messageId;
        sample["channel_id"] = by.ChannelId;
        sample["content"] = content;
        sample["timestamp"] = sent.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
        data["name"] = name;
        data["target_id"] = messageId;
        data["resolved"] = new JsonObject { ["messages"] = new JsonObject { [messageId] = sample } };
        if (by.GuildId is null) data.Remove("guild_id");
        else data["guild_id"] = by.GuildId;
        return Build(root, 2, data.DeepClone(), by);
    }

    private string Build(string sample, int type, JsonNode data, DiscordInvoker? by) => Build(Sample(sample), type, data, by);

    private string Build(JsonObject root, int type, JsonNode data, DiscordInvoker? by)
    {
        by ??= new DiscordInvoker();
        var n = Interlocked.Increment(ref _count);
        root["id"] = $"93{n:D17}";
        root["token"] = $"interaction-token-{n}-{Guid.NewGuid():N}";
        root["application_id"] = applicationId;
        root["type"] = type;
        root["data"] = data;
        root["channel_id"] = by.ChannelId;
        root["channel"]!["id"] = by.ChannelId;

        var user = root["member"]!["user"]!.DeepClone().AsObject();
        user["id"] = by.UserId;
        user["username"] = by.Username;
        user["global_name"] = by.GlobalName;
        if (by.GuildId is { } guild)
        {
            root["guild_id"] = guild;
            root["guild"]!["id"] = guild;
            root["channel"]!["guild_id"] = guild;
            root["authorizing_integration_owners"] = new JsonObject { ["0"] = guild };
            var member = root["member"]!.AsObject();
            member["permissions"] = by.Permissions;
            member["roles"] = new JsonArray((by.Roles ?? []).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray());
            member["user"] = user;
        }
        else
        {
            // In a DM Discord sends the user alone, and a channel of type 1 with no guild.
            foreach (var key in new[] { "guild_id", "guild", "guild_locale", "member" }) root.Remove(key);
            root["user"] = user;
            root["context"] = 1;
            root["channel"] = new JsonObject { ["flags"] = 0, ["id"] = by.ChannelId, ["last_message_id"] = null, ["type"] = 1 };
        }

        return root.ToJsonString();
    }

    private static JsonObject Sample(string name)
    {
        using var stream = typeof(DiscordInteractions).Assembly.GetManifestResourceStream("Discord.Samples." + name)
            ?? throw new InvalidOperationException($"No sample {name} is embedded");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
