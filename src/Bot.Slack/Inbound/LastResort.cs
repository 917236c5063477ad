using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Core.Chat;
using Bot.Core.Diagnostics;
using Bot.Slack.Outbound;
using Bot.Slack.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Inbound;

/// <summary>
/// What happens when something nobody foresaw throws while handling Slack traffic: one error in the log, the person gets
/// an apology, and the endpoint or socket goes on. The exception is not handed to the logger as such, since its message
/// may carry outside text or a secret: the log gets its type, its message with tokens, the signing secret and URL paths
/// (response_url addresses are bearer secrets) removed and control characters escaped, and its stack trace on one line.
/// </summary>
internal sealed partial class LastResort(IOptions<SlackOptions> options, ILogger<LastResort> logger)
{
    private const string Apology = "Something went wrong on my side while answering that. Please try again in a moment.";

    /// <summary>The ephemeral apology, as a slash command's reply.</summary>
    public static readonly byte[] ApologyJson = JsonSerializer.SerializeToUtf8Bytes(
        BlockKitRenderer.Render(ChatMessage.Error(Apology), inChannel: false), SlackJson.Default.SlackMessage);

    public void Log(string where, Exception exception) =>
        logger.LogError("Slack {Where} failed unexpectedly: {Type}: {Message} | {StackTrace}",
            where, exception.GetType().FullName, LogText.Escape(Redact(exception.Message), 500), LogText.Escape(exception.StackTrace, 4000));

    private string Redact(string text)
    {
        var settings = options.Value;
        foreach (var secret in new[] { settings.SigningSecret, settings.BotToken, settings.AppToken })
            if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "[secret]", StringComparison.Ordinal);
        text = SlackToken().Replace(text, "[token]");
        return UrlPath().Replace(text, "$1/…");
    }

    [GeneratedRegex(@"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s?#]+)[/?#]\S*")]
    private static partial Regex UrlPath();
}
