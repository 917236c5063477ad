namespace Bot.Core.Chat;

public enum MessageKind
{
    /// <summary>A rich answer: an incident card, a timeline, a digest.</summary>
    Card,
    /// <summary>Information that is not the answer asked for: "not found", "did you mean".</summary>
    Notice,
    /// <summary>The request could not be understood: usage help.</summary>
    Error,
}

/// <summary>
/// What the bot says, independent of any platform. Adapters render it as a Discord embed, Slack
/// Block Kit, HTML or plain text, applying their own limits. Text is plain: no markup of any
/// platform, so adapters escape it without guessing what was meant.
/// </summary>
public sealed record ChatMessage
{
    public MessageKind Kind { get; init; } = MessageKind.Card;
    public string? Emoji { get; init; }
    public string? Title { get; init; }
    /// <summary>Category and tags, shown as badges; the first one also picks the accent colour.</summary>
    public IReadOnlyList<string> Badges { get; init; } = [];
    public string? Text { get; init; }
    public IReadOnlyList<MessageField> Fields { get; init; } = [];
    public IReadOnlyList<MessageSection> Sections { get; init; } = [];
    public IReadOnlyList<SourceLink> Sources { get; init; } = [];
    public IReadOnlyList<MessageButton> Buttons { get; init; } = [];
    public string? Footer { get; init; }
    /// <summary>Only the asker sees it (errors and "not found" by default).</summary>
    public bool Ephemeral { get; init; }
    /// <summary>The incident the message is about, when there is one (used for follow-ups and feedback).</summary>
    public string? IncidentSlug { get; init; }
    /// <summary>
    /// Instead of a message, open this form (a Discord modal, a Slack modal, an HTML form). Adapters
    /// that cannot open one show <see cref="Text"/>, which then says how to do it another way.
    /// </summary>
    public ChatForm? Form { get; init; }

    public static ChatMessage Notice(string text, string? title = null) =>
        new() { Kind = MessageKind.Notice, Title = title, Text = text, Ephemeral = true };

    public static ChatMessage Error(string text, string? title = null) =>
        new() { Kind = MessageKind.Error, Title = title, Text = text, Ephemeral = true };
}

public sealed record MessageField(string Name, string Value, bool Inline = true);

public sealed record MessageSection(string Heading, IReadOnlyList<MessageLine> Lines);

/// <summary>One line of a section: a short label (a date, "3 years ago", a slug) and its text.</summary>
public sealed record MessageLine(string? Label, string Text)
{
    /// <summary>Where the text links to (a news item's article), http(s) only; adapters make the text a link.</summary>
    public string? Url { get; init; }
}

public sealed record SourceLink(string Text, string? Url);

/// <summary>
/// A button whose action is itself a command line ("timeline balloon"): pressing it is the same
/// as typing the command, so every platform routes it through the one router.
/// </summary>
public sealed record MessageButton(string Label, string Command);

/// <summary>
/// A form to fill in. Submitting it runs <see cref="SubmitCommand"/> with the field values in
/// <see cref="ChatRequest.Form"/>. At most five fields: Discord's modals take no more.
/// </summary>
public sealed record ChatForm(string SubmitCommand, string Title, IReadOnlyList<FormField> Fields)
{
    public const int MaxFields = 5;
}

/// <param name="Id">The value's key in the submission.</param>
public sealed record FormField(string Id, string Label, string? Value = null, bool Multiline = false, int MaxLength = 200, bool Required = true, string? Placeholder = null);
