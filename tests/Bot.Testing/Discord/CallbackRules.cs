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
    public const int Modal = 9;
    public const int EphemeralFlag = 1 << 6;

    /// <summary>Returns the callback type, or 0 when the body has no usable one.</summary>
    /// <param name="interactionType">The type of the interaction answered, when known: a modal answers neither a ping nor a modal submission.</param>
    public static int Validate(JsonElement body, ErrorTree errors, long? interactionType = null)
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
        if (type == Modal && interactionType is 1 or 5)
        {
            errors.Add(["type"], "INTERACTION_RESPONSE_TYPE_INVALID", "A modal cannot answer this type of interaction.");
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
            case Modal:
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

    /// <summary>
    /// A modal (reference §3, §4): custom_id 1-100, title 1-45, 1-5 components, each a Label
    /// (type 18, label 1-45) around a text input, or a legacy action row (type 1) around exactly one.
    /// </summary>
    private static void ValidateModal(JsonElement data, ErrorTree errors)
    {
        foreach (var (name, max) in new[] { ("custom_id", 100), ("title", 45) })
        {
            var text = JsonBits.String(data, name);
            if (text is null) errors.Required(["data", name]);
            else errors.Length(["data", name], text, 1, max);
        }
        if (!JsonBits.TryArray(data, "components", out var components) || components.GetArrayLength() is 0 or > 5)
        {
            errors.Add(["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var component in components.EnumerateArray())
        {
            string[] path = ["data", "components", Index(i++)];
            switch (JsonBits.Integer(component, "type"))
            {
                case LabelType:
                    var label = JsonBits.String(component, "label");
                    if (label is null) errors.Required([.. path, "label"]);
                    else errors.Length([.. path, "label"], label, 1, 45);
                    if (JsonBits.TryObject(component, "component", out var input)) ValidateTextInput(input, [.. path, "component"], errors, ids, inLabel: true);
                    else errors.Required([.. path, "component"]);
                    break;
                case ActionRowType:
                    if (JsonBits.TryArray(component, "components", out var row) && row.GetArrayLength() == 1)
                        ValidateTextInput(row[0], [.. path, "components", "0"], errors, ids, inLabel: false);
                    else errors.Add([.. path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length.");
                    break;
                default:
                    errors.Add([.. path, "type"], "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1, 18).");
                    break;
            }
        }
    }

    private const int ActionRowType = 1;
    private const int TextInputType = 4;
    private const int LabelType = 18;

    private static void ValidateTextInput(JsonElement input, string[] path, ErrorTree errors, HashSet<string> ids, bool inLabel)
    {
        if (JsonBits.Integer(input, "type") != TextInputType)
        {
            errors.Add([.. path, "type"], "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (4).");
            return;
        }
        var customId = JsonBits.String(input, "custom_id");
        if (customId is null) errors.Required([.. path, "custom_id"]);
        else if (errors.Length([.. path, "custom_id"], customId, 1, 100) > 0 && !ids.Add(customId))
            errors.Add([.. path, "custom_id"], "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
        if (JsonBits.Integer(input, "style") is not (1 or 2))
            errors.Add([.. path, "style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.");

        // Inside a Label the Label carries the text; a legacy input carries its own.
        if (!inLabel)
        {
            var ownLabel = JsonBits.String(input, "label");
            if (ownLabel is null) errors.Required([.. path, "label"]);
            else errors.Length([.. path, "label"], ownLabel, 1, 45);
        }

        var maxLength = JsonBits.Integer(input, "max_length") ?? 4000;
        var minLength = JsonBits.Integer(input, "min_length") ?? 0;
        if (maxLength is < 1 or > 4000) errors.Add([.. path, "max_length"], "NUMBER_TYPE_MAX", "int value should be between 1 and 4000.");
        if (minLength is < 0 or > 4000) errors.Add([.. path, "min_length"], "NUMBER_TYPE_MAX", "int value should be between 0 and 4000.");
        if (JsonBits.String(input, "value") is { } value) errors.Length([.. path, "value"], value, 0, (int)Math.Clamp(maxLength, 0, 4000));
        if (JsonBits.String(input, "placeholder") is { } placeholder) errors.Length([.. path, "placeholder"], placeholder, 0, 100);
    }
}
