using System.Diagnostics.CodeAnalysis;

namespace Bot.Discord.Protocol;

/// <summary>
/// Discord ids travel as strings and end up in REST paths. Only plain ASCII digits can: anything
/// else ("1/../..", "1?x", "١٢٣") could steer a request, bot token and all, to another route.
/// </summary>
internal static class Snowflake
{
    /// <summary>A 64-bit id has at most 20 decimal digits.</summary>
    public const int MaxLength = 20;

    public static bool IsValid([NotNullWhen(true)] string? id) =>
        id is { Length: >= 1 and <= MaxLength } && !id.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>The id itself, for a path segment; refused before any request is made.</summary>
    public static string Checked(string? id, string what) => IsValid(id) ? id : throw new DiscordInvalidIdException(what, id);
}
