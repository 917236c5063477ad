using Microsoft.Extensions.Options;

namespace Bot.Core.Chat;

/// <summary>
/// Internal command names ("incident") and the names people type ("/brief-incident", "/case"), both ways.
/// Handlers, buttons and forms speak internal names; whatever shows a command to a person asks for its
/// public name here, and whatever a person typed is translated back here before it reaches the router.
/// </summary>
public sealed class CommandNames
{
    private readonly string _prefix;
    private readonly Dictionary<string, string> _overrides;
    private readonly Dictionary<string, string> _overridden;

    /// <summary>No prefix and no renaming: every command is called by its internal name.</summary>
    public static CommandNames Unchanged { get; } = new(new CommandOptions());

    public CommandNames(IOptions<CommandOptions> options)
        : this(options.Value)
    {
    }

    public CommandNames(CommandOptions options)
    {
        _prefix = string.IsNullOrWhiteSpace(options.Prefix) ? string.Empty : options.Prefix.Trim() + "-";
        _overrides = options.Names.ToDictionary(p => p.Key.ToLowerInvariant(), p => (p.Value ?? string.Empty).Trim().TrimStart('/'), StringComparer.Ordinal);
        // Two commands under one name are refused at start (CommandOptionsValidator); the validator itself builds names first.
        _overridden = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (command, name) in _overrides) _overridden.TryAdd(name, command);
    }

    /// <summary>True when some command is not called by its internal name.</summary>
    public bool AnyRenamed => _prefix.Length > 0 || _overrides.Count > 0;

    /// <summary>The name people type for <paramref name="command"/>, without the slash: "brief-incident".</summary>
    public string Public(string command)
    {
        command = command.ToLowerInvariant();
        if (_overrides.TryGetValue(command, out var name)) return name;
        // Button-only commands are never typed, so they keep their names (buttons carry internal names).
        return TypedCommands.Contains(command) ? _prefix + command : command;
    }

    /// <summary>"/brief-incident", for text shown to people.</summary>
    public string Slash(string command) => "/" + Public(command);

    /// <summary>"/brief-incident list", for hints: the command's public name, then the rest as given.</summary>
    public string Slash(string command, string arguments) => $"{Slash(command)} {arguments}";

    /// <summary>
    /// The internal command a typed name stands for ("brief-incident" → "incident"), or null when it is not
    /// a name people may type — including an internal name that was renamed, which must not keep answering.
    /// </summary>
    public string? Internal(string typed)
    {
        var name = typed.Trim().TrimStart('/').ToLowerInvariant();
        if (name.Length == 0 || name == "help") return name;
        if (_overridden.TryGetValue(name, out var command)) return command;
        if (_prefix.Length > 0)
        {
            if (!name.StartsWith(_prefix, StringComparison.Ordinal)) return null;
            name = name[_prefix.Length..];
            if (!TypedCommands.Contains(name)) return null;
        }

        return _overrides.ContainsKey(name) ? null : name;
    }

    /// <summary>A typed command line with its first word translated ("/case balloon" → "incident balloon"), or null when that word is no command's public name.</summary>
    public string? InternalLine(string typed)
    {
        var text = typed.AsSpan().Trim();
        var space = text.IndexOfAny(' ', '\t', '\n');
        var first = space < 0 ? text : text[..space];
        if (Internal(first.ToString()) is not { } command) return null;
        return space < 0 ? command : command + text[space..].ToString();
    }
}
