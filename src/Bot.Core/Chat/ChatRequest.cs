namespace Bot.Core.Chat;

/// <summary>Who is asking and where, as far as the core needs to know.</summary>
public sealed record ChatContext
{
    public static readonly ChatContext Cli = new() { Platform = "cli", Workspace = "local", Channel = "cli", CanManageBriefings = true };

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
}

/// <summary>A command line such as "incident balloon" or "onthisday 02-04", without the slash.</summary>
public sealed record ChatRequest(string Text, ChatContext Context)
{
    /// <summary>The first word, lower case: the command's name.</summary>
    public string Command => Split().Command;

    /// <summary>Everything after the first word, trimmed.</summary>
    public string Arguments => Split().Arguments;

    // The router, the handler and the logs all read these; split once, and again only if `with` changed the text.
    private (string Text, string Command, string Arguments)? _split;

    private (string Command, string Arguments) Split()
    {
        if (_split is { } known && ReferenceEquals(known.Text, Text)) return (known.Command, known.Arguments);
        var text = Text.AsSpan().Trim().TrimStart('/');
        var space = text.IndexOfAny(' ', '\t', '\n');
        var (command, arguments) = space < 0
            ? (text.ToString().ToLowerInvariant(), string.Empty)
            : (text[..space].ToString().ToLowerInvariant(), text[(space + 1)..].Trim().ToString());
        _split = (Text, command, arguments);
        return (command, arguments);
    }
}
