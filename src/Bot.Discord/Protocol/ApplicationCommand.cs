namespace Bot.Discord.Protocol;

/// <summary>A slash command as Discord's registration API takes it.</summary>
internal sealed record ApplicationCommand
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public int Type { get; init; } = 1;
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public IReadOnlyList<int>? Contexts { get; init; }
}

internal sealed record ApplicationCommandOption
{
    public required int Type { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public bool? Required { get; init; }
    public bool? Autocomplete { get; init; }
    public IReadOnlyList<ApplicationCommandChoice>? Choices { get; init; }
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public int? MaxLength { get; init; }
}

internal sealed record ApplicationCommandChoice(string Name, string Value);

internal static class OptionType
{
    public const int SubCommand = 1;
    public const int SubCommandGroup = 2;
    public const int String = 3;
    public const int Integer = 4;
    public const int Boolean = 5;
}
