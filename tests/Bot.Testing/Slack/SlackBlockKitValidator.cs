using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Testing.Slack;

/// <summary>Checks message blocks against the Block Kit limits Slack enforces, with Slack-style error messages.</summary>
internal static class SlackBlockKitValidator
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxFields = 10;
    public const int MaxFieldText = 2000;
    public const int MaxHeaderText = 150;
    public const int MaxButtonText = 75;
    public const int MaxId = 255;
    public const int MaxButtonValue = 2000;
    public const int MaxUrl = 3000;
    public const int MaxAltText = 2000;
    public const int MaxContextElements = 10;
    public const int MaxActionsElements = 25;
    public const int MaxMarkdownBlockText = 12000;

    private static readonly HashSet<string> UncheckedBlockTypes = new(StringComparer.Ordinal)
    {
        "rich_text", "input", "file", "video",
    };

    /// <summary>Returns true when the blocks are valid; otherwise adds one message per problem.</summary>
    public static bool Validate(JsonArray blocks, List<string> errors)
    {
        var before = errors.Count;
        if (blocks.Count > MaxBlocks)
            errors.Add(Error($"no more than {MaxBlocks} items allowed", "/blocks"));

        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
        {
            var pointer = $"/blocks/{i}";
            if (blocks[i] is not JsonObject block)
            {
                errors.Add(Error("must be an object", pointer));
                continue;
            }

            var blockId = CheckId(block, "block_id", pointer, errors);
            if (blockId is not null && !blockIds.Add(blockId))
                errors.Add(Error("duplicate block_id", pointer + "/block_id"));

            var type = GetString(block, "type");
            switch (type)
            {
                case null:
                    errors.Add(Error("missing required field: type", pointer));
                    break;
                case "section":
                    CheckSection(block, pointer, errors);
                    break;
                case "header":
                    CheckTextObject(block["text"], pointer + "/text", MaxHeaderText, plainOnly: true, required: true, errors);
                    break;
                case "context":
                    CheckContext(block, pointer, errors);
                    break;
                case "actions":
                    CheckActions(block, pointer, errors);
                    break;
                case "divider":
                    break;
                case "image":
                    CheckImage(block, pointer, errors);
                    break;
                case "markdown":
                    CheckString(block, "text", pointer, MaxMarkdownBlockText, required: true, errors);
                    break;
                default:
                    if (!UncheckedBlockTypes.Contains(type))
                        errors.Add(Error($"unsupported type: {type}", pointer + "/type"));
                    break;
            }
        }

        return errors.Count == before;
    }

    private static void CheckSection(JsonObject block, string pointer, List<string> errors)
    {
        var hasText = block["text"] is not null;
        var fields = block["fields"];
        if (!hasText && fields is null)
            errors.Add(Error("must provide either text or fields", pointer));
        if (hasText)
            CheckTextObject(block["text"], pointer + "/text", MaxSectionText, plainOnly: false, required: true, errors);
        if (fields is not null)
        {
            if (fields is not JsonArray fieldArray)
            {
                errors.Add(Error("must be an array", pointer + "/fields"));
            }
            else
            {
                if (fieldArray.Count > MaxFields)
                    errors.Add(Error($"no more than {MaxFields} items allowed", pointer + "/fields"));
                for (var i = 0; i < fieldArray.Count; i++)
                    CheckTextObject(fieldArray[i], $"{pointer}/fields/{i}", MaxFieldText, plainOnly: false, required: true, errors);
            }
        }

        if (block["accessory"] is { } accessory)
            CheckElement(accessory, pointer + "/accessory", errors);
    }

    private static void CheckContext(JsonObject block, string pointer, List<string> errors)
    {
        if (block["elements"] is not JsonArray elements)
        {
            errors.Add(Error("missing required field: elements", pointer));
            return;
        }

        if (elements.Count is 0 or > MaxContextElements)
            errors.Add(Error($"must have between 1 and {MaxContextElements} items", pointer + "/elements"));
        for (var i = 0; i < elements.Count; i++)
        {
            var elementPointer = $"{pointer}/elements/{i}";
            if (elements[i] is JsonObject element && GetString(element, "type") == "image")
                CheckImage(element, elementPointer, errors);
            else
                CheckTextObject(elements[i], elementPointer, MaxSectionText, plainOnly: false, required: true, errors);
        }
    }

    private static void CheckActions(JsonObject block, string pointer, List<string> errors)
    {
        if (block["elements"] is not JsonArray elements)
        {
            errors.Add(Error("missing required field: elements", pointer));
            return;
        }

        if (elements.Count is 0 or > MaxActionsElements)
            errors.Add(Error($"must have between 1 and {MaxActionsElements} items", pointer + "/elements"));
        var actionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < elements.Count; i++)
        {
            var actionId = CheckElement(elements[i], $"{pointer}/elements/{i}", errors);
            if (actionId is not null && !actionIds.Add(actionId))
                errors.Add(Error("duplicate action_id", $"{pointer}/elements/{i}/action_id"));
        }
    }

    private static string? CheckElement(JsonNode? node, string pointer, List<string> errors)
    {
        if (node is not JsonObject element)
        {
            errors.Add(Error("must be an object", pointer));
            return null;
        }

        var actionId = CheckId(element, "action_id", pointer, errors);
        switch (GetString(element, "type"))
        {
            case null:
                errors.Add(Error("missing required field: type", pointer));
                break;
            case "button":
                CheckTextObject(element["text"], pointer + "/text", MaxButtonText, plainOnly: true, required: true, errors);
                CheckString(element, "value", pointer, MaxButtonValue, required: false, errors);
                CheckString(element, "url", pointer, MaxUrl, required: false, errors);
                if (GetString(element, "style") is { } style && style is not ("primary" or "danger"))
                    errors.Add(Error("must be one of: primary, danger", pointer + "/style"));
                break;
            case "image":
                CheckImage(element, pointer, errors);
                break;
        }

        return actionId;
    }

    private static void CheckImage(JsonObject image, string pointer, List<string> errors)
    {
        CheckString(image, "alt_text", pointer, MaxAltText, required: true, errors);
        if (image["slack_file"] is null)
            CheckString(image, "image_url", pointer, MaxUrl, required: true, errors);
    }

    private static void CheckTextObject(JsonNode? node, string pointer, int maxLength, bool plainOnly, bool required, List<string> errors)
    {
        if (node is null)
        {
            if (required)
                errors.Add(Error("missing required field", pointer));
            return;
        }

        if (node is not JsonObject text)
        {
            errors.Add(Error("must be a text object", pointer));
            return;
        }

        var type = GetString(text, "type");
        if (plainOnly && type != "plain_text")
            errors.Add(Error("must be plain_text", pointer + "/type"));
        else if (type is not ("plain_text" or "mrkdwn"))
            errors.Add(Error("must be one of: plain_text, mrkdwn", pointer + "/type"));
        CheckString(text, "text", pointer, maxLength, required: true, errors);
    }

    private static void CheckString(JsonObject owner, string name, string pointer, int maxLength, bool required, List<string> errors)
    {
        var node = owner[name];
        if (node is null)
        {
            if (required)
                errors.Add(Error($"missing required field: {name}", pointer));
            return;
        }

        var value = AsString(node);
        if (value is null)
            errors.Add(Error("must be a string", $"{pointer}/{name}"));
        else if (required && value.Length == 0)
            errors.Add(Error("must be more than 0 characters", $"{pointer}/{name}"));
        else if (value.Length > maxLength)
            errors.Add(Error($"must be less than {maxLength + 1} characters", $"{pointer}/{name}"));
    }

    private static string? CheckId(JsonObject owner, string name, string pointer, List<string> errors)
    {
        if (owner[name] is null)
            return null;
        CheckString(owner, name, pointer, MaxId, required: true, errors);
        return AsString(owner[name]);
    }

    private static string? GetString(JsonObject owner, string name) => AsString(owner[name]);

    private static string? AsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string Error(string message, string pointer) => $"[ERROR] {message} [json-pointer:{pointer}]";
}
