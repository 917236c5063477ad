using System.Text.Json.Nodes;

namespace Bot.Discord.Tests.Fuzzing;

/// <summary>
/// Malformed variants of real payloads, made by mutating their JSON tree: null array elements, lone
/// surrogates in strings and names, values of the wrong type, missing fields, deep nesting, long
/// arrays. Deterministic for a given <see cref="Random"/>, so a failure reproduces from its seed.
/// </summary>
internal sealed class PayloadMutator(Random random)
{
    // Placeholders swapped for escapes after serialising: the serialiser refuses to write lone surrogates itself.
    private const string HighMark = "@@HI@@";
    private const string LowMark = "@@LO@@";

    private static readonly string[] Words = ["incident", "timeline", "briefing", "ask", "incidents", "onthisday", "help", "balloon", "hik", "name", "subscribe", "status", "", " ", "🎈", "\0", "../..", "%2F", "NEAR(", "' OR 1=1 --"];

    /// <summary>One to three mutations of <paramref name="seed"/>, as JSON text that may hold lone-surrogate escapes.</summary>
    public string Mutate(JsonNode seed, int maxBytes)
    {
        var root = seed.DeepClone();
        var count = 1 + random.Next(3);
        for (var i = 0; i < count; i++) root = MutateOnce(root);
        var json = (root?.ToJsonString() ?? "null").Replace(HighMark, "\\ud800", StringComparison.Ordinal).Replace(LowMark, "\\udc00", StringComparison.Ordinal);
        return json.Length <= maxBytes ? json : json[..maxBytes];
    }

    private JsonNode? MutateOnce(JsonNode? root)
    {
        var places = new List<(JsonNode Parent, string? Name, int Index, JsonNode? Value)>();
        Collect(root, places);
        if (places.Count == 0) return Value();
        var (parent, name, index, value) = places[random.Next(places.Count)];
        var replacement = random.Next(9) switch
        {
            0 => null,
            1 => Value(),
            2 => value is JsonValue v && v.TryGetValue<string>(out var text) ? JsonValue.Create(WithLoneSurrogate(text)) : Value(),
            3 => Nest(value, random.Next(1, 200)),
            4 => LongArray(value),
            5 => new JsonArray(),
            6 => new JsonObject(),
            7 => JsonValue.Create(random.Next(3) == 0 ? long.MaxValue : random.Next(-5, 12)),
            _ => Missing,
        };

        switch (parent)
        {
            case JsonObject obj when ReferenceEquals(replacement, Missing):
                obj.Remove(name!);
                break;
            case JsonObject obj when random.Next(6) == 0:
                // A lone surrogate in the property name instead of the value.
                obj.Remove(name!);
                obj[WithLoneSurrogate(name!)] = value?.DeepClone();
                break;
            case JsonObject obj:
                obj[name!] = replacement;
                break;
            case JsonArray array when random.Next(3) == 0:
                array.Insert(random.Next(array.Count + 1), null);
                break;
            case JsonArray array when ReferenceEquals(replacement, Missing):
                array.RemoveAt(index);
                break;
            case JsonArray array:
                array[index] = replacement;
                break;
        }

        return root;
    }

    private static readonly JsonNode Missing = JsonValue.Create("(removed)");

    private static void Collect(JsonNode? node, List<(JsonNode, string?, int, JsonNode?)> places)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    places.Add((obj, name, -1, value));
                    Collect(value, places);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    places.Add((array, null, i, array[i]));
                    Collect(array[i], places);
                }
                break;
        }
    }

    private string WithLoneSurrogate(string text)
    {
        var at = random.Next(text.Length + 1);
        var mark = random.Next(3) switch { 0 => HighMark, 1 => LowMark, _ => LowMark + HighMark };
        return text[..at] + mark + text[at..];
    }

    private JsonNode? Value() => random.Next(6) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextDouble() * 1e6),
        3 => JsonValue.Create(Words[random.Next(Words.Length)]),
        4 => new JsonArray(JsonValue.Create(1), null),
        _ => new JsonObject { ["a"] = null },
    };

    /// <summary>The value wrapped in <paramref name="depth"/> levels of subcommand groups, as nested options would be.</summary>
    private static JsonNode Nest(JsonNode? value, int depth)
    {
        var node = value?.DeepClone() ?? JsonValue.Create("x");
        for (var i = 0; i < depth; i++)
            node = new JsonArray(new JsonObject { ["name"] = "g", ["type"] = 2, ["options"] = node });
        return node;
    }

    private JsonArray LongArray(JsonNode? value)
    {
        var array = new JsonArray();
        // Long enough to matter, short enough that most still fit under the body limit.
        var size = value?.ToJsonString().Length ?? 4;
        var length = Math.Min(random.Next(50, 3000), 1 + 60_000 / size);
        for (var i = 0; i < length; i++) array.Add(random.Next(4) == 0 ? null : value?.DeepClone());
        return array;
    }
}
