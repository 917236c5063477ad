using System.Globalization;

namespace Bot.Benchmarks;

/// <summary>Just enough option parsing: "--name value" pairs and bare "--flag"s after the subcommand.</summary>
public sealed class Arguments(IReadOnlyList<string> args)
{
    public IReadOnlyList<string> All { get; } = args;

    public bool Flag(string name) => All.Contains(name, StringComparer.Ordinal);

    public string? Value(string name)
    {
        for (var i = 0; i < All.Count - 1; i++)
            if (All[i] == name) return All[i + 1];
        return null;
    }

    public string Text(string name, string fallback) => Value(name) ?? fallback;

    public int Number(string name, int fallback) =>
        Value(name) is { } text ? int.Parse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Everything except the given options and their values (what is left goes to BenchmarkDotNet).</summary>
    public string[] Without(params string[] optionsWithValues)
    {
        var rest = new List<string>();
        for (var i = 0; i < All.Count; i++)
        {
            if (optionsWithValues.Contains(All[i], StringComparer.Ordinal)) { i++; continue; }
            rest.Add(All[i]);
        }

        return [.. rest];
    }
}
