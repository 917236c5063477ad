using System.Text.Json;
using static Bot.Testing.Discord.ErrorTree;

namespace Bot.Testing.Discord;

/// <summary>Interaction callback bodies (reference section 3).</summary>
internal static class CallbackRules
{
    public const int ChannelMessage = 4;
    public const int DeferredChannelMessage = 5;
    public const int DeferredUpdate = 6;
    public const int UpdateMessage = 7;
    public const int EphemeralFlag = 1 << 6;

    /// <summary>Returns the callback type, or 0 when the body has no usable one.</summary>
    public static int Validate(JsonElement body, ErrorTree errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add([], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
            return 0;
        }
        var type = JsonBits.Integer(body, "type");
        if (type is not (1 or 4 or 5 or 6 or 7 or 8 or 9 or 10 or 12))
        {
            errors.Add(["type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 4, 5, 6, 7, 8, 9, 10, 12}.");
            return 0;
        }
        JsonBits.TryGet(body, "data", out var data);
        switch (type)
        {
            case ChannelMessage or UpdateMessage when data.ValueKind == JsonValueKind.Object:
                MessageRules.Validate(data, ["data"], errors, allowNonce: false);
                break;
            case DeferredChannelMessage when ((JsonBits.Integer(data, "flags") ?? 0) & ~EphemeralFlag) != 0:
                errors.Add(["data", "flags"], "INTERACTION_RESPONSE_FLAGS_INVALID", "Only the EPHEMERAL flag may be set on a deferred response");
                break;
            case 8:
                ValidateAutocomplete(data, errors);
                break;
            case 9:
                ValidateModal(data, errors);
                break;
        }
        return (int)type;
    }

    private static void ValidateAutocomplete(JsonElement data, ErrorTree errors)
    {
        if (!JsonBits.TryArray(data, "choices", out var choices))
        {
            errors.Required(["data", "choices"]);
            return;
        }
        errors.Count(["data", "choices"], choices.GetArrayLength(), 25);
        var i = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            string[] path = ["data", "choices", Index(i++)];
            var name = JsonBits.String(choice, "name");
            if (name is null) errors.Required([.. path, "name"]);
            else errors.Length([.. path, "name"], name, 1, 100);
            if (!JsonBits.TryGet(choice, "value", out var value)) errors.Required([.. path, "value"]);
            else if (value.ValueKind == JsonValueKind.String) errors.Length([.. path, "value"], value.GetString(), 0, 100);
        }
    }

    private static void ValidateModal(JsonElement data, ErrorTree errors)
    {
        foreach (var (name, max) in new[] { ("custom_id", 100), ("title", 45) })
        {
            var text = JsonBits.String(data, name);
            if (text is null) errors.Required(["data", name]);
            else errors.Length(["data", name], text, 1, max);
        }
        if (!JsonBits.TryArray(data, "components", out var components) || components.GetArrayLength() is 0 or > 5)
            errors.Add(["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    }
}
