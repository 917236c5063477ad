using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Testing;

/// <summary>One log entry as written: the formatted message, and the exception passed with it.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, Exception? Exception)
{
    /// <summary>The message and the exception as a text formatter would print them.</summary>
    public string Text => Exception is null ? Message : $"{Message} {Exception}";
}

/// <summary>Keeps every log entry the host writes (at the configured levels), for asserts on what reached the logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => _entries.ToArray();

    /// <summary>Entries at <paramref name="level"/> or above.</summary>
    public IReadOnlyList<CapturedLog> AtLeast(LogLevel level) => _entries.Where(e => e.Level >= level).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception));
    }
}
