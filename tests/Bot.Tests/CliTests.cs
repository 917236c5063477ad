using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bot.Cli;
using Bot.Core;
using Bot.Core.Installations;
using Bot.Storage;
using Bot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bot-cli-").FullName;

    private Dictionary<string, string?> Settings => new()
    {
        ["Storage:Path"] = Path.Combine(_folder, "bot.db"),
        ["Seeds:Path"] = RepoPaths.Seeds,
    };

    private async Task<(int Code, string Output, string Error)> Run(params string[] args) => await RunWithInput(null, args);

    private async Task<(int Code, string Output, string Error)> RunWithInput(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BotCli.RunAsync(args, output, error, Settings, input is null ? null : new StringReader(input));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Ask_json_prints_the_documented_shape()
    {
        var (code, output, _) = await Run("ask", "--json", "when was the balloon shot down?");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.True(root.GetProperty("answered").GetBoolean());
        Assert.StartsWith("4 February 2023", root.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal("balloon", root.GetProperty("incident").GetString());
        var citation = Assert.Single(root.GetProperty("citations").EnumerateArray());
        Assert.Equal("balloon", citation.GetProperty("incident").GetString());
        Assert.StartsWith("RFI", citation.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.InRange(root.GetProperty("confidence").GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Ask_prints_an_honest_I_dont_know_and_exits_1()
    {
        var (code, output, _) = await Run("ask", "what is the capital of Peru?");

        Assert.Equal(1, code);
        Assert.StartsWith("I don't know", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_explain_shows_as_many_judged_candidates_as_asked()
    {
        var (code, output, _) = await Run("ask", "--explain", "--top", "3", "when was the balloon shot down?");
        var (_, usual, _) = await Run("ask", "--explain", "when was the balloon shot down?");

        Assert.Equal(0, code);
        Assert.Contains("read as: when was the balloon shot down", output, StringComparison.Ordinal);
        Assert.Equal(3, output.Split('\n').Count(line => line.Contains(" cov=", StringComparison.Ordinal)));
        Assert.Equal(8, usual.Split('\n').Count(line => line.Contains(" cov=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ask_stdin_answers_one_json_line_per_question_and_follows_the_thread()
    {
        var (code, output, _) = await RunWithInput("which company did Wei Sun work for?\n\nand when was he sentenced?\nwho won the world cup?\n", "ask", "--stdin");

        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var docs = lines.Select(l => JsonDocument.Parse(l)).ToList();
        Assert.Contains("Raytheon", docs[0].RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Contains("2020", docs[1].RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.False(docs[2].RootElement.GetProperty("answered").GetBoolean());
        docs.ForEach(d => d.Dispose());
    }

    [Fact]
    public async Task Eval_prints_the_scores_of_a_question_set()
    {
        var file = Path.Combine(_folder, "set.json");
        await File.WriteAllTextAsync(file, """
            [
              {"question": "when was the balloon shot down?", "expected": ["4 February 2023"]},
              {"question": "what is the capital of Peru?", "expected": null}
            ]
            """);

        var (code, output, _) = await Run("eval", file, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1.0, json.RootElement.GetProperty("inScopeAccuracy").GetDouble());
        Assert.Equal(1.0, json.RootElement.GetProperty("abstentionRate").GetDouble());
    }

    [Fact]
    public async Task Eval_dump_writes_every_judged_candidate_of_every_question()
    {
        var file = Path.Combine(_folder, "dumped.json");
        var dump = Path.Combine(_folder, "dump.jsonl");
        await File.WriteAllTextAsync(file, """
            [
              {"question": "what did the US and China say about the balloon?", "expected": ["balloon"]},
              {"question": "' OR 1=1 -- * 🎈", "expected": null}
            ]
            """);

        var (code, _, _) = await Run("eval", file, "--dump", dump);

        Assert.Equal(0, code);
        var lines = await File.ReadAllLinesAsync(dump);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        // All of them, not the first forty: both searches together propose more.
        Assert.True(first.RootElement.GetProperty("candidates").GetArrayLength() > 40);
    }

    [Theory]
    [InlineData("[null]", "entry 1 has no question")]
    [InlineData("[{\"expected\": [\"x\"]}]", "entry 1 has no question")]
    [InlineData("[{\"question\": \"\\ud800\"}]", "not a JSON array of questions")]
    [InlineData("{\"question\": \"when?\"}", "not a JSON array of questions")]
    [InlineData("nope", "not a JSON array of questions")]
    public async Task Eval_of_a_malformed_set_says_what_is_wrong_and_exits_1(string content, string reason)
    {
        var file = Path.Combine(_folder, $"bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, content);

        var (code, _, error) = await Run("eval", file);

        Assert.Equal(1, code);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_prints_the_score_of_each_style()
    {
        var file = Path.Combine(_folder, "styled.json");
        await File.WriteAllTextAsync(file, """
            [
              {"question": "wen was the chinese ballon shot down", "expected": ["4 February 2023"], "style": "misspelt"},
              {"question": "how do i bake sourdough bread?", "expected": null, "style": "off-topic"}
            ]
            """);

        var (code, output, _) = await Run("eval", file);
        var (jsonCode, json, _) = await Run("eval", file, "--json");

        Assert.Equal((0, 0), (code, jsonCode));
        Assert.Matches(@"misspelt\s+1/1", output);
        Assert.Matches(@"off-topic\s+1/1", output);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(["misspelt", "off-topic"], document.RootElement.GetProperty("styles").EnumerateArray().Select(s => s.GetProperty("style").GetString()));
    }

    [Fact]
    public async Task Import_with_wait_vectors_builds_the_sentence_vectors_before_returning()
    {
        var (code, output, _) = await Run("import", RepoPaths.Seeds, "--wait-vectors", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        // The seed files run first, as at every start, so the import itself finds them unchanged.
        Assert.Equal(12, json.RootElement.GetProperty("added").GetInt32() + json.RootElement.GetProperty("unchanged").GetInt32());
        Assert.True(json.RootElement.GetProperty("vectors").GetInt32() > 200);
    }

    [Fact]
    public async Task Discord_register_overwrites_the_command_set_and_is_idempotent()
    {
        await using var discord = await Bot.Testing.Discord.FakeDiscordServer.StartAsync();
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:PublicKey"] = discord.PublicKeyHex,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
        };
        var output = new StringWriter();

        var errors = new StringWriter();
        var first = await BotCli.RunAsync(["discord", "register", "--guild", "555"], output, errors, settings);
        Assert.True(first == 0, errors.ToString());
        var second = await BotCli.RunAsync(["discord", "register", "--guild", "555"], output, new StringWriter(), settings);

        Assert.Equal((0, 0), (first, second));
        Assert.Contains("Registered 8 commands in guild 555", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, discord.CommandWrites);
    }

    [Fact]
    public async Task Discord_register_without_configuration_names_the_missing_keys()
    {
        var (code, _, error) = await Run("discord", "register");

        Assert.Equal(2, code);
        Assert.Contains("Discord:ApplicationId", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_prints_the_briefing_for_a_date()
    {
        var (code, output, _) = await Run("digest", "--date", "2026-02-04");
        var (jsonCode, json, _) = await Run("digest", "--date", "2026-02-04", "--json");
        var (badCode, _, error) = await Run("digest", "--date", "4/2/2026");

        Assert.Equal(0, code);
        Assert.Contains("Briefing — Wednesday 4 February 2026", output, StringComparison.Ordinal);
        Assert.Contains("3 years ago", output, StringComparison.Ordinal);
        Assert.Equal(0, jsonCode);
        using var doc = JsonDocument.Parse(json);
        Assert.Contains(doc.RootElement.GetProperty("sections").EnumerateArray(), s => s.GetProperty("heading").GetString() == "Coming up this week");
        Assert.Equal(1, badCode);
        Assert.Contains("not a date", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscriptions_add_list_and_remove()
    {
        var (addCode, added, _) = await Run("subscriptions", "add", "onthisday", "--platform", "slack", "--workspace", "T1", "--channel", "C1", "--time", "07:15", "--zone", "Asia/Tokyo");
        var (_, listed, _) = await Run("subscriptions", "list", "--json");
        var (badCode, bad, _) = await Run("subscriptions", "add", "digest", "--platform", "slack", "--workspace", "T1", "--channel", "C1", "--zone", "Nowhere/Land");
        var (removeCode, _, _) = await Run("subscriptions", "remove", "onthisday", "--platform", "slack", "--workspace", "T1", "--channel", "C1");
        var (_, empty, _) = await Run("subscriptions", "list");

        Assert.Equal(0, addCode);
        Assert.Contains("07:15 Asia/Tokyo", added, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(listed);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("onthisday", row.GetProperty("kind").GetString());
        Assert.Equal("Asia/Tokyo", row.GetProperty("zone").GetString());
        Assert.Equal(1, badCode);
        Assert.Contains("time zone", bad, StringComparison.Ordinal);
        Assert.Equal(0, removeCode);
        Assert.Contains("No subscriptions.", empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installations_list_shows_who_installed_the_app_and_never_a_token()
    {
        var (_, none, _) = await Run("installations", "list");
        await using (var services = StoreServices())
        {
            var store = services.GetRequiredService<IInstallationStore>();
            await store.SaveAsync(new Installation { Platform = "slack", Workspace = "T0TEAM", TeamId = "T0TEAM", BotUserId = "U0BOT", ProtectedToken = "protected-secret-1", InstalledAt = DateTimeOffset.Parse("2026-12-01T08:30:00Z", CultureInfo.InvariantCulture) }, default);
            await store.SaveAsync(new Installation { Platform = "slack", Workspace = "E0ORG", EnterpriseId = "E0ORG", IsEnterpriseInstall = true, ProtectedToken = "protected-secret-2", InstalledAt = DateTimeOffset.Parse("2026-12-02T09:00:00Z", CultureInfo.InvariantCulture) }, default);
            await services.GetRequiredService<IInstallationMembers>().RememberAsync("slack", "T0MEMBER", "E0ORG", default);
        }

        var (code, listed, _) = await Run("installations", "list");
        var (jsonCode, json, _) = await Run("installations", "list", "--json");

        Assert.Contains("No installations", none, StringComparison.Ordinal);
        Assert.Equal((0, 0), (code, jsonCode));
        Assert.Contains("slack/E0ORG org-wide, 1 workspace(s) seen", listed, StringComparison.Ordinal);
        Assert.Contains("slack/T0TEAM workspace · bot U0BOT · installed 2026-12-01 08:30 UTC", listed, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(["T0MEMBER"], doc.RootElement[0].GetProperty("workspacesSeen").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("protected-secret", listed + json, StringComparison.Ordinal);
    }

    /// <summary>The CLI's store opened directly, to put in what only the running host would write.</summary>
    private ServiceProvider StoreServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build());
        services.AddLogging();
        services.AddBotCore().AddBotStorage();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Deliveries_lists_recent_posts_newest_first_with_status_attempts_and_errors()
    {
        var (emptyCode, empty, _) = await Run("deliveries");
        await Run("subscriptions", "add", "digest", "--platform", "slack", "--workspace", "T1", "--channel", "C1", "--zone", "Europe/Paris");
        await Run("subscriptions", "add", "onthisday", "--platform", "discord", "--workspace", "G1", "--channel", "D1");
        var database = new Bot.Storage.SqliteDatabase(Settings["Storage:Path"]!);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 2, 4, 8, 0, 5, TimeSpan.Zero));
        var subscriptions = await new Bot.Storage.Briefings.SqlSubscriptionStore(database, time).ListAsync(null, null, null, CancellationToken.None);
        var store = new Bot.Storage.Briefings.SqlDeliveryStore(database, time);
        var message = new Core.Chat.ChatMessage { Title = "Briefing" };
        var slack = await store.CreateAsync(subscriptions.Single(s => s.Channel == "C1").Id, new DateOnly(2026, 2, 4), message, null, CancellationToken.None);
        await store.TryClaimAsync(slack.Id, time.GetUtcNow(), time.GetUtcNow().AddMinutes(2), CancellationToken.None);
        await store.MarkSentAsync(slack.Id, "1.2", time.GetUtcNow(), CancellationToken.None);
        var discord = await store.CreateAsync(subscriptions.Single(s => s.Channel == "D1").Id, new DateOnly(2026, 2, 3), message, null, CancellationToken.None);
        await store.TryClaimAsync(discord.Id, time.GetUtcNow(), time.GetUtcNow().AddMinutes(2), CancellationToken.None);
        await store.MarkRetryAsync(discord.Id, "HTTP 500", time.GetUtcNow(), CancellationToken.None);
        await store.TryClaimAsync(discord.Id, time.GetUtcNow(), time.GetUtcNow().AddMinutes(2), CancellationToken.None);
        await store.MarkFailedAsync(discord.Id, "Missing Access", CancellationToken.None);

        var (code, output, _) = await Run("deliveries");
        var (jsonCode, json, _) = await Run("deliveries", "--channel", "D1", "--json");

        Assert.Equal((0, 0, 0), (emptyCode, code, jsonCode));
        Assert.Contains("No deliveries yet.", empty, StringComparison.Ordinal);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("2026-02-04 slack/T1/C1 digest · sent · 1 attempt · posted Wed 4 Feb 09:00 Europe/Paris", lines[0]);
        Assert.Equal("2026-02-03 discord/G1/D1 onthisday · failed · 2 attempts · not posted · last error: Missing Access", lines[1]);
        using var doc = JsonDocument.Parse(json);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("D1", row.GetProperty("channel").GetString());
        Assert.Equal("2026-02-03", row.GetProperty("localDate").GetString());
        Assert.Equal("failed", row.GetProperty("status").GetString());
        Assert.Equal(2, row.GetProperty("attempts").GetInt32());
        Assert.Equal("Missing Access", row.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Feedback_list_says_when_there_are_no_votes()
    {
        var (code, output, _) = await Run("feedback", "list");

        Assert.Equal(0, code);
        Assert.Contains("No votes yet", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incident_prints_the_card_as_text()
    {
        var (code, output, _) = await Run("incident", "balloon");

        Assert.Equal(0, code);
        Assert.Contains("Chinese surveillance balloon", output, StringComparison.Ordinal);
        Assert.Contains("4 Feb 2023", output, StringComparison.Ordinal);
        Assert.Contains("Source: RFI", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Incident_json_prints_the_neutral_message()
    {
        var (code, output, _) = await Run("incident", "xu", "yanjun", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("xu-yanjun", json.RootElement.GetProperty("incidentSlug").GetString());
        Assert.Equal("card", json.RootElement.GetProperty("kind").GetString());
        Assert.True(json.RootElement.GetProperty("sections").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Incident_list_lists_every_seeded_incident()
    {
        var (code, output, _) = await Run("incident", "list");

        Assert.Equal(0, code);
        Assert.Contains("12 incidents", output, StringComparison.Ordinal);
        Assert.Contains("huawei-zte", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_incident_exits_non_zero_with_a_suggestion()
    {
        var (code, output, _) = await Run("incident", "baloonz", "over", "mars");

        Assert.Equal(1, code);
        Assert.Contains("Closest", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_and_onthisday_print_their_messages()
    {
        var (timelineCode, timeline, _) = await Run("timeline", "balloon");
        var (dayCode, day, _) = await Run("onthisday", "--date", "02-04", "--json");

        Assert.Equal(0, timelineCode);
        Assert.Contains("oldest first", timeline, StringComparison.Ordinal);
        Assert.Equal(0, dayCode);
        using var json = JsonDocument.Parse(day);
        Assert.Equal("balloon", json.RootElement.GetProperty("incidentSlug").GetString());
    }

    [Fact]
    public async Task Import_reports_counts_and_problems()
    {
        var file = Path.Combine(_folder, "more.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            Core.Incidents.Import.IncidentJson.Serialize(TestIncidents.Make("extra-one")),
            Core.Incidents.Import.IncidentJson.Serialize(TestIncidents.Make("extra-two")),
        ]);
        var broken = Path.Combine(_folder, "broken.jsonl");
        await File.WriteAllTextAsync(broken, "{not json}\n");

        var (code, output, _) = await Run("import", file);
        var (againCode, again, _) = await Run("import", file, "--json");
        var (brokenCode, brokenOutput, _) = await Run("import", broken);

        Assert.Equal(0, code);
        Assert.Contains("2 added", output, StringComparison.Ordinal);
        Assert.Equal(0, againCode);
        using var json = JsonDocument.Parse(again);
        Assert.Equal(2, json.RootElement.GetProperty("unchanged").GetInt32());
        Assert.Equal(1, brokenCode);
        Assert.Contains("broken.jsonl: line 1: invalid JSON", brokenOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_database_gives_a_clear_error_naming_the_path()
    {
        var path = Path.Combine(_folder, "bot.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));

        var (code, _, error) = await Run("incident", "balloon");

        Assert.Equal(2, code);
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.Contains("corrupt", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bot_executable_answers_as_a_whole_process()
    {
        var entry = Path.Combine(AppContext.BaseDirectory, "bot.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { entry, "incident", "balloon" }) start.ArgumentList.Add(arg);
        start.Environment["Storage__Path"] = Path.Combine(_folder, "process.db");
        start.Environment["Seeds__Path"] = RepoPaths.Seeds;

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Chinese surveillance balloon", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("incidnet balloon", "did you mean 'incident'?")]
    [InlineData("sourcse balloon", "did you mean 'sources'?")]
    [InlineData("--urls http://127.0.0.1:0 timelien balloon", "did you mean 'timeline'?")]
    [InlineData("run frobnicate", "unknown command 'frobnicate'; the commands are run, incident, ")]
    [InlineData("frobnicate", "unknown command 'frobnicate'; the commands are run, incident, ")]
    [InlineData("--urls", "the host option --urls needs a value")]
    public async Task An_unknown_verb_is_a_one_line_error_and_never_starts_the_host(string line, string expected)
    {
        // Were the host started, it would listen here and run until stopped: the wait below would time out.
        var settings = new Dictionary<string, string?>(Settings) { ["urls"] = "http://127.0.0.1:0" };
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await BotCli.RunAsync(line.Split(' '), output, error, settings).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        var message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith("bot: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
        Assert.False(File.Exists(Path.Combine(_folder, "bot.db")), "the host started and created the store");
    }

    [Theory]
    [InlineData("--urls {url}")]
    [InlineData("--urls={url}")]
    [InlineData("run --urls {url}")]
    [InlineData("--Storage:Path={db} --urls {url}")]
    public async Task Host_options_alone_start_the_host(string line)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var db = Path.Combine(_folder, "from-args.db");
        var args = line.Replace("{url}", url, StringComparison.Ordinal).Replace("{db}", db, StringComparison.Ordinal).Split(' ');
        var settings = new Dictionary<string, string?> { ["Seeds:Path"] = RepoPaths.Seeds, ["Logging:LogLevel:Default"] = "Warning" };
        if (!line.Contains("{db}", StringComparison.Ordinal)) settings["Storage:Path"] = db;
        using var stop = new CancellationTokenSource();
        var error = new StringWriter();

        var running = BotCli.RunAsync(args, new StringWriter(), error, settings, cancellationToken: stop.Token);
        Assert.True(await AnswersAsync(new Uri($"{url}/healthz"), running), error.ToString());
        await stop.CancelAsync();

        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(File.Exists(db));
    }

    [Theory]
    [InlineData("--Storage:Path={db}", "incident", "list")]
    [InlineData("incident", "list", "--Storage:Path", "{db}")]
    [InlineData("ask", "when was the balloon shot down?", "--storage:path={db}")]
    public async Task A_configuration_key_on_the_command_line_applies_to_one_shot_verbs(params string[] line)
    {
        var db = Path.Combine(_folder, "elsewhere", "other.db");

        var (code, output, error) = await Run(line.Select(a => a.Replace("{db}", db, StringComparison.Ordinal)).ToArray());

        Assert.True(code == 0, error);
        Assert.Contains("alloon", output, StringComparison.Ordinal);
        Assert.True(File.Exists(db), "the store named on the command line was used");
        Assert.False(File.Exists(Path.Combine(_folder, "bot.db")), "the configured default store was opened");
    }

    [Fact]
    public async Task Every_button_of_a_card_is_a_verb_that_answers()
    {
        var (_, card, _) = await Run("incident", "balloon", "--json");
        using var json = JsonDocument.Parse(card);
        var buttons = json.RootElement.GetProperty("buttons").EnumerateArray().Select(b => b.GetProperty("command").GetString()!).ToList();

        Assert.Contains("sources balloon", buttons);
        Assert.Contains("related balloon", buttons);
        foreach (var button in buttons)
        {
            var (code, output, error) = await Run(button.Split(' ')).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0, $"{button}: {error}");
            Assert.Contains("balloon", output, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Polls until the address answers 2xx; false when <paramref name="host"/> ended first.</summary>
    private static async Task<bool> AnswersAsync(Uri address, Task host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 600 && !host.IsCompleted; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(address);
                if (response.IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
