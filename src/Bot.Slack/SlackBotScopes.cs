namespace Bot.Slack;

/// <summary>
/// The bot token scopes the bot uses, in one place: the OAuth install asks for exactly these and the app manifest lists
/// them. A scope added here is asked for on the next install.
/// </summary>
public static class SlackBotScopes
{
    public static readonly IReadOnlyList<string> All =
    [
        "commands",
        "chat:write",
        "chat:write.public",
        "app_mentions:read",
        "im:history",
        "users:read",
        "channels:history",
        "groups:history",
    ];
}
