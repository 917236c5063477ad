using System.Text.Json;
using static Bot.Testing.Discord.ErrorTree;

namespace Bot.Testing.Discord;

/// <summary>Discord's message, embed and component limits (reference section 4), counted in code points.</summary>
internal static class MessageRules
{
    public const int ComponentsV2Flag = 1 << 15;
    private static readonly string[] NonEmptyArrays = ["embeds", "components", "sticker_ids", "attachments"];

    public static void Validate(JsonElement message, string[] at, ErrorTree errors, bool allowNonce)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            errors.Add(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
            return;
        }

        var content = JsonBits.String(message, "content");
        errors.Length([.. at, "content"], content, 0, 2000);

        var componentsV2 = ((JsonBits.Integer(message, "flags") ?? 0) & ComponentsV2Flag) != 0;
        var hasEmbeds = JsonBits.TryArray(message, "embeds", out var embeds) && embeds.GetArrayLength() > 0;
        if (hasEmbeds) ValidateEmbeds(embeds, [.. at, "embeds"], errors);

        if (JsonBits.TryArray(message, "components", out var components))
        {
            if (componentsV2) errors.Count([.. at, "components"], CountComponents(components), 40);
            else ValidateLegacyComponents(components, [.. at, "components"], errors);
        }
        if (componentsV2 && (!string.IsNullOrEmpty(content) || hasEmbeds))
            errors.Add([.. at, "content"], "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
                "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2");

        if (allowNonce && JsonBits.TryGet(message, "nonce", out var nonce) && NonceText(nonce) is { } nonceText)
            errors.Length([.. at, "nonce"], nonceText, 0, 25);

