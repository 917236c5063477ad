using System.Reflection;

namespace Bot.Core.Tests;

/// <summary>The domain stays free of platforms and storage: adapters depend on it, never the reverse.</summary>
public class ConventionTests
{
    private static readonly string[] Forbidden =
    [
        "Bot.Storage", "Bot.Discord", "Bot.Slack", "Bot", "Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "Dapper",
        "SQLitePCLRaw", "Quartz", "System.Net.Http", "System.Net.WebSockets", "NSec",
        // The embedding model and its runtime live in Bot.Embeddings, behind ITextEmbedder.
        "SentenceTransformers", "Microsoft.ML", "Bot.Embeddings",
    ];

    [Fact]
    public void Bot_Core_references_no_storage_web_or_platform_assembly()
    {
        var references = typeof(Bot.Core.Chat.CommandRouter).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var offending = references.Where(name => Forbidden.Any(f => name == f || name.StartsWith(f + ".", StringComparison.Ordinal))).ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Bot_Core_project_file_has_no_forbidden_package_or_project_reference()
    {
        var project = File.ReadAllText(Path.Combine(Testing.RepoPaths.Root, "src", "Bot.Core", "Bot.Core.csproj"));

        foreach (var name in Forbidden.Where(f => f != "Bot"))
            Assert.DoesNotContain(name, project, StringComparison.Ordinal);
        Assert.DoesNotContain("ProjectReference", project, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.NET.Sdk.Web", project, StringComparison.Ordinal);
    }

    [Fact]
    public void No_type_in_Bot_Core_names_a_platform()
    {
        var types = typeof(Bot.Core.Chat.CommandRouter).Assembly.GetTypes().Select(t => t.FullName ?? t.Name);

        Assert.DoesNotContain(types, t => t.Contains("Discord", StringComparison.OrdinalIgnoreCase) || t.Contains("Slack", StringComparison.OrdinalIgnoreCase));
    }
}
