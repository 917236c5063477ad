using System.Data.Common;
using System.Text.RegularExpressions;
using Bot.Core.Diagnostics;

namespace Bot.Logging;

/// <summary>
/// What no log line may carry: every configured value whose key names a secret (a token, a secret, a password, an API or
/// private key, the password inside a connection string), anything shaped like a Slack token (workspaces installed by
/// OAuth bring tokens the configuration never saw), and the bearer part of Slack response URLs and Discord webhook URLs.
/// The adapters already keep these out of what they log; this catches what they cannot see, such as an exception from
/// deep inside a library or a background service, whose message quotes something it was given.
/// </summary>
public sealed partial class LogSecrets
{
    /// <summary>Shorter values would blank out ordinary words ("bot", "dev") wherever they appear.</summary>
    internal const int MinimumLength = 6;

    private readonly string[] _values;

    public LogSecrets(IEnumerable<string> values) =>
        // Longest first, so a secret that contains another is blanked whole.
        _values = values.Where(v => v.Length >= MinimumLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length).ToArray();

    public static LogSecrets From(IConfiguration configuration)
    {
        var values = new List<string>();
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (string.IsNullOrEmpty(value)) continue;
            var name = key[(key.LastIndexOf(':') + 1)..];
            if (SecretKey().IsMatch(name)) values.Add(value);
            else if (name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase))
                values.AddRange(PasswordsIn(value));
        }

        return new LogSecrets(values);
    }

    /// <summary><paramref name="text"/> with every secret blanked, or the same instance when it holds none.</summary>
    public string Scrub(string text)
    {
        var scrubbed = text;
        foreach (var secret in _values)
            if (scrubbed.Contains(secret, StringComparison.Ordinal)) scrubbed = scrubbed.Replace(secret, "[secret]", StringComparison.Ordinal);
        if (scrubbed.Contains("xox", StringComparison.Ordinal) || scrubbed.Contains("xapp-", StringComparison.Ordinal))
            scrubbed = SlackToken().Replace(scrubbed, "[token]");
        if (scrubbed.Contains("hooks.slack.com/", StringComparison.OrdinalIgnoreCase)) scrubbed = SlackResponseUrl().Replace(scrubbed, "$1…");
        if (scrubbed.Contains("/webhooks/", StringComparison.OrdinalIgnoreCase)) scrubbed = DiscordWebhookToken().Replace(scrubbed, "$1…");
        return scrubbed == text ? text : scrubbed;
    }

    /// <summary>
    /// An exception as a log would print it, scrubbed, with each message's control characters escaped so that no message
    /// can end the line and forge the next one; null when there is nothing to change.
    /// </summary>
    public string? ScrubOrNull(Exception exception)
    {
        var original = exception.ToString();
        var text = original;
        foreach (var message in MessagesOf(exception))
        {
            var escaped = LogText.Escape(message, int.MaxValue);
            if (!ReferenceEquals(escaped, message)) text = text.Replace(message, escaped, StringComparison.Ordinal);
        }

        text = Scrub(text);
        return text == original ? null : text;
    }

    private static IEnumerable<string> MessagesOf(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current)) continue;
            if (current.Message.Length > 0) yield return current.Message;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (current.InnerException is { } inner)
                pending.Push(inner);
        }
    }

    private static IEnumerable<string> PasswordsIn(string connectionString)
    {
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            // Not a connection string the options would accept either; they report it at start.
            yield break;
        }

        foreach (var key in new[] { "Password", "Pwd" })
            if (builder.TryGetValue(key, out var password) && password is string { Length: > 0 } text) yield return text;
    }

    [GeneratedRegex(@"(Token|Secret|Password|ApiKey|PrivateKey)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(hooks\.slack\.com/)[^\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex SlackResponseUrl();

    [GeneratedRegex(@"(/webhooks/\d+/)[^\s/?""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex DiscordWebhookToken();
}
