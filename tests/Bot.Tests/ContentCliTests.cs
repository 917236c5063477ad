using System.Text.Json;
using Bot.Cli;
using Bot.Core.Incidents.Import;
using Bot.Testing;

namespace Bot.Tests;

/// <summary>The editors' CLI twins, export/import and backup, run as a person would.</summary>
public sealed class ContentCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-content-cli-").FullName;

    private Dictionary<string, string?> Settings(string database = "bot.db") => new()
    {
        ["Storage:Path"] = Path.Combine(_folder, database),
        ["Seeds:Path"] = RepoPaths.Seeds,
    };

    private async Task<(int Code, string Output, string Error)> Run(params string[] args) => await RunOn("bot.db", args);

    private async Task<(int Code, string Output, string Error)> RunOn(string database, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BotCli.RunAsync(args, output, error, Settings(database));
        return (code, output.ToString(), error.ToString());
    }

    private async Task<string?> StatusOf(string slug)
    {
        var (_, output, _) = await Run("incident", slug, "--json");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("fields").EnumerateArray()
            .Where(f => f.GetProperty("name").GetString() == "Status").Select(f => f.GetProperty("value").GetString()).FirstOrDefault();
    }

    [Fact]
    public async Task An_imported_correction_survives_the_next_start_and_the_kept_version_is_said_once()
    {
        var corrected = Directory.CreateDirectory(Path.Combine(_folder, "corrected")).FullName;
        var balloon = IncidentJson.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Seeds, "balloon.json"))) with { Status = "Corrected by the team." };
        await File.WriteAllTextAsync(Path.Combine(corrected, "balloon.json"), IncidentJson.Serialize(balloon));
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;

        var imported = await Run("import", corrected);
        var next = await Run("import", empty);
        var after = await Run("import", empty);

        Assert.Contains("1 updated", imported.Output, StringComparison.Ordinal);
        Assert.Contains("kept the team's version of balloon; seeds/balloon.json differs", next.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("kept the team's version", after.Output, StringComparison.Ordinal);
        Assert.Equal("Corrected by the team.", await StatusOf("balloon"));
    }

    [Fact]
    public async Task New_edit_event_source_history_undo_remove_and_restore_work_from_the_command_line()
    {
        var created = await Run("incident", "new", "--title", "Drone over a naval base", "--category", "Airspace", "--summary", "A drone circled the base.");
        var patch = Path.Combine(_folder, "patch.json");
        await File.WriteAllTextAsync(patch, """{ "status": "Under investigation.", "aliases": ["base drone", "uav sighting"] }""");
        var edited = await Run("incident", "edit", "drone-over-a-naval-base", "--file", patch);
        var evt = await Run("incident", "event", "drone-over-a-naval-base", "2026-11-30", "The", "drone", "was", "seen", "--url", "https://example.org/drone");
        var source = await Run("incident", "source", "drone-over-a-naval-base", "https://example.org/report", "Official", "report");
        var history = await Run("incident", "history", "drone-over-a-naval-base");
        var undo = await Run("incident", "undo", "drone-over-a-naval-base");
        var removed = await Run("incident", "remove", "drone-over-a-naval-base");
        var whileRemoved = await Run("incident", "drone-over-a-naval-base");
        var restored = await Run("incident", "restore", "drone-over-a-naval-base");

        Assert.Equal([0, 0, 0, 0, 0, 0, 0], new[] { created.Code, edited.Code, evt.Code, source.Code, history.Code, undo.Code, removed.Code });
        Assert.Contains("source by", history.Output, StringComparison.Ordinal);
        Assert.Contains("event by", history.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, whileRemoved.Code);
        Assert.Equal(0, restored.Code);
        Assert.Equal("Under investigation.", await StatusOf("uav sighting"));
        var (_, sources, _) = await Run("sources", "drone-over-a-naval-base");
        Assert.DoesNotContain("https://example.org/report", sources, StringComparison.Ordinal);
        Assert.Contains("https://example.org/drone", sources, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_fields_are_refused_with_the_field_named_and_exit_1()
    {
        var (code, output, _) = await Run("incident", "new", "--title", new string('t', 201), "--category", "Airspace", "--summary", "s");
        var badDate = await Run("incident", "event", "balloon", "someday", "text");
        var unknown = await Run("incident", "edit", "baloon", "--status", "x");

        Assert.Equal(1, code);
        Assert.Contains("title", output, StringComparison.Ordinal);
        Assert.Equal(1, badDate.Code);
        Assert.Contains("date", badDate.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.Code);
        Assert.Contains("balloon", unknown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_then_import_into_an_empty_store_gives_every_card_byte_for_byte()
    {
        await Run("incident", "event", "balloon", "2024-02-04", "One year on: “quotes”, <b>tags</b> & 🎈");
        var file = Path.Combine(_folder, "all.jsonl");

        var exported = await Run("export", "--out", file);
        var imported = await RunOn("restored.db", "import", file);

        Assert.Equal(0, exported.Code);
        Assert.Equal(0, imported.Code);
        foreach (var line in await File.ReadAllLinesAsync(file))
        {
            var slug = IncidentJson.Parse(line).Slug;
            var before = await Run("incident", slug, "--json");
            var after = await RunOn("restored.db", "incident", slug, "--json");
            Assert.Equal(before.Output, after.Output);
        }
    }

    [Fact]
    public async Task Backup_writes_an_owner_only_copy_and_never_overwrites()
    {
        var target = Path.Combine(_folder, "backups", "copy.db");
        await Run("incident", "balloon");

        var first = await Run("backup", target);
        var second = await Run("backup", target);

        Assert.Equal(0, first.Code);
        Assert.True(File.Exists(target));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        Assert.Equal(1, second.Code);
        Assert.Contains("already exists", second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_on_postgres_says_to_use_pg_dump_and_touches_no_server()
    {
        // Port 1: nothing listens there, so a backup that tried to reach the server would fail differently.
        var settings = new Dictionary<string, string?>(Settings())
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=bot;Username=bot;Password=never-printed",
        };
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await BotCli.RunAsync(["backup", Path.Combine(_folder, "copy.db")], output, error, settings);

        Assert.Equal(1, code);
        Assert.Contains("pg_dump", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("never-printed", error.ToString() + output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "copy.db")));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
