using System.CommandLine;
using Bot.Core.Answers;
using Bot.Core.Chat;
using Bot.Embeddings;

namespace Bot.Cli;

/// <summary>Questions and answers: <c>ask</c>, <c>eval</c> and <c>feedback list</c>.</summary>
internal static class AskCliCommands
{
    public static void AddTo(RootCommand root, Option<bool> json, CliIo io)
    {
        var question = new Argument<string[]>("question") { Arity = ArgumentArity.ZeroOrMore };
        var stdin = new Option<bool>("--stdin") { Description = "Read one question per line; write one JSON object per line" };
        var explain = new Option<bool>("--explain") { Description = "Show how the candidate sentences were judged" };
        var top = new Option<int>("--top") { Description = "With --explain: how many judged candidates to show", DefaultValueFactory = _ => 8 };
        var ask = new Command("ask", "Answer a question from the stored briefings, or say \"I don't know\"") { question, stdin, explain, top };
        ask.SetAction((parse, ct) => parse.GetValue(explain)
            ? ExplainAsync(string.Join(' ', parse.GetValue(question) ?? []), Math.Max(1, parse.GetValue(top)), io, ct)
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
    }

    private static async Task<int> AskAsync(string question, bool asJson, bool fromStdin, CliIo io, CancellationToken cancellationToken)
    {
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
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

    private static async Task<int> ExplainAsync(string question, int top, CliIo io, CancellationToken cancellationToken)
    {
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            await PrepareVectorsAsync(services, cancellationToken);
            var reading = await services.GetRequiredService<AnswerEngine>().ReadAsync(question, ChatContext.Cli, cancellationToken);
            await io.Output.WriteLineAsync($"type: {reading.Question.Type}; vectors: {reading.WithVectors}; focus: {string.Join(", ", reading.Focus)}; read as: {reading.Question.Normalized}"
                + (reading.Question.Described.Count > 0 ? $"; describing: {string.Join(' ', reading.Question.Described)}" : ""));
            if (reading.Corrections.Count > 0)
                await io.Output.WriteLineAsync("corrected: " + string.Join(", ", reading.Corrections.Select(c => $"{c.Typed}→{c.Known}")));
            await io.Output.WriteLineAsync("weights: " + string.Join(", ", reading.Weights.Select(w => $"{w.Key}={w.Value:F2}")));
            if (reading.Ranked.Count > 0)
                await io.Output.WriteLineAsync($"level: {PassageJudge.Decide(reading.Ranked[0], reading.WithVectors)}");
            foreach (var judged in reading.Ranked.Take(top))
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

        IReadOnlyList<EvaluationQuestion> questions;
        try
        {
            questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(file, cancellationToken));
        }
        catch (InvalidDataException e)
        {
            await io.Error.WriteLineAsync($"bot: {file} is not a question set: {e.Message}");
            return 1;
        }
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            await PrepareVectorsAsync(services, cancellationToken, io.Error);
            if (dump is not null) await DumpJudgementsAsync(services.GetRequiredService<AnswerEngine>(), questions, dump, cancellationToken);
            var report = await services.GetRequiredService<AnswerEvaluator>().EvaluateAsync(questions, cancellationToken);
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(new
                {
                    inScope = report.InScope,
                    inScopeCorrect = report.InScopeCorrect,
                    inScopeAccuracy = report.InScopeAccuracy,
                    outOfScope = report.OutOfScope,
                    abstained = report.OutOfScopeAbstained,
                    abstentionRate = report.AbstentionRate,
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
                question = question.Question,
                style = question.Style,
                expected = question.Expected,
                type = reading.Question.Type.ToString(),
                read = reading.Question.Normalized,
                weights = reading.Weights,
                candidates = reading.Ranked.Select(j => new
                {
                    text = j.Passage.Text,
                    slug = j.Passage.Slug,
                    kind = j.Passage.Kind.ToString(),
                    score = j.Score,
                    coverage = j.Coverage,
                    similarity = double.IsNaN(j.Similarity) ? (double?)null : j.Similarity,
                    lexical = j.Candidate.LexicalRank,
                    vector = j.Candidate.VectorRank,
                    holdsKind = j.HoldsKind,
                    namesAsked = j.NamesAsked,
                    phrase = j.Phrase,
                    unknownMissing = j.UnknownMissing,
                    missing = j.Missing,
                    focus = reading.Focus.Contains(j.Passage.Slug),
                }),
            }));
        }
    }

    private static async Task<int> FeedbackListAsync(bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        return await BotCli.WithServicesAsync(io, seed: false, async services =>
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
}
