namespace Bot.Core.Chat;

public interface ICommandHandler
{
    /// <summary>The names this handler answers to ("incident", "incidents").</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>One line for the help text.</summary>
    string Usage { get; }

    Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken);
}
