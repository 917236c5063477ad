using Bot.Testing;

namespace Bot.Tests;

/// <summary>The README's configuration table is the reference for settings: it must render as one table.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_configuration_table_is_one_unbroken_table_naming_the_host_settings()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md"));
        var header = Array.IndexOf(lines, "| key | default | meaning |");
        Assert.True(header >= 0, "the configuration table's header");

        // Markdown ends a table at the first line that is not a row: a blank line inside cuts it in two.
        var table = lines.Skip(header).TakeWhile(l => l.StartsWith('|')).ToList();

        Assert.Equal("|---|---|---|", table[1]);
        foreach (var key in new[] { "`Storage:Path`", "`Discord:ApplicationId`", "`Slack:Mode`", "`Playground:AllowRemote`", "`Metrics:Prometheus`", "`OTEL_EXPORTER_OTLP_ENDPOINT`", "`Logging:Console:FormatterName`" })
            Assert.Contains(table, row => row.StartsWith("| " + key, StringComparison.Ordinal));
        Assert.All(table, row => Assert.EndsWith("|", row, StringComparison.Ordinal));
    }
}
