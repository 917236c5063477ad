using Bot.Core.Incidents;

namespace Bot.Testing;

/// <summary>Small incidents built in code, for tests that need exact control over the content.</summary>
public static class TestIncidents
{
    public static Incident Make(string slug, string? title = null, string category = "Espionage", params string[] aliases) => new()
    {
        Slug = slug,
        Title = title ?? $"Incident {slug}",
        Aliases = aliases,
        Category = category,
        Summary = $"Summary of {slug}.",
        Timeline = [new TimelineEvent(new PartialDate(2020, 3, 14), $"Something happened in {slug}.")],
        Facts = [$"{slug} is a test incident."],
        Sources = [new Source("RFI", "Test Author", "A test article", new PartialDate(2023, 2), null)],
    };
}
