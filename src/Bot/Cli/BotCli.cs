using System.CommandLine;
using Bot.Core;
using Bot.Core.Answers;
using Bot.Core.Briefings;
using Bot.Discord;
using Bot.Embeddings;
using Bot.Core.Chat;
using Bot.Core.Incidents.Import;
using Bot.Hosting;
using Bot.Storage;
using Bot.Storage.Migrations;

namespace Bot.Cli;

/// <summary>
/// The command line: <c>bot</c>/<c>bot run</c> start the host; the other verbs answer once and exit,
/// through the same command core the chat platforms use.
/// </summary>
public static class BotCli
{
    /// <param name="settings">Configuration that wins over files and environment (tests point the store at a temp file).</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter? output = null, TextWriter? error = null, IReadOnlyDictionary<string, string?>? settings = null, TextReader? input = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = Build(new CliIo(output, error, settings ?? new Dictionary<string, string?>(), input));
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await root.Parse(args).InvokeAsync(configuration);
    }

    private sealed record CliIo(TextWriter Output, TextWriter Error, IReadOnlyDictionary<string, string?> Settings, TextReader? Input = null);

    private static RootCommand Build(CliIo io)
    {
        var json = new Option<bool>("--json") { Description = "Print the platform-neutral message as JSON", Recursive = true };

        var root = new RootCommand("News-briefing bot: incidents, timelines and anniversaries from the store.");
        root.Options.Add(json);
        // Host options such as --urls pass through to ASP.NET untouched.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parse, ct) => RunHostAsync(parse.UnmatchedTokens.ToArray(), io, ct));

        var run = new Command("run", "Start the bot (the default when no verb is given)") { TreatUnmatchedTokensAsErrors = false };
        run.SetAction((parse, ct) => RunHostAsync(parse.UnmatchedTokens.ToArray(), io, ct));
        root.Subcommands.Add(run);

        var incidentQuery = new Argument<string[]>("query") { Arity = ArgumentArity.ZeroOrMore, Description = "Name, alias or words of the title; 'list [category]' lists them" };
        var incident = new Command("incident", "Show an incident's card, or list incidents") { incidentQuery };
        incident.SetAction((parse, ct) => ChatAsync($"incident {string.Join(' ', parse.GetValue(incidentQuery) ?? [])}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(incident);

        var timelineQuery = new Argument<string[]>("incident") { Arity = ArgumentArity.ZeroOrMore };
        var timeline = new Command("timeline", "Show an incident's dated events, oldest first") { timelineQuery };
        timeline.SetAction((parse, ct) => ChatAsync($"timeline {string.Join(' ', parse.GetValue(timelineQuery) ?? [])}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(timeline);

        var date = new Option<string?>("--date") { Description = "Calendar day as MM-DD (default: today, UTC)" };
        var onThisDay = new Command("onthisday", "Anniversaries of day-precise events") { date };
        onThisDay.SetAction((parse, ct) => ChatAsync($"onthisday {parse.GetValue(date)}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(onThisDay);

        var importPath = new Argument<string>("path") { Description = "A folder of seed files or a JSONL file" };
        var waitVectors = new Option<bool>("--wait-vectors") { Description = "Also build the sentence vectors now (a running host builds them in the background)" };
        var import = new Command("import", "Load incidents from seed files (idempotent)") { importPath, waitVectors };
        import.SetAction((parse, ct) => ImportAsync(parse.GetValue(importPath)!, parse.GetValue(json), parse.GetValue(waitVectors), io, ct));
        root.Subcommands.Add(import);

        var question = new Argument<string[]>("question") { Arity = ArgumentArity.ZeroOrMore };
        var stdin = new Option<bool>("--stdin") { Description = "Read one question per line; write one JSON object per line" };
        var explain = new Option<bool>("--explain") { Description = "Show how the candidate sentences were judged" };
        var ask = new Command("ask", "Answer a question from the stored briefings, or say \"I don't know\"") { question, stdin, explain };
        ask.SetAction((parse, ct) => parse.GetValue(explain)
            ? ExplainAsync(string.Join(' ', parse.GetValue(question) ?? []), io, ct)
            : AskAsync(string.Join(' ', parse.GetValue(question) ?? []), parse.GetValue(json), parse.GetValue(stdin), io, ct));
        root.Subcommands.Add(ask);

        var evalFile = new Argument<string>("file") { Description = "A JSON question set: [{\"question\": …, \"expected\": [..] or null}]" };
        var dump = new Option<string?>("--dump") { Description = "Also write every judged candidate of every question as JSON lines to this file (for calibrating the judge)" };
        var evaluate = new Command("eval", "Score the Q&A engine on a question set, overall and per style") { evalFile, dump };
        evaluate.SetAction((parse, ct) => EvaluateAsync(parse.GetValue(evalFile)!, parse.GetValue(json), parse.GetValue(dump), io, ct));
        root.Subcommands.Add(evaluate);

        var feedbackList = new Command("list", "Answers that people rated, the most disliked first");
        feedbackList.SetAction((parse, ct) => FeedbackListAsync(parse.GetValue(json), io, ct));
        root.Subcommands.Add(new Command("feedback", "Votes on the bot's answers") { feedbackList });

        var guild = new Option<string?>("--guild") { Description = "Register in one guild (instant) instead of globally" };
        var register = new Command("register", "Overwrite the Discord slash commands with the bot's command set (idempotent)") { guild };
        register.SetAction((parse, ct) => DiscordRegisterAsync(parse.GetValue(guild), io, ct));
        root.Subcommands.Add(new Command("discord", "Discord administration") { register });

        var digestDate = new Option<string?>("--date") { Description = "Local date as YYYY-MM-DD (default: today, UTC)" };
        var digest = new Command("digest", "Print the daily digest for a date") { digestDate };
        digest.SetAction((parse, ct) => DigestAsync(parse.GetValue(digestDate), parse.GetValue(json), io, ct));
        root.Subcommands.Add(digest);

        var subsList = new Command("list", "Every subscription, with its next post time and any failure");
        subsList.SetAction((parse, ct) => ChatAsync("briefing status-all", parse.GetValue(json), io, ct, ListSubscriptionsAsync));
        var platform = new Option<string>("--platform") { Required = true, Description = "discord or slack" };
        var workspace = new Option<string>("--workspace") { Required = true, Description = "Guild id (Discord) or team id (Slack)" };
        var channel = new Option<string>("--channel") { Required = true, Description = "Channel id" };
        var kindArgument = new Argument<string>("kind") { Description = "digest or onthisday" };
        var at = new Option<string?>("--time") { Description = "Local time HH:MM (default 09:00)" };
        var zone = new Option<string?>("--zone") { Description = "IANA time zone (default UTC)" };
        var subsAdd = new Command("add", "Subscribe a channel") { kindArgument, platform, workspace, channel, at, zone };
        subsAdd.SetAction((parse, ct) => ChatInAsync(
            $"briefing subscribe {parse.GetValue(kindArgument)} {parse.GetValue(at)} {parse.GetValue(zone)}",
            parse.GetValue(platform)!, parse.GetValue(workspace)!, parse.GetValue(channel)!, parse.GetValue(json), io, ct));
        var subsRemove = new Command("remove", "Unsubscribe a channel") { kindArgument, platform, workspace, channel };
        subsRemove.SetAction((parse, ct) => ChatInAsync(
            $"briefing unsubscribe {parse.GetValue(kindArgument)}", parse.GetValue(platform)!, parse.GetValue(workspace)!, parse.GetValue(channel)!, parse.GetValue(json), io, ct));
        root.Subcommands.Add(new Command("subscriptions", "Scheduled briefings (the running host picks changes up within 30 s)") { subsList, subsAdd, subsRemove });

        var healthUrl = new Option<string>("--url") { Description = "The host's base address", DefaultValueFactory = _ => BotHost.DefaultUrl };
        var health = new Command("healthcheck", "Exit 0 when a running bot answers /healthz (for container health checks)") { healthUrl };
        health.SetAction((parse, ct) => HealthCheckAsync(parse.GetValue(healthUrl)!, io, ct));
        root.Subcommands.Add(health);

        return root;
    }

    private static async Task<int> HealthCheckAsync(string baseUrl, CliIo io, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(baseUrl.TrimEnd('/') + "/"), "healthz"), cancellationToken);
            await io.Output.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await io.Error.WriteLineAsync($"bot: {baseUrl} does not answer: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> RunHostAsync(string[] hostArgs, CliIo io, CancellationToken cancellationToken)
    {
        var error = io.Error;
        try
        {
            await using var app = BotHost.Build(hostArgs, io.Settings);
            await app.RunAsync(cancellationToken);
            return 0;
        }
        catch (StoreUnavailableException ex)
        {
            await error.WriteLineAsync($"bot: cannot start: {ex.Message}");
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await error.WriteLineAsync($"bot: invalid configuration: {ex.Message}");
            return 2;
        }
    }

    /// <summary>A command run as if typed in one platform channel by a channel manager (the CLI is the operator's tool).</summary>
    private static Task<int> ChatInAsync(string commandLine, string platform, string workspace, string channel, bool asJson, CliIo io, CancellationToken cancellationToken) =>
        ChatAsync(commandLine, asJson, io, cancellationToken, context: new ChatContext
        {
            Platform = platform.Trim().ToLowerInvariant(), Workspace = workspace, Channel = channel, CanManageBriefings = true,
        });

    private static async Task<int> ListSubscriptionsAsync(IServiceProvider services, bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        var all = await services.GetRequiredService<ISubscriptionStore>().ListAsync(null, null, null, cancellationToken);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var rows = all.Select(s => new
        {
            s.Id, s.Platform, s.Workspace, s.Channel, Kind = Subscription.KindName(s.Kind), Time = s.LocalTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            Zone = s.TimeZone, Next = TimeZoneInfo.ConvertTime(BriefingClock.Next(s, now), s.Zone), s.FailingSince, s.FailureReason,
        }).ToList();
        if (asJson)
        {
            await io.Output.WriteLineAsync(CliJson.Serialize(rows));
            return 0;
        }

        if (rows.Count == 0) await io.Output.WriteLineAsync("No subscriptions.");
        foreach (var r in rows)
            await io.Output.WriteLineAsync($"#{r.Id} {r.Platform}/{r.Workspace}/{r.Channel} {r.Kind} {r.Time} {r.Zone} · next {r.Next:ddd d MMM HH:mm}{(r.FailingSince is null ? "" : $" · failing: {r.FailureReason}")}");
        return 0;
    }

    private static async Task<int> DigestAsync(string? date, bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        return await WithServicesAsync(io, seed: true, async services =>
        {
            var time = services.GetRequiredService<TimeProvider>();
            DateOnly localDate;
            if (date is null)
                localDate = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out localDate))
            {
                await io.Error.WriteLineAsync($"bot: “{date}” is not a date like 2026-02-04");
                return 1;
            }

            var (message, _) = await services.GetRequiredService<BriefingService>().ComposeAsync(BriefingKind.Digest, localDate, null, cancellationToken);
            await io.Output.WriteAsync(asJson ? CliJson.Serialize(message) + Environment.NewLine : PlainTextRenderer.Render(message!));
            return 0;
        }, cancellationToken);
    }

    private static async Task<int> ChatAsync(string commandLine, bool asJson, CliIo io, CancellationToken cancellationToken,
        Func<IServiceProvider, bool, CliIo, CancellationToken, Task<int>>? custom = null, ChatContext? context = null)
    {
        if (custom is not null)
            return await WithServicesAsync(io, seed: false, services => custom(services, asJson, io, cancellationToken), cancellationToken);
        var output = io.Output;
        return await WithServicesAsync(io, seed: true, async services =>
        {
            var router = services.GetRequiredService<CommandRouter>();
            var message = await router.HandleAsync(new ChatRequest(commandLine, context ?? ChatContext.Cli), cancellationToken);
            await output.WriteAsync(asJson ? CliJson.Serialize(message) + Environment.NewLine : PlainTextRenderer.Render(message));
            return message.Kind == MessageKind.Card ? 0 : 1;
        }, cancellationToken);
    }

    private static async Task<int> AskAsync(string question, bool asJson, bool fromStdin, CliIo io, CancellationToken cancellationToken)
    {
        return await WithServicesAsync(io, seed: true, async services =>
        {
            await PrepareVectorsAsync(services, cancellationToken, io.Error);
            var engine = services.GetRequiredService<AnswerEngine>();
            // One conversation per invocation, so follow-up lines on stdin can say "it".
            var context = ChatContext.Cli with { Thread = Guid.NewGuid().ToString("N") };
            if (!fromStdin)
            {
                var answer = await engine.AnswerAsync(question, context, cancellationToken);
                await io.Output.WriteLineAsync(asJson ? CliJson.Serialize(AskJson(answer)) : AnswerText(answer));
                return answer.Answered ? 0 : 1;
            }

            var input = io.Input ?? Console.In;
            while (await input.ReadLineAsync(cancellationToken) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                var answer = await engine.AnswerAsync(line, context, cancellationToken);
                await io.Output.WriteLineAsync(CliJson.SerializeLine(AskJson(answer)));
            }

            return 0;
        }, cancellationToken);
    }

    private static async Task<int> ExplainAsync(string question, CliIo io, CancellationToken cancellationToken)
    {
        return await WithServicesAsync(io, seed: true, async services =>
        {
            await PrepareVectorsAsync(services, cancellationToken);
            var reading = await services.GetRequiredService<AnswerEngine>().ReadAsync(question, ChatContext.Cli, cancellationToken);
            await io.Output.WriteLineAsync($"type: {reading.Question.Type}; vectors: {reading.WithVectors}; focus: {string.Join(", ", reading.Focus)}; read as: {reading.Question.Normalized}");
            if (reading.Corrections.Count > 0)
                await io.Output.WriteLineAsync("corrected: " + string.Join(", ", reading.Corrections.Select(c => $"{c.Typed}→{c.Known}")));
            await io.Output.WriteLineAsync("weights: " + string.Join(", ", reading.Weights.Select(w => $"{w.Key}={w.Value:F2}")));
            if (reading.Ranked.Count > 0)
                await io.Output.WriteLineAsync($"level: {PassageJudge.Decide(reading.Ranked[0], reading.WithVectors)}");
            foreach (var judged in reading.Ranked.Take(8))
                await io.Output.WriteLineAsync(
                    $"{judged.Score:F2} cov={judged.Coverage:F2} sim={judged.Similarity:F3} bm25#={judged.Candidate.LexicalRank} vec#={judged.Candidate.VectorRank} kind={judged.HoldsKind} names={judged.NamesAsked} phrase=[{judged.Phrase}] missing=[{string.Join(",", judged.Missing)}] {judged.Passage.Slug}/{judged.Passage.Kind}: {judged.Passage.Text}");
            return 0;
        }, cancellationToken);
    }

    /// <summary>Above this many passages without vectors a one-shot command does not build them first (minutes); the host or --wait-vectors does.</summary>
    private const int MaxVectorsBuiltBeforeAnswering = 2_000;

    /// <summary>A one-shot command answers with vectors too: load the model and build what the store lacks (seconds for the seed store).</summary>
    private static async Task PrepareVectorsAsync(IServiceProvider services, CancellationToken cancellationToken, TextWriter? error = null)
    {
        var embedder = services.GetRequiredService<ITextEmbedder>();
        if (!embedder.IsEnabled) return;
        await embedder.LoadAsync(cancellationToken);
        var progress = await services.GetRequiredService<IPassageVectorStore>().GetProgressAsync(embedder.ModelName, cancellationToken);
        if (progress.Missing <= MaxVectorsBuiltBeforeAnswering)
            await services.GetRequiredService<PassageVectorBuilder>().FillAsync(cancellationToken);
        else if (error is not null)
            await error.WriteLineAsync($"bot: {progress.Missing} passages have no sentence vector yet (full-text search finds them); `bot import --wait-vectors <path>` or a running host builds them.");
        await services.GetRequiredService<PassageVectorSearch>().WarmAsync(cancellationToken);
    }

    private static object AskJson(Answer answer) => new
    {
        answered = answer.Answered,
        level = answer.Level switch { AnswerLevel.Confident => "answer", AnswerLevel.Closest => "closest", _ => "unknown" },
        answer = answer.Text,
        phrase = answer.Phrase,
        closest = answer.Closest.Select(c => new { sentence = c.Text, incident = c.IncidentSlug }),
        incident = answer.IncidentSlug,
        citations = answer.IncidentSlug is null ? [] : new[] { new { incident = answer.IncidentSlug, source = answer.Source } },
        confidence = answer.Confidence,
    };

    private static string AnswerText(Answer answer) =>
        answer.Answered ? $"{answer.Text}{Environment.NewLine}From: {answer.IncidentTitle}{(answer.Source is null ? "" : " · " + answer.Source)}" : answer.Text;

    private static async Task<int> EvaluateAsync(string file, bool asJson, string? dump, CliIo io, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            await io.Error.WriteLineAsync($"bot: no question set at {file}");
            return 1;
        }

        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(file, cancellationToken));
        return await WithServicesAsync(io, seed: true, async services =>
        {
            await PrepareVectorsAsync(services, cancellationToken, io.Error);
            if (dump is not null) await DumpJudgementsAsync(services.GetRequiredService<AnswerEngine>(), questions, dump, cancellationToken);
            var report = await services.GetRequiredService<AnswerEvaluator>().EvaluateAsync(questions, cancellationToken);
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(new
                {
                    inScope = report.InScope, inScopeCorrect = report.InScopeCorrect, inScopeAccuracy = report.InScopeAccuracy,
                    outOfScope = report.OutOfScope, abstained = report.OutOfScopeAbstained, abstentionRate = report.AbstentionRate,
                    styles = report.ByStyle.Select(s => new { style = s.Name, total = s.Total, correct = s.Correct, accuracy = s.Accuracy }),
                    misses = report.Results.Where(r => !r.Correct).Select(r => new { question = r.Question.Question, style = r.Question.Style, expected = r.Question.Expected, got = r.Answer.Text }),
                }));
            }
            else
            {
                foreach (var miss in report.Results.Where(r => !r.Correct))
                    await io.Output.WriteLineAsync($"MISS  {(miss.Question.Style is { } style ? $"[{style}] " : "")}{miss.Question.Question}{Environment.NewLine}      expected: {(miss.Question.Expected is null ? "(I don't know)" : string.Join(" | ", miss.Question.Expected))}{Environment.NewLine}      got:      {miss.Answer.Text}");
                foreach (var style in report.ByStyle)
                    await io.Output.WriteLineAsync($"{style.Name,-14} {style.Correct,3}/{style.Total,-3} ({style.Accuracy:P0})");
                await io.Output.WriteLineAsync($"in scope: {report.InScopeCorrect}/{report.InScope} correct ({report.InScopeAccuracy:P1}); out of scope: {report.OutOfScopeAbstained}/{report.OutOfScope} abstained ({report.AbstentionRate:P1})");
            }

            return 0;
        }, cancellationToken);
    }

    private static async Task DumpJudgementsAsync(AnswerEngine engine, IReadOnlyList<EvaluationQuestion> questions, string path, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path);
        foreach (var question in questions)
        {
            var reading = await engine.ReadAsync(question.Question, ChatContext.Cli with { Thread = Guid.NewGuid().ToString("N") }, cancellationToken);
            await writer.WriteLineAsync(CliJson.SerializeLine(new
            {
                question = question.Question, style = question.Style, expected = question.Expected, type = reading.Question.Type.ToString(),
                read = reading.Question.Normalized, weights = reading.Weights,
                candidates = reading.Ranked.Take(40).Select(j => new
                {
                    text = j.Passage.Text, slug = j.Passage.Slug, kind = j.Passage.Kind.ToString(), score = j.Score, coverage = j.Coverage,
                    similarity = double.IsNaN(j.Similarity) ? (double?)null : j.Similarity, lexical = j.Candidate.LexicalRank, vector = j.Candidate.VectorRank,
                    holdsKind = j.HoldsKind, namesAsked = j.NamesAsked, phrase = j.Phrase, unknownMissing = j.UnknownMissing, missing = j.Missing, focus = reading.Focus.Contains(j.Passage.Slug),
                }),
            }));
        }
    }

    private static async Task<int> FeedbackListAsync(bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        return await WithServicesAsync(io, seed: false, async services =>
        {
            var entries = await services.GetRequiredService<IAnswerLog>().ListFeedbackAsync(200, cancellationToken);
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(entries));
                return 0;
            }

            if (entries.Count == 0) await io.Output.WriteLineAsync("No votes yet.");
            foreach (var entry in entries)
                await io.Output.WriteLineAsync($"#{entry.AnswerId}  👍 {entry.Up}  👎 {entry.Down}  {entry.At:yyyy-MM-dd}  Q: {entry.Question}{Environment.NewLine}        A: {entry.Answer}");
            return 0;
        }, cancellationToken);
    }

    private static async Task<int> DiscordRegisterAsync(string? guildId, CliIo io, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.AddBotConfiguration(io.Settings);
        ConfigureQuietLogging(builder);
        builder.Services.AddBotDiscord();
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value;
        if (!options.Enabled || options.FirstProblem() is { } problem)
        {
            await io.Error.WriteLineAsync($"bot: cannot register Discord commands: {(options.Enabled ? options.FirstProblem() : "Discord:ApplicationId, Discord:PublicKey and Discord:BotToken are not configured")}");
            return 2;
        }

        try
        {
            var registrar = host.Services.GetRequiredService<DiscordCommandRegistrar>();
            var count = await registrar.RegisterAsync(guildId, cancellationToken);
            await io.Output.WriteLineAsync($"Registered {count} commands {(guildId is null ? "globally" : $"in guild {guildId}")}: /{string.Join(", /", registrar.CommandNames)}");
            return 0;
        }
        catch (Exception ex) when (ex is Discord.Protocol.DiscordApiException or Discord.Protocol.DiscordUnavailableException)
        {
            await io.Error.WriteLineAsync($"bot: {ex.Message}");
            return 1;
        }
    }

    private static async Task<int> ImportAsync(string path, bool asJson, bool waitVectors, CliIo io, CancellationToken cancellationToken)
    {
        var output = io.Output;
        return await WithServicesAsync(io, seed: false, async services =>
        {
            var report = await services.GetRequiredService<IncidentImporter>().ImportAsync(path, cancellationToken);
            var vectors = waitVectors ? await services.GetRequiredService<PassageVectorBuilder>().FillAsync(cancellationToken) : 0;
            if (asJson)
            {
                await output.WriteLineAsync(CliJson.Serialize(new
                {
                    report.Added, report.Updated, report.Unchanged, vectors,
                    problems = report.Problems.Select(p => new { file = p.File, reason = p.Reason }),
                }));
            }
            else
            {
                await output.WriteLineAsync($"Imported from {path}: {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged.");
                if (waitVectors) await output.WriteLineAsync($"Built {vectors} sentence vectors.");
                foreach (var problem in report.Problems)
                    await output.WriteLineAsync($"  skipped {problem.File}: {problem.Reason}");
            }

            return report.Problems.Count == 0 ? 0 : 1;
        }, cancellationToken);
    }

    /// <summary>One-shot commands print their answer on stdout; only warnings belong beside it, on stderr, whatever appsettings says.</summary>
    private static void ConfigureQuietLogging(HostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.PostConfigure<LoggerFilterOptions>(filters =>
        {
            filters.Rules.Clear();
            filters.MinLevel = LogLevel.Warning;
        });
    }

    /// <summary>Builds the services a one-shot command needs, brings the store up to date, and runs <paramref name="work"/>.</summary>
    private static async Task<int> WithServicesAsync(CliIo io, bool seed, Func<IServiceProvider, Task<int>> work, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.AddBotConfiguration(io.Settings);
        ConfigureQuietLogging(builder);
        builder.Services.AddBotCore().AddBotStorage().AddBotEmbeddings();
        using var host = builder.Build();
        try
        {
            if (seed)
                await host.Services.GetRequiredService<StoreInitializer>().InitializeAsync(cancellationToken);
            else
                await host.Services.GetRequiredService<Migrator>().MigrateAsync(cancellationToken);
            return await work(host.Services);
        }
        catch (StoreUnavailableException ex)
        {
            await io.Error.WriteLineAsync($"bot: {ex.Message}");
            return 2;
        }
    }
}
