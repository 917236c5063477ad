using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Chat;

namespace Bot.Core.Answers;

/// <summary>One question of an evaluation set: expected answers (any of them) or null when the engine should abstain.</summary>
public sealed record EvaluationQuestion(string Question, IReadOnlyList<string>? Expected, string? Incident, string? Type);

public sealed record EvaluationResult(EvaluationQuestion Question, Answer Answer, bool Correct);

public sealed record EvaluationReport(IReadOnlyList<EvaluationResult> Results)
{
    public int InScope => Results.Count(r => r.Question.Expected is not null);
    public int InScopeCorrect => Results.Count(r => r.Question.Expected is not null && r.Correct);
    public int OutOfScope => Results.Count(r => r.Question.Expected is null);
    public int OutOfScopeAbstained => Results.Count(r => r.Question.Expected is null && r.Correct);
    public double InScopeAccuracy => InScope == 0 ? 1 : (double)InScopeCorrect / InScope;
    public double AbstentionRate => OutOfScope == 0 ? 1 : (double)OutOfScopeAbstained / OutOfScope;
}

/// <summary>Scores the engine on a question set: in scope, the answer must contain an expected phrase; out of scope, it must abstain.</summary>
public sealed class AnswerEvaluator(AnswerEngine engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static IReadOnlyList<EvaluationQuestion> Load(string json) =>
        JsonSerializer.Deserialize<List<EvaluationQuestion>>(json, Json) ?? [];

    public async Task<EvaluationReport> EvaluateAsync(IEnumerable<EvaluationQuestion> questions, CancellationToken cancellationToken)
    {
        var results = new List<EvaluationResult>();
        foreach (var question in questions)
        {
            // Each question stands alone: a fresh conversation, so no follow-up context leaks between them.
            var context = new ChatContext { Platform = "eval", Thread = Guid.NewGuid().ToString("N") };
            var answer = await engine.AnswerAsync(question.Question, context, cancellationToken);
            var correct = question.Expected is null
                ? !answer.Answered
                : answer.Answered && question.Expected.Any(e => answer.Text.Contains(e, StringComparison.OrdinalIgnoreCase));
            results.Add(new EvaluationResult(question, answer, correct));
        }

        return new EvaluationReport(results);
    }
}

