using System.ComponentModel.DataAnnotations;

namespace Bot.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; relative paths are taken from the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "data/bot.db";
}

public sealed class SeedOptions
{
    public const string Section = "Seeds";

    /// <summary>A folder of seed files (or one JSONL file) imported at start-up; relative to the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "seeds";
}
