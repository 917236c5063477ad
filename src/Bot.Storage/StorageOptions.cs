using System.ComponentModel.DataAnnotations;

namespace Bot.Storage;

public enum StorageProvider
{
    /// <summary>One file beside the bot: the embedded default for one machine.</summary>
    Sqlite,

    /// <summary>A shared server, for several bot instances.</summary>
    Postgres,
}

public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file; relative paths are taken from the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "data/bot.db";

    /// <summary>The PostgreSQL server (an Npgsql connection string); required for <see cref="StorageProvider.Postgres"/>.</summary>
    public string? ConnectionString { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
            yield return new ValidationResult(
                "Storage:ConnectionString is required when Storage:Provider is Postgres (for example Host=db;Database=bot;Username=bot;Password=…).",
                [nameof(ConnectionString)]);
    }
}

public sealed class SeedOptions
{
    public const string Section = "Seeds";

    /// <summary>A folder of seed files (or one JSONL file) imported at start-up; relative to the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "seeds";
}
