namespace Bot.Core.Chat;

/// <summary>Who is asking and where, as far as the core needs to know.</summary>
public sealed record ChatContext
{
    public static readonly ChatContext Cli = new() { Platform = "cli", Workspace = "local", Channel = "cli", CanManageBriefings = true, CanEditContent = true };

    public required string Platform { get; init; }
    public string? Workspace { get; init; }
    public string? Channel { get; init; }
    public string? User { get; init; }
    /// <summary>A conversation thread, for follow-up questions.</summary>
    public string? Thread { get; init; }
    /// <summary>
    /// The asker may change the channel's scheduled briefings (Discord: Manage Server or Manage
    /// Channels; Slack: workspace admin or owner, or listed in Slack:AdminUserIds). Set by the adapter.
    /// </summary>
    public bool CanManageBriefings { get; init; }

    /// <summary>The channel's time zone, which decides what "today" means.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The asker's display name, for the audit log.</summary>
    public string? UserName { get; init; }

    /// <summary>
    /// The platform says this person may change incidents (Discord: Manage Server or an editor role;
    /// Slack: workspace admin or owner, or a listed editor). The core adds the workspace rule.
    /// </summary>
    public bool CanEditContent { get; init; }
}

/// <summary>A command line such as "incident balloon" or "onthisday 02-04", without the slash.</summary>
public sealed record ChatRequest
{
    public ChatRequest(string text, ChatContext context)
    {
        Text = text;
        Context = context;
    }

    /// <summary>Setting the text splits it once: the router, the handler and the logs all read the parts.</summary>
    public string Text
    {
        get => _text;
        init
        {
            _text = value;
            (Command, Arguments) = Split(value);
        }
    }

    private readonly string _text = string.Empty;

    public ChatContext Context { get; init; }

    /// <summary>The values of a submitted form, by field id; null for a typed command.</summary>
    public IReadOnlyDictionary<string, string>? Form { get; init; }

    /// <summary>The first word, lower case: the command's name.</summary>
    public string Command { get; private init; } = string.Empty;

    /// <summary>Everything after the first word, trimmed.</summary>
    public string Arguments { get; private init; } = string.Empty;

    private static (string Command, string Arguments) Split(string? value)
    {
        var text = (value ?? string.Empty).AsSpan().Trim().TrimStart('/');
        var space = text.IndexOfAny(' ', '\t', '\n');
        return space < 0
            ? (text.ToString().ToLowerInvariant(), string.Empty)
            : (text[..space].ToString().ToLowerInvariant(), text[(space + 1)..].Trim().ToString());
    }
}
