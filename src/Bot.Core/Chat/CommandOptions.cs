using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Chat;

/// <summary>
/// Configuration section <c>Commands</c>: the names people type. Another app may own /incident in a
/// workspace (incident-management apps do), so every typed command can take a prefix
/// (<c>brief</c> → /brief-incident, /brief-ask) or a name of its own (<c>Names:incident = case</c>).
/// </summary>
public sealed class CommandOptions
{
    public const string Section = "Commands";

    /// <summary>Put before every name with a dash; empty for none.</summary>
    public string? Prefix { get; set; }

    /// <summary>Per internal command, the full public name (the prefix does not apply to it).</summary>
    public Dictionary<string, string> Names { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed partial class CommandOptionsValidator : IValidateOptions<CommandOptions>
{
    /// <summary>Slack counts the slash in its 32 characters, so names stop at 31.</summary>
    public const int MaxNameLength = 31;

    // Discord's rule for slash command names, lower case; Slack takes the same characters.
    [GeneratedRegex(@"^[-_\p{L}\p{N}]+$")]
    private static partial Regex NameCharacters();

    public ValidateOptionsResult Validate(string? name, CommandOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Problems(CommandOptions options)
    {
        var unknown = options.Names.Keys.Where(k => !TypedCommands.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            yield return $"{CommandOptions.Section}:Names has no command {string.Join(", ", unknown.Select(k => $"'{k}'"))}; "
                + $"the commands are {string.Join(", ", TypedCommands.All.Select(c => c.Name))}";
            yield break;
        }

        if (!string.IsNullOrEmpty(options.Prefix) && Invalid(options.Prefix) is { } prefixProblem)
            yield return $"{CommandOptions.Section}:Prefix {prefixProblem} (got '{options.Prefix}')";
        foreach (var (command, publicName) in options.Names)
            if (Invalid(publicName ?? string.Empty) is { } problem)
                yield return $"{CommandOptions.Section}:Names:{command} {problem} (got '{publicName}')";

        var names = new CommandNames(options);
        foreach (var command in TypedCommands.All)
        {
            var publicName = names.Public(command.Name);
            if (publicName.Length > MaxNameLength && !options.Names.ContainsKey(command.Name))
                yield return $"{CommandOptions.Section}:Prefix makes /{publicName} longer than {MaxNameLength} characters";
        }

        foreach (var clash in TypedCommands.All.GroupBy(c => names.Public(c.Name), StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"/{clash.Key} would name {string.Join(" and ", clash.Select(c => c.Name))}; each command needs a name of its own";
    }

    /// <summary>What is wrong with a name (or prefix) on Discord or Slack, or null.</summary>
    private static string? Invalid(string name)
    {
        if (name.Length == 0) return "is empty";
        if (name.StartsWith('/')) return "is written without the slash";
        if (name.Length > MaxNameLength) return $"is longer than {MaxNameLength} characters";
        if (!NameCharacters().IsMatch(name)) return "may hold only letters, digits, '-' and '_'";
        if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal)) return "must be lower case";
        return null;
    }
}
