using System.CommandLine;
using Bot.Core.Answers;
using Bot.Core.Chat;

namespace Bot.Cli;

/// <summary>Questions and answers: <c>ask</c>, <c>eval</c> and <c>feedback list</c>.</summary>
internal static class AskCliCommands
{
    public static void AddTo(RootCommand root, Option<bool> json, CliIo io)
    {
        var question = new Argument<string[]>("question") { Arity = ArgumentArity.ZeroOrMore };
        var stdin = new Option<bool>("--stdin") { Description = "Read one question per line; write one JSON object per line" };
        var explain = new Option<bool>("--explain") { Description = "Show how the candidate sentences were judged" };
        var ask = new Command("ask", "Answer a question from the stored briefings, or say \"I don't know\"") { question, stdin, explain };
        ask.SetAction((parse, ct) => parse.GetValue(explain)
            ? ExplainAsync(string.Join(' ', parse.GetValue(question) ?? []), io, ct)
            : AskAsync(string.Join(' ', parse.GetValue(question) ?? []), parse.GetValue(json), parse.GetValue(stdin), io, ct));
        root.Subcommands.Add(ask);

        var evalFile = new Argument<string>("file") { Description = "A JSON question set: [{\"question\": …, \"expected\": [..] or null}]" };
        var evaluate = new Command("eval", "Score the Q&A engine on a question set") { evalFile };
        evaluate.SetAction((parse, ct) => EvaluateAsync(parse.GetValue(evalFile)!, parse.GetValue(json), io, ct));
        root.Subcommands.Add(evaluate);

        var feedbackList = new Command("list", "Answers that people rated, the most disliked first");
        feedbackList.SetAction((parse, ct) => FeedbackListAsync(parse.GetValue(json), io, ct));
        root.Subcommands.Add(new Command("feedback", "Votes on the bot's answers") { feedbackList });
    }

    private static async Task<int> AskAsync(string question, bool asJson, bool fromStdin, CliIo io, CancellationToken cancellationToken)
    {
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
        {
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
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            var (analyzed, weights, ranked, focus) = await services.GetRequiredService<AnswerEngine>()
                .RankAsync(question, ChatContext.Cli, cancellationToken);
            await io.Output.WriteLineAsync($"type: {analyzed.Type}; focus: {string.Join(", ", focus)}");
            await io.Output.WriteLineAsync("weights: " + string.Join(", ", weights.Select(w => $"{w.Key}={w.Value:F2}")));
            foreach (var judged in ranked.Take(8))
                await io.Output.WriteLineAsync(
                    $"{judged.Score:F2} cov={judged.Coverage:F2} type={judged.HoldsAnswerType} names={judged.NamesWhatIsAsked} missing=[{string.Join(",", judged.Missing)}] {judged.Passage.Slug}/{judged.Passage.Kind}: {judged.Passage.Text}");
            return 0;
        }, cancellationToken);
    }

    private static object AskJson(Answer answer) => new
    {
        answered = answer.Answered,
        answer = answer.Text,
        incident = answer.IncidentSlug,
        citations = answer.IncidentSlug is null ? [] : new[] { new { incident = answer.IncidentSlug, source = answer.Source } },
        confidence = answer.Confidence,
    };

    private static string AnswerText(Answer answer) =>
        answer.Answered ? $"{answer.Text}{Environment.NewLine}From: {answer.IncidentTitle}{(answer.Source is null ? "" : " · " + answer.Source)}" : answer.Text;

    private static async Task<int> EvaluateAsync(string file, bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            await io.Error.WriteLineAsync($"bot: no question set at {file}");
            return 1;
        }

        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(file, cancellationToken));
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            var report = await services.GetRequiredService<AnswerEvaluator>().EvaluateAsync(questions, cancellationToken);
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(new
                {
                    inScope = report.InScope, inScopeCorrect = report.InScopeCorrect, inScopeAccuracy = report.InScopeAccuracy,
                    outOfScope = report.OutOfScope, abstained = report.OutOfScopeAbstained, abstentionRate = report.AbstentionRate,
                    misses = report.Results.Where(r => !r.Correct).Select(r => new { question = r.Question.Question, expected = r.Question.Expected, got = r.Answer.Text }),
                }));
            }
            else
            {
                foreach (var miss in report.Results.Where(r => !r.Correct))
                    await io.Output.WriteLineAsync($"MISS  {miss.Question.Question}{Environment.NewLine}      expected: {(miss.Question.Expected is null ? "(abstain)" : string.Join(" | ", miss.Question.Expected))}{Environment.NewLine}      got:      {miss.Answer.Text}");
                await io.Output.WriteLineAsync($"in scope: {report.InScopeCorrect}/{report.InScope} correct ({report.InScopeAccuracy:P1}); out of scope: {report.OutOfScopeAbstained}/{report.OutOfScope} abstained ({report.AbstentionRate:P1})");
            }

            return 0;
        }, cancellationToken);
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
