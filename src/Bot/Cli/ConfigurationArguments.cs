namespace Bot.Cli;

/// <summary>
/// Configuration keys given on the command line (<c>--Storage:Path=/srv/bot.db</c> or <c>--Storage:Path /srv/bot.db</c>)
/// apply to every verb, not only to the host: <c>bot eval</c> or <c>bot import</c> against another store must not
/// silently use the default one. A key is recognised by its section separator, so verbs' own options are left alone.
/// </summary>
internal static class ConfigurationArguments
{
    /// <summary>The arguments without the configuration keys, and those keys (the last one given wins).</summary>
    public static (string[] Remaining, Dictionary<string, string?> Settings) Split(IReadOnlyList<string> args)
    {
        var rest = new List<string>(args.Count);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (!IsConfigurationKey(token))
            {
                rest.Add(token);
                continue;
            }

            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                settings[token[2..equals]] = token[(equals + 1)..];
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                settings[token[2..]] = args[++i];
            else
                rest.Add(token); // No value: left for the parser, which says so.
        }

        return (rest.ToArray(), settings);
    }

    private static bool IsConfigurationKey(string token)
    {
        if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length < 5) return false;
        var end = token.IndexOf('=', StringComparison.Ordinal);
        var key = end > 0 ? token[2..end] : token[2..];
        return key.Contains(':', StringComparison.Ordinal) && char.IsLetter(key[0]) && !key.EndsWith(':');
    }
}
