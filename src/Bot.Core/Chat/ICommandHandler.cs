namespace Bot.Core.Chat;

public interface ICommandHandler
{
    /// <summary>The names this handler answers to ("incident", "incidents").</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>One line for the help text.</summary>
    string Usage { get; }

    Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// True when the answer depends only on the command line and the store's content (not on who
    /// asks, when, or what was asked before), so adapters may reuse a rendered answer until the
    /// content changes.
    /// </summary>
    bool AnswersFromContentOnly => false;

    /// <summary>
    /// True for commands that only buttons send (sources, related, feedback): they are not registered
    /// on any platform, not renamed, and not in the help. Every other handler's name is in <see cref="TypedCommands"/>.
    /// </summary>
    bool ButtonOnly => false;

    /// <summary>
    /// False for button-only commands and for those that repeat another (incidents): help names only
    /// commands a person can type as a slash command on every platform.
    /// </summary>
    bool ShownInHelp => !ButtonOnly;
}

/// <summary>Changes whenever the stored content changes, in this process or another (seen within a second).</summary>
public interface IContentVersion
{
    long Current { get; }
}
