namespace Bot.Core.Text;

/// <summary>Counts as people write them: "1 incident", "2 incidents", "0 incidents".</summary>
public static class Plural
{
    /// <param name="plural">For words that do not just take an "s" ("1 anniversary", "2 anniversaries").</param>
    public static string Of(int count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
