using Microsoft.Extensions.Logging;

namespace Bot.Core.Chat;

/// <summary>Sends each command line to its handler; the only entry point adapters call.</summary>
public sealed class CommandRouter
{
    private readonly Dictionary<string, ICommandHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyList<ICommandHandler> _ordered;
    private readonly ILogger<CommandRouter> _logger;
    private readonly BotMetrics? _metrics;
    private readonly CommandNames _names;

    public CommandRouter(IEnumerable<ICommandHandler> handlers, CommandNames names, ILogger<CommandRouter> logger, BotMetrics? metrics = null)
    {
        _names = names;
        _logger = logger;
        _metrics = metrics;
        _ordered = handlers.ToList();
        foreach (var handler in _ordered)
            foreach (var name in handler.Names)
                _handlers.Add(name, handler);
    }

    public IEnumerable<string> Usages => _ordered.Where(h => h.ShownInHelp).Select(h => h.Usage);

    /// <summary>True when the request's answer may be reused until the content changes (see <see cref="ICommandHandler.AnswersFromContentOnly"/>).</summary>
    public bool IsContentOnly(ChatRequest request) => request.Form is null && Find(request) is { AnswersFromContentOnly: true };

    /// <summary>
    /// The handler for a request: a two-word name ("incident edit") wins over the first word alone,
    /// so a command's verbs can have a handler of their own (with their own caching and permissions).
    /// </summary>
    private ICommandHandler? Find(ChatRequest request)
    {
        if (request.Arguments.Length > 0)
        {
            var verb = request.Arguments.AsSpan();
            var space = verb.IndexOfAny(' ', '\t', '\n');
            var key = $"{request.Command} {(space < 0 ? verb : verb[..space]).ToString().ToLowerInvariant()}";
            if (_handlers.TryGetValue(key, out var verbHandler)) return verbHandler;
        }

        return _handlers.GetValueOrDefault(request.Command);
    }

    /// <summary>
    /// What a mention or a direct message means: "@bot incident balloon" (under the command's public
    /// name) runs the command, anything else is a question. The same rule on every platform.
    /// </summary>
    public ChatRequest ForMention(string text, ChatContext context)
    {
        var request = _names.InternalLine(text) is { } line ? new ChatRequest(line, context) : null;
        return request is not null && Handles(request.Command) ? request : new ChatRequest($"ask {text}", context);
    }

    /// <summary>The answer to a typed command name that is no command's public name (an old name after a renaming, a typo).</summary>
    public ChatMessage UnknownCommand(string typed, ChatContext context)
    {
        _metrics?.Command(context.Platform, "unknown", "error");
        return ChatMessage.Error($"I don't know the command \"{Clip(typed.Trim())}\".\n{UsageList()}", "Unknown command");
    }

    /// <summary>True when <paramref name="command"/> names a handler (or help): lets adapters tell a command from a question.</summary>
    public bool Handles(string command) => command == "help" || _handlers.ContainsKey(command);

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var command = request.Command;
        if (command.Length == 0 || command == "help")
            return Help();
        if (Find(request) is not { } handler)
        {
            _metrics?.Command(request.Context.Platform, "unknown", "error");
            return ChatMessage.Error($"I don't know the command \"{Clip(_names.Public(command))}\".\n{UsageList()}", "Unknown command");
        }

        try
        {
            var message = await handler.HandleAsync(request, cancellationToken);
            _metrics?.Command(request.Context.Platform, handler.Names[0], message.Kind.ToString().ToLowerInvariant());
            return message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // One bad request must never take the bot down; the person gets an apology, we get the stack.
            _logger.LogError(ex, "Command {Command} failed on {Platform}", command, request.Context.Platform);
            _metrics?.Command(request.Context.Platform, handler.Names[0], "failure");
            return ChatMessage.Error("Something went wrong on my side while answering that. Please try again in a moment.");
        }
    }

    private ChatMessage Help() => new()
    {
        Kind = MessageKind.Notice,
        Emoji = "ℹ️",
        Title = "What I can do",
        Text = UsageList(),
        Ephemeral = true,
    };

    /// <summary>"Try: /incident &lt;name&gt; · …": the help in one line, under the public names.</summary>
    public string UsageList() => "Try: " + string.Join(" · ", Usages);

    private static string Clip(string text) => text.Length <= 30 ? text : text[..30] + "…";
}