        if (JsonBits.TryObject(message, "allowed_mentions", out var mentions))
            ValidateAllowedMentions(mentions, [.. at, "allowed_mentions"], errors);
    }

    public static bool IsEmpty(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object) return true;
        if (!string.IsNullOrWhiteSpace(JsonBits.String(message, "content"))) return false;
        foreach (var name in NonEmptyArrays)
            if (JsonBits.TryArray(message, name, out var array) && array.GetArrayLength() > 0)
                return false;
        return !JsonBits.TryObject(message, "poll", out _);
    }

    /// <summary>A nonce as the text Discord compares: strings as is, integers by their digits.</summary>
    public static string? NonceText(JsonElement nonce) => nonce.ValueKind switch
    {
        JsonValueKind.String => nonce.GetString(),
        JsonValueKind.Number => nonce.GetRawText(),
        _ => null,
    };

    private static void ValidateEmbeds(JsonElement embeds, string[] at, ErrorTree errors)
    {
        errors.Count(at, embeds.GetArrayLength(), 10);
        var total = 0;
        var i = 0;
        foreach (var embed in embeds.EnumerateArray())
        {
            string[] path = [.. at, Index(i++)];
            if (embed.ValueKind != JsonValueKind.Object)
            {
                errors.Add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
                continue;
            }
            total += errors.Length([.. path, "title"], JsonBits.String(embed, "title"), 0, 256, trim: true);
            total += errors.Length([.. path, "description"], JsonBits.String(embed, "description"), 0, 4096, trim: true);
            if (JsonBits.TryObject(embed, "footer", out var footer))
                total += errors.Length([.. path, "footer", "text"], JsonBits.String(footer, "text"), 0, 2048, trim: true);
            if (JsonBits.TryObject(embed, "author", out var author))
                total += errors.Length([.. path, "author", "name"], JsonBits.String(author, "name"), 0, 256, trim: true);
            if (JsonBits.TryArray(embed, "fields", out var fields))
                total += ValidateFields(fields, [.. path, "fields"], errors);
        }
        if (total > 6000)
            errors.Add(at, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
    }

    private static int ValidateFields(JsonElement fields, string[] at, ErrorTree errors)
    {
        errors.Count(at, fields.GetArrayLength(), 25);
        var total = 0;
        var i = 0;
        foreach (var field in fields.EnumerateArray())
        {
            string[] path = [.. at, Index(i++)];
            foreach (var (name, max) in new[] { ("name", 256), ("value", 1024) })
            {
                var text = JsonBits.String(field, name);
                if (string.IsNullOrWhiteSpace(text)) errors.Required([.. path, name]);
                else total += errors.Length([.. path, name], text, 0, max, trim: true);
            }
        }
        return total;
    }

    private static void ValidateLegacyComponents(JsonElement rows, string[] at, ErrorTree errors)
    {
        errors.Count(at, rows.GetArrayLength(), 5);
        var customIds = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            string[] path = [.. at, Index(i++)];
            if (JsonBits.Integer(row, "type") != 1)
            {
                errors.Add([.. path, "type"], "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (1,).");
                continue;
            }
            if (!JsonBits.TryArray(row, "components", out var children) || children.GetArrayLength() is 0 or > 5)
            {
                errors.Add([.. path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
                if (children.ValueKind != JsonValueKind.Array) continue;
            }

            var width = 0;
            var j = 0;
            foreach (var child in children.EnumerateArray())
            {
                string[] childPath = [.. path, "components", Index(j++)];
                switch (JsonBits.Integer(child, "type"))
                {
                    case 2:
                        width += 1;
                        ValidateButton(child, childPath, errors, customIds);
                        break;
                    case 3 or 5 or 6 or 7 or 8:
                        width += 5;
                        ValidateSelect(child, childPath, errors, customIds);
                        break;
                    default:
                        errors.Add([.. childPath, "type"], "UNION_TYPE_CHOICES", "Value of field \"type\" must be one of (2, 3, 5, 6, 7, 8).");
                        break;
                }
            }
            if (width > 5)
                errors.Add([.. path, "components"], "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width");
        }
    }

    private static void ValidateButton(JsonElement button, string[] at, ErrorTree errors, HashSet<string> customIds)
    {
        errors.Length([.. at, "label"], JsonBits.String(button, "label"), 0, 80);
        switch (JsonBits.Integer(button, "style"))
        {
            case 1 or 2 or 3 or 4:
                ValidateCustomId(button, at, errors, customIds);
                break;
            case 5:
                var url = JsonBits.String(button, "url");
                if (url is null) errors.Required([.. at, "url"]);
                else errors.Length([.. at, "url"], url, 1, 512);
                if (JsonBits.TryGet(button, "custom_id", out _))
                    errors.Add([.. at, "custom_id"], "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id cannot be used with link buttons");
                break;
            case 6:
                if (JsonBits.String(button, "sku_id") is null) errors.Required([.. at, "sku_id"]);
                break;
            default:
                errors.Add([.. at, "style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.");
                break;
        }
    }

    private static void ValidateSelect(JsonElement select, string[] at, ErrorTree errors, HashSet<string> customIds)
    {
        ValidateCustomId(select, at, errors, customIds);
        errors.Length([.. at, "placeholder"], JsonBits.String(select, "placeholder"), 0, 150);
        foreach (var name in new[] { "min_values", "max_values" })
            if (JsonBits.Integer(select, name) is { } value && value is < 0 or > 25)
                errors.Add([.. at, name], "NUMBER_TYPE_MAX", "int value should be less than or equal to 25.");
        if (JsonBits.Integer(select, "type") != 3) return;

        if (!JsonBits.TryArray(select, "options", out var options) || options.GetArrayLength() is 0 or > 25)
        {
            errors.Add([.. at, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.");
            return;
        }
        var i = 0;
        foreach (var option in options.EnumerateArray())
        {
            string[] path = [.. at, "options", Index(i++)];
            foreach (var name in new[] { "label", "value" })
            {
                var text = JsonBits.String(option, name);
                if (text is null) errors.Required([.. path, name]);
                else errors.Length([.. path, name], text, 1, 100);
            }
        }
    }

    private static void ValidateCustomId(JsonElement component, string[] at, ErrorTree errors, HashSet<string> customIds)
    {
        var customId = JsonBits.String(component, "custom_id");
        if (customId is null)
        {
            errors.Required([.. at, "custom_id"]);
            return;
        }
        errors.Length([.. at, "custom_id"], customId, 1, 100);
        if (!customIds.Add(customId))
            errors.Add([.. at, "custom_id"], "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
    }

    private static int CountComponents(JsonElement components)
    {
        var count = 0;
        foreach (var component in components.EnumerateArray())
        {
            count++;
            if (JsonBits.TryArray(component, "components", out var children)) count += CountComponents(children);
            if (JsonBits.TryObject(component, "component", out var single)) count += 1 + NestedCount(single);
            if (JsonBits.TryObject(component, "accessory", out var accessory)) count += 1 + NestedCount(accessory);
        }
        return count;
    }

    private static int NestedCount(JsonElement component) =>
        JsonBits.TryArray(component, "components", out var children) ? CountComponents(children) : 0;

    private static void ValidateAllowedMentions(JsonElement mentions, string[] at, ErrorTree errors)
    {
        if (!JsonBits.TryArray(mentions, "parse", out var parse)) return;
        foreach (var kind in new[] { "users", "roles" })
        {
            var parsed = parse.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.String && p.GetString() == kind);
            if (parsed && JsonBits.TryArray(mentions, kind, out var ids) && ids.GetArrayLength() > 0)
                errors.Add(at, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    $"parse:[\"{kind}\"] and {kind}: [ids...] are mutually exclusive.");
        }
    }
}
