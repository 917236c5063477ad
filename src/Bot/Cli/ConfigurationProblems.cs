using System.Text.RegularExpressions;
using Bot.Discord;
using Bot.Slack;
using Bot.Storage;
using Microsoft.Extensions.Options;

namespace Bot.Cli;

/// <summary>
/// Turns what stops the bot before it serves — unreadable configuration, a platform half
/// configured, an unusable store — into the one line an operator reads, without a stack trace.
/// </summary>
internal static partial class ConfigurationProblems
{
    // The configuration binder's words (Microsoft.Extensions.Configuration.Binder, Error_FailedBinding).
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'\.")]
    private static partial Regex FailedBinding();

    /// <summary>The line for <paramref name="exception"/> (without the "bot: " prefix), or null when it is not a start-up problem.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        StoreUnavailableException store => $"cannot start: {store.Message}",
        OptionsValidationException invalid => $"invalid configuration: {string.Join("; ", invalid.Failures)}",
        InvalidOperationException binding when FailedBinding().Match(binding.Message) is { Success: true } match =>
            $"invalid configuration: {match.Groups["key"].Value} must be {Expected(match.Groups["type"].Value)} (got '{match.Groups["value"].Value}')",
        AggregateException many when many.InnerExceptions.Select(Describe).ToList() is var lines && lines.All(l => l is not null) =>
            string.Join("; ", lines.Distinct()),
        _ => null,
    };

    /// <summary>
    /// A platform's mode set without any of its credentials would otherwise leave the adapter off
    /// and the bot silently in local mode; the operator meant to turn the platform on.
    /// </summary>
    public static string? ModeWithoutCredentials(IConfiguration configuration, DiscordOptions discord, SlackOptions slack)
    {
        if (!discord.Enabled && !string.IsNullOrWhiteSpace(configuration[$"{DiscordOptions.Section}:{nameof(DiscordOptions.Mode)}"]))
        {
            string[] needed = discord.Mode == DiscordMode.Gateway ? ["ApplicationId", "BotToken"] : ["ApplicationId", "PublicKey", "BotToken"];
            return Missing(DiscordOptions.Section, discord.Mode.ToString(), needed);
        }

        if (!slack.Enabled && !string.IsNullOrWhiteSpace(configuration[$"{SlackOptions.Section}:{nameof(SlackOptions.Mode)}"]))
        {
            string[] needed = slack.Mode == SlackMode.Socket ? ["BotToken", "AppToken"] : ["SigningSecret", "BotToken"];
            return Missing(SlackOptions.Section, slack.Mode.ToString(), needed);
        }

        return null;
    }

    private static string Missing(string section, string mode, string[] keys) =>
        $"invalid configuration: {section}:Mode is {mode} but {Join(keys.Select(k => $"{section}:{k}").ToList(), "and")} {(keys.Length == 1 ? "is" : "are")} not set";

    /// <summary>What a value of the named type looks like, in words.</summary>
    private static string Expected(string typeName)
    {
        var type = Type.GetType(typeName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type is { IsEnum: true }) return Join(Enum.GetNames(type), "or");
        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 or TypeCode.Byte => "a whole number",
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => "a number",
            TypeCode.Boolean => "true or false",
            _ when type == typeof(TimeSpan) => "a duration such as 00:05:00",
            _ => $"a {type?.Name ?? typeName}",
        };
    }

    private static string Join(IReadOnlyList<string> words, string conjunction) =>
        words.Count <= 1 ? string.Concat(words) : $"{string.Join(", ", words.Take(words.Count - 1))} {conjunction} {words[^1]}";
}
