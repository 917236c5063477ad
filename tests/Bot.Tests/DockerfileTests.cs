using System.Text.RegularExpressions;
using Bot.Testing;

namespace Bot.Tests;

/// <summary>No Docker engine runs here, so the Dockerfile is checked against the project it builds.</summary>
public partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile"));

    [GeneratedRegex(@"^COPY (?!--from)(.+) \S+$", RegexOptions.Multiline)]
    private static partial Regex CopySources();

    [GeneratedRegex(@"""(src\\[^""]+\.csproj)""")]
    private static partial Regex SolutionSourceProject();

    [GeneratedRegex(@"<ProjectReference Include=""([^""]+)""")]
    private static partial Regex ProjectReference();

    private static string[] DockerIgnore => File.ReadAllLines(Path.Combine(RepoPaths.Root, ".dockerignore"))
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    /// <summary>Every source of every COPY (all but the last word), in order.</summary>
    private static List<string> CopiedPaths(string dockerfile) =>
        CopySources().Matches(dockerfile).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        var sources = CopiedPaths(Dockerfile);

        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.True(File.Exists(Path.Combine(RepoPaths.Root, source)) || Directory.Exists(Path.Combine(RepoPaths.Root, source)), source));
    }

    [Fact]
    public void The_published_entry_point_is_the_bots_assembly()
    {
        var project = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Bot", "Bot.csproj"));

        Assert.Contains("dotnet publish src/Bot/Bot.csproj", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("<AssemblyName>bot</AssemblyName>", project, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/bot.dll\"]", Dockerfile, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "bot.dll")));
    }

    [Fact]
    public void The_seeds_path_matches_where_the_build_puts_the_seeds()
    {
        // The project copies seeds/ beside the executable; the image's Seeds__Path must point there.
        Assert.Contains("Seeds__Path=/app/seeds", Dockerfile, StringComparison.Ordinal);
        Assert.True(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "seeds"), "*.json").Length >= 11);
        Assert.Contains("Storage__Path=/data/bot.db", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("VOLUME /data", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void The_health_check_and_user_are_set()
    {
        Assert.Contains("HEALTHCHECK", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("\"healthcheck\"", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER app", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 5080", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("ASPNETCORE_URLS=http://0.0.0.0:5080", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_healthcheck_verb_the_image_uses_exists_and_fails_cleanly_without_a_bot()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await Cli.BotCli.RunAsync(["healthcheck", "--url", "http://127.0.0.1:9"], output, error);

        Assert.Equal(1, code);
        Assert.Contains("does not answer", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_restore_layer_has_every_project_of_the_solution_before_the_sources_arrive()
    {
        var restore = Dockerfile.IndexOf("RUN dotnet restore src/Bot/Bot.csproj", StringComparison.Ordinal);
        var sources = Dockerfile.IndexOf("COPY src/ src/", StringComparison.Ordinal);
        Assert.True(restore > 0 && sources > restore, "dotnet restore runs before the sources are copied");
        Assert.Contains("--no-restore", Dockerfile, StringComparison.Ordinal);
        var restoreLayer = CopiedPaths(Dockerfile[..restore]);

        var solution = File.ReadAllText(Path.Combine(RepoPaths.Root, "Bot.sln"));
        var projects = SolutionSourceProject().Matches(solution).Select(m => m.Groups[1].Value.Replace('\\', '/')).ToList();
        Assert.Contains("src/Bot/Bot.csproj", projects);
        Assert.All(projects.Concat(ReferencedProjects("src/Bot/Bot.csproj")), project => Assert.Contains(project, restoreLayer));
        Assert.Contains("Directory.Packages.props", restoreLayer);
        Assert.Contains("Directory.Build.props", restoreLayer);
    }

    private static IEnumerable<string> ReferencedProjects(string project)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, project));
        foreach (Match reference in ProjectReference().Matches(text))
        {
            var full = Path.GetFullPath(Path.Combine(RepoPaths.Root, Path.GetDirectoryName(project)!, reference.Groups[1].Value.Replace('\\', '/')));
            var relative = Path.GetRelativePath(RepoPaths.Root, full).Replace('\\', '/');
            yield return relative;
            foreach (var deeper in ReferencedProjects(relative)) yield return deeper;
        }
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_data_history_and_secrets_but_not_what_is_copied()
    {
        foreach (var pattern in new[] { "**/bin", "**/obj", "data", ".git", "config/bot.env" })
            Assert.Contains(pattern, DockerIgnore);
        foreach (var copied in CopiedPaths(Dockerfile).Select(p => p.TrimEnd('/')))
            Assert.DoesNotContain(DockerIgnore, pattern => copied == pattern.TrimEnd('/') || copied.StartsWith(pattern.TrimEnd('/') + "/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_secrets_file_is_ignored_by_git_and_the_example_keeps_the_database_in_the_volume()
    {
        Assert.Contains("config/bot.env", File.ReadAllLines(Path.Combine(RepoPaths.Root, ".gitignore")));
        var settings = File.ReadAllLines(Path.Combine(RepoPaths.Root, "config", "bot.env.example"))
            .Where(l => !l.TrimStart().StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        // The image keeps the database in the /data volume; a relative path from the env file would move it into the container.
        if (settings.TryGetValue("Storage__Path", out var path))
            Assert.StartsWith("/data/", path, StringComparison.Ordinal);
    }

    [Fact]
    public void The_compose_file_keeps_the_database_in_a_volume_behind_a_TLS_proxy_that_reaches_the_bots_port()
    {
        var compose = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "compose.yaml"));
        var caddyfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "Caddyfile"));

        Assert.Contains("bot-data:/data", compose, StringComparison.Ordinal);
        Assert.Contains("./Caddyfile:/etc/caddy/Caddyfile", compose, StringComparison.Ordinal);
        Assert.Contains("env_file: ../config/bot.env", compose, StringComparison.Ordinal);
        Assert.Contains("\"443:443\"", compose, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 5080", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("reverse_proxy bot:5080", caddyfile, StringComparison.Ordinal);
        Assert.Contains("/discord/*", caddyfile, StringComparison.Ordinal);
        Assert.Contains("/slack/*", caddyfile, StringComparison.Ordinal);
    }
}
