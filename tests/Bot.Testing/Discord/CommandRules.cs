using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Bot.Testing.Discord.ErrorTree;

namespace Bot.Testing.Discord;

/// <summary>Application command registration rules (reference section 5).</summary>
internal static class CommandRules
{
    private const int ChatInput = 1;
    private const int SubCommand = 1;
    private const int SubCommandGroup = 2;
    private static readonly Dictionary<long, int> MaxPerType = new() { [1] = 100, [2] = 15, [3] = 15, [4] = 1 };
    private static readonly string[] ServerAssignedKeys = ["id", "application_id", "version", "guild_id"];

    public static void Validate(JsonElement commands, ErrorTree errors)
    {
        if (commands.ValueKind != JsonValueKind.Array)
        {
            errors.Add([], "BASE_TYPE_ARRAY", "Must be an array.");
            return;
        }
        var names = new HashSet<(long, string)>();
        var perType = new Dictionary<long, int>();
        var i = 0;
        foreach (var command in commands.EnumerateArray())
        {
            string[] at = [Index(i++)];
            if (command.ValueKind != JsonValueKind.Object)
            {
                errors.Add(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
                continue;
            }
            var type = JsonBits.Integer(command, "type") ?? ChatInput;
            perType[type] = perType.GetValueOrDefault(type) + 1;
            ValidateCommand(command, type, at, errors, names);
        }
        foreach (var (type, count) in perType)
            if (MaxPerType.TryGetValue(type, out var max) && count > max)
                errors.Add([], "APPLICATION_COMMANDS_TOO_MANY", $"Maximum number of type {type} application commands reached ({max})");
    }

    /// <summary>The set as comparable text: key order, command order and server-assigned fields do not matter.</summary>
    public static string CanonicalSet(IEnumerable<JsonElement> commands)
    {
        var canonical = commands.Select(command =>
        {
            if (JsonNode.Parse(command.GetRawText()) is not JsonObject node) return JsonBits.Canonical(command);
            foreach (var key in ServerAssignedKeys) node.Remove(key);
            node["type"] ??= ChatInput;
            return JsonBits.Canonical(JsonBits.ToElement(node));
        }).Order(StringComparer.Ordinal);
        return string.Join('\n', canonical);
    }

    public static string Key(JsonElement command) =>
        (JsonBits.Integer(command, "type") ?? ChatInput).ToString(CultureInfo.InvariantCulture) + "/" + JsonBits.String(command, "name");

    private static void ValidateCommand(JsonElement command, long type, string[] at, ErrorTree errors, HashSet<(long, string)> names)
    {
        if (type is < 1 or > 4)
            errors.Add([.. at, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.");
        var chatLike = type is 1 or 4;

        var name = JsonBits.String(command, "name");
        if (name is null) errors.Required([.. at, "name"]);
        else
        {
            if (chatLike) CheckChatName([.. at, "name"], name, errors);
            else errors.Length([.. at, "name"], name, 1, 32);
            if (!names.Add((type, name)))
                errors.Add([.. at, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique");
        }

        var description = JsonBits.String(command, "description");
        if (chatLike)
        {
            if (description is null) errors.Required([.. at, "description"]);
            else errors.Length([.. at, "description"], description, 1, 100);
        }
        else if (!string.IsNullOrEmpty(description))
            errors.Add([.. at, "description"], "APPLICATION_COMMAND_DESCRIPTION_NOT_EMPTY", "Description must be empty for USER and MESSAGE commands");

        if (JsonBits.TryArray(command, "options", out var options))
        {
            if (type == ChatInput) ValidateOptions(options, [.. at, "options"], errors, parentType: 0);
            else if (options.GetArrayLength() > 0)
                errors.Add([.. at, "options"], "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED", "Only CHAT_INPUT commands may have options");
        }

        if (Size(command) > 8000)
            errors.Add(at, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (8000)");
    }

    private static void ValidateOptions(JsonElement options, string[] at, ErrorTree errors, long parentType)
    {
        errors.Count(at, options.GetArrayLength(), 25);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sawOptional = false;
        var sawSubCommands = false;
        var sawValues = false;
        var i = 0;
        foreach (var option in options.EnumerateArray())
        {
            string[] path = [.. at, Index(i++)];
            var type = JsonBits.Integer(option, "type");
            if (type is null or < 1 or > 11)
            {
                errors.Add([.. path, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.");
                continue;
            }
            var nests = type is SubCommand or SubCommandGroup;
            sawSubCommands |= nests;
            sawValues |= !nests;
            if (parentType == SubCommand && nests)
                errors.Add([.. path, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-commands cannot contain sub-commands or groups");
            if (parentType == SubCommandGroup && type != SubCommand)
                errors.Add([.. path, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command groups may only contain sub-commands");

            var name = JsonBits.String(option, "name");
            if (name is null) errors.Required([.. path, "name"]);
            else
            {
                CheckChatName([.. path, "name"], name, errors);
                if (!names.Add(name))
                    errors.Add([.. path, "name"], "APPLICATION_COMMAND_OPTIONS_DUPLICATE_NAME", "Option names must be unique");
            }

            var description = JsonBits.String(option, "description");
            if (description is null) errors.Required([.. path, "description"]);
            else errors.Length([.. path, "description"], description, 1, 100);

            if (!nests)
            {
                var required = JsonBits.Bool(option, "required") == true;
                if (required && sawOptional)
                    errors.Add([.. path, "required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options");
                sawOptional |= !required;
            }

            if (JsonBits.TryArray(option, "choices", out var choices) && choices.GetArrayLength() > 0)
                ValidateChoices(option, type.Value, choices, [.. path, "choices"], errors);

            if (JsonBits.TryArray(option, "options", out var nested) && nested.GetArrayLength() > 0)
            {
                if (nests) ValidateOptions(nested, [.. path, "options"], errors, type.Value);
                else errors.Add([.. path, "options"], "APPLICATION_COMMAND_OPTIONS_NOT_ALLOWED", "Only sub-commands and groups may have options");
            }
        }
        if (sawSubCommands && sawValues)
            errors.Add(at, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands and groups cannot be mixed with other options");
    }

    private static void ValidateChoices(JsonElement option, long type, JsonElement choices, string[] at, ErrorTree errors)
    {
        if (type is not (3 or 4 or 10))
            errors.Add(at, "APPLICATION_COMMAND_OPTION_CHOICES_NOT_ALLOWED", "Choices are only allowed on STRING, INTEGER and NUMBER options");
        if (JsonBits.Bool(option, "autocomplete") == true)
            errors.Add(at, "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE", "Autocomplete cannot be used with choices");
        errors.Count(at, choices.GetArrayLength(), 25);
        var i = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            string[] path = [.. at, Index(i++)];
            var name = JsonBits.String(choice, "name");
            if (name is null) errors.Required([.. path, "name"]);
            else errors.Length([.. path, "name"], name, 1, 100);

            if (!JsonBits.TryGet(choice, "value", out var value)) errors.Required([.. path, "value"]);
            else if (type == 3 && value.ValueKind == JsonValueKind.String) errors.Length([.. path, "value"], value.GetString(), 1, 100);
            else if ((type == 3) != (value.ValueKind == JsonValueKind.String))
                errors.Add([.. path, "value"], "APPLICATION_COMMAND_OPTION_CHOICE_VALUE_INVALID", "Choice value does not match the option type");
        }
    }

    private static void CheckChatName(string[] at, string name, ErrorTree errors)
    {
        var length = 0;
        var valid = true;
        foreach (var rune in name.EnumerateRunes())
        {
            length++;
            valid &= IsNameRune(rune) && Rune.ToLowerInvariant(rune) == rune;
        }
        if (length is < 1 or > 32)
            errors.Add(at, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.");
        if (!valid)
            errors.Add(at, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    }

    // Discord's pattern also admits the Devanagari and Thai scripts, whose vowel signs are marks, not letters.
    private static bool IsNameRune(Rune rune)
    {
        if (rune.Value is '-' or '_' or '\'' || Rune.IsLetter(rune) || Rune.IsNumber(rune)) return true;
        var category = Rune.GetUnicodeCategory(rune);
        var isMark = category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
        return isMark && rune.Value is (>= 0x0900 and <= 0x097F) or (>= 0x0E00 and <= 0x0E7F);
    }

    private static int Size(JsonElement node)
    {
        var size = 0;
        foreach (var key in new[] { "name", "description" })
            if (JsonBits.String(node, key) is { } text) size += Text.CodePoints(text);
        if (JsonBits.TryGet(node, "value", out var value))
            size += Text.CodePoints(value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText());
        foreach (var key in new[] { "options", "choices" })
            if (JsonBits.TryArray(node, key, out var children))
                foreach (var child in children.EnumerateArray())
                    size += Size(child);
        return size;
    }
}
