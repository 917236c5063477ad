using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Testing.Discord;

/// <summary>Collects 50035 field errors in Discord's shape: nested by JSON path, array indices as keys, leaves under <c>_errors</c>.</summary>
internal sealed class ErrorTree
{
    private readonly JsonObject _root = [];

    public bool IsEmpty => _root.Count == 0;

    public static string Index(int index) => index.ToString(CultureInfo.InvariantCulture);

    public void Add(string[] path, string code, string message)
    {
        var node = _root;
        foreach (var key in path)
        {
            if (node[key] is not JsonObject child)
            {
                child = [];
                node[key] = child;
            }
            node = child;
        }
        if (node["_errors"] is not JsonArray list)
        {
            list = [];
            node["_errors"] = list;
        }
        list.Add(new JsonObject { ["code"] = code, ["message"] = message });
    }

    /// <summary>Checks an optional string's length in code points (after trimming when asked) and returns that length.</summary>
    public int Length(string[] path, string? value, int min, int max, bool trim = false)
    {
        if (value is null) return 0;
        var length = Text.CodePoints(trim ? value.Trim() : value);
        if (length > max || length < min)
        {
            var message = min <= 0
                ? $"Must be {max} or fewer in length."
                : $"Must be between {min} and {max} in length.";
            Add(path, min <= 0 ? "BASE_TYPE_MAX_LENGTH" : "BASE_TYPE_BAD_LENGTH", message);
        }
        return length;
    }

    public void Count(string[] path, int count, int max)
    {
        if (count > max) Add(path, "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length.");
    }

    public void Required(string[] path) => Add(path, "BASE_TYPE_REQUIRED", "This field is required");

    public JsonObject ToBody() => new()
    {
        ["code"] = 50035,
        ["message"] = "Invalid Form Body",
        ["errors"] = _root.DeepClone(),
    };
}

internal static class Text
{
    // Discord counts Unicode code points (its API is Python 3), not UTF-16 units.
    public static int CodePoints(string value) => value.EnumerateRunes().Count();
}
