namespace Bot.Discord;

/// <summary>
/// The invite link: the bot and slash-command scopes, and exactly the permissions the bot uses, from one list here. A
/// permission the bot starts to need is added here and shows up in the next invite.
/// </summary>
public static class DiscordInvite
{
    public const string AuthorizeUrl = "https://discord.com/oauth2/authorize";

    /// <summary>Each permission with its bit (Discord's permission flags) and why the bot needs it.</summary>
    public static readonly IReadOnlyList<(string Name, int Bit, string Why)> Permissions =
    [
        ("VIEW_CHANNEL", 10, "see the channels it is asked in and posts briefings to"),
        ("SEND_MESSAGES", 11, "post briefings and answers"),
        ("EMBED_LINKS", 14, "show cards as embeds"),
        ("READ_MESSAGE_HISTORY", 16, "reply to the message that mentioned it"),
        ("SEND_MESSAGES_IN_THREADS", 38, "answer mentions inside threads"),
    ];

    public static ulong PermissionBits => Permissions.Aggregate(0UL, (bits, p) => bits | (1UL << p.Bit));

    public static string Url(string applicationId) =>
        $"{AuthorizeUrl}?client_id={Uri.EscapeDataString(applicationId)}&scope=bot%20applications.commands&permissions={PermissionBits}";
}
