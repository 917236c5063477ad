namespace Bot.Core.Incidents.Editing;

/// <summary>Where a change to the content came from; seeds are the only source that yields to the others.</summary>
public enum ContentSource
{
    /// <summary>Shipped seed files, applied at start: they fill the store but never overwrite the team's edits.</summary>
    Seed,
    /// <summary>A person ran <c>bot import</c>.</summary>
    Import,
    /// <summary>An editor in Discord, Slack or the playground.</summary>
    Chat,
    /// <summary>An editor at the command line (<c>bot incident edit …</c>).</summary>
    Cli,
}

/// <summary>Who made a change, as the audit log records it.</summary>
public sealed record ContentAuthor(ContentSource Source, string? Platform = null, string? Workspace = null, string? UserId = null, string? UserName = null)
{
    public static readonly ContentAuthor Seed = new(ContentSource.Seed);
    public static readonly ContentAuthor Import = new(ContentSource.Import, Platform: "cli");
    public static readonly ContentAuthor Cli = new(ContentSource.Cli, Platform: "cli", UserName: Environment.UserName);

    /// <summary>Everything but seeds is the team's own work.</summary>
    public bool IsTeam => Source != ContentSource.Seed;

    public string Describe() => Source switch
    {
        ContentSource.Seed => "seed files",
        ContentSource.Import => "import",
        ContentSource.Cli => $"CLI{(string.IsNullOrEmpty(UserName) ? "" : $" ({UserName})")}",
        _ => $"{UserName ?? UserId ?? "someone"} on {Platform}",
    };
}
