using Bot.Core.Chat;

namespace Bot.Benchmarks;

/// <summary>What a person might type to reach one generated incident, in each of the finder's paths.</summary>
public sealed record LookupCase(string Expected, string Codename, string Typo)
{
    public string Query(LookupKind kind) => kind switch
    {
        LookupKind.Slug => Expected,
        LookupKind.Alias => $"operation {Codename}",
        LookupKind.Words => Codename,
        LookupKind.TypoName => Typo,
        LookupKind.TypoAlias => $"operation {Typo}",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

public enum LookupKind
{
    /// <summary>"incident karvelo-drone-swarm": exact match on the slug.</summary>
    Slug,
    /// <summary>"incident operation karvelo": exact match on an alias.</summary>
    Alias,
    /// <summary>"incident karvelo": no exact name; the all-words prefix search finds it.</summary>
    Words,
    /// <summary>"incident karvleo": a misspelt code name; only the trigram fallback finds it.</summary>
    TypoName,
    /// <summary>"incident operation karvleo": a misspelt alias; word coverage, then the trigram fallback.</summary>
    TypoAlias,
}

public enum LookupOutcome
{
    Found,
    WrongIncident,
    Ambiguous,
    NotFound,
}

public static class LookupCases
{
    /// <summary>
    /// <paramref name="wanted"/> incidents spread evenly over the generated set, in a shuffled (seeded) order so
    /// consecutive lookups do not touch neighbouring rows.
    /// </summary>
    public static List<LookupCase> Sample(BenchSettings settings, int wanted)
    {
        var stride = Math.Max(1, settings.Count / wanted);
        var random = new Random(settings.Seed + 1);
        var cases = IncidentGenerator.Generate(settings.Count, settings.Seed)
            .Where(g => g.Index % stride == stride / 2)
            .Take(wanted)
            .Select(g => new LookupCase(g.Incident.Slug, g.Codename.ToLowerInvariant(), IncidentGenerator.Typo(g.Codename.ToLowerInvariant(), random)))
            .ToList();
        return cases.OrderBy(_ => random.Next()).ToList();
    }

    public static LookupOutcome Classify(ChatMessage message, string expected) => message switch
    {
        { Kind: MessageKind.Card, IncidentSlug: var slug } => slug == expected ? LookupOutcome.Found : LookupOutcome.WrongIncident,
        { Title: "Several incidents match" } => LookupOutcome.Ambiguous,
        _ => LookupOutcome.NotFound,
    };
}
