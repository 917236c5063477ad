namespace Bot.Discord.Protocol;

/// <summary>Text bound for a log, with the secrets it may carry blanked out.</summary>
internal static class LogSafe
{
    public static string Redact(string text, params ReadOnlySpan<string?> secrets)
    {
        foreach (var secret in secrets)
            if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        return text;
    }
}
