using System.Text.RegularExpressions;
using Bot.Testing;

namespace Bot.Tests;

/// <summary>No Docker engine runs here, so the Dockerfile is checked against the project it builds.</summary>
public partial class DockerfileTests
{
    private static readonly string Dockerfile = File.ReadAllText(Path.Combine(RepoPaths.Root, "Dockerfile"));

    [GeneratedRegex(@"^COPY (?!--from)(\S+) ", RegexOptions.Multiline)]
    private static partial Regex CopySource();

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        var sources = CopySource().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToList();

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
}
