using Microsoft.Extensions.Logging;

namespace Bot.Logging;

/// <summary>
/// Hands out loggers that pass every entry through <see cref="LogSecrets"/> before any provider (console, OpenTelemetry)
/// sees it. An entry with nothing to hide goes through untouched, structured values and all; one that would have leaked
/// reaches the providers as its scrubbed text.
/// </summary>
public sealed class ScrubbingLoggerFactory(ILoggerFactory inner, LogSecrets secrets) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(inner.CreateLogger(categoryName), secrets);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class ScrubbingLogger(ILogger inner, LogSecrets secrets) : ILogger
    {
        /// <remarks>
        /// A scope is printed by any provider that includes scopes, so its values are scrubbed too: a list of pairs value by
        /// value (keeping its structure), anything else by its text.
        /// </remarks>
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                var scrubbedPairs = ScrubbedPairsOrNull(pairs);
                return scrubbedPairs is null ? inner.BeginScope(state) : inner.BeginScope(scrubbedPairs);
            }

            var text = state.ToString() ?? "";
            var scrubbed = secrets.Scrub(text);
            return ReferenceEquals(scrubbed, text) ? inner.BeginScope(state) : inner.BeginScope(scrubbed);
        }

        /// <remarks>Every request opens a scope: a copy is made only when a value held a secret.</remarks>
        private List<KeyValuePair<string, object?>>? ScrubbedPairsOrNull(IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            List<KeyValuePair<string, object?>>? copy = null;
            var index = 0;
            foreach (var pair in pairs)
            {
                var scrubbed = pair.Value?.ToString() is { } text && secrets.Scrub(text) is var clean && !ReferenceEquals(clean, text) ? clean : null;
                if (scrubbed is not null && copy is null) copy = pairs.Take(index).ToList();
                copy?.Add(scrubbed is null ? pair : new(pair.Key, scrubbed));
                index++;
            }

            return copy;
        }

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            // A formatter may return null (a library's own state type); that has nothing to hide.
            var message = formatter(state, exception) ?? "";
            var scrubbedMessage = secrets.Scrub(message);
            var scrubbedException = exception is null ? null : secrets.ScrubOrNull(exception);
            if (ReferenceEquals(scrubbedMessage, message) && scrubbedException is null)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            inner.Log(logLevel, eventId, scrubbedMessage, scrubbedException is null ? exception : new ScrubbedException(scrubbedException),
                static (text, _) => text);
        }
    }
}

/// <summary>Stands in for an exception whose text held a secret or a forged line: prints as the original did, cleaned.</summary>
public sealed class ScrubbedException(string text) : Exception(text)
{
    public override string ToString() => Message;
}
