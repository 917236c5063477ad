using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Chat;

namespace Bot.Core.Answers;

/// <summary>
/// One question of an evaluation set: expected answers (any of them) or null when the engine should
/// say "I don't know"; <see cref="Style"/> says how it is asked (paraphrase, casual, misspelt, numbers,
/// which, off-topic, unanswerable) so scores can be read per style.
/// </summary>
public sealed record EvaluationQuestion(string Question, IReadOnlyList<string>? Expected, string? Incident, string? Type, string? Style = null);

public sealed record EvaluationResult(EvaluationQuestion Question, Answer Answer, bool Correct);

/// <summary>Scores of one group of questions (all of them, or one style).</summary>
public sealed record EvaluationScore(string Name, int InScope, int InScopeCorrect, int OutOfScope, int OutOfScopeAbstained)
{
    public int Total => InScope + OutOfScope;
    public int Correct => InScopeCorrect + OutOfScopeAbstained;
    public double Accuracy => Total == 0 ? 1 : (double)Correct / Total;

    public static EvaluationScore Of(string name, IEnumerable<EvaluationResult> results)
    {
        var list = results.ToList();
        return new EvaluationScore(
            name,
            list.Count(r => r.Question.Expected is not null),
            list.Count(r => r.Question.Expected is not null && r.Correct),
            list.Count(r => r.Question.Expected is null),
            list.Count(r => r.Question.Expected is null && r.Correct));
    }
}

public sealed record EvaluationReport(IReadOnlyList<EvaluationResult> Results)
{
    public int InScope => Results.Count(r => r.Question.Expected is not null);
    public int InScopeCorrect => Results.Count(r => r.Question.Expected is not null && r.Correct);
    public int OutOfScope => Results.Count(r => r.Question.Expected is null);
    public int OutOfScopeAbstained => Results.Count(r => r.Question.Expected is null && r.Correct);
    public double InScopeAccuracy => InScope == 0 ? 1 : (double)InScopeCorrect / InScope;
    public double AbstentionRate => OutOfScope == 0 ? 1 : (double)OutOfScopeAbstained / OutOfScope;

    /// <summary>Scores per style, in the order styles first appear; questions without one count as "unstyled".</summary>
    public IReadOnlyList<EvaluationScore> ByStyle => Results
        .GroupBy(r => r.Question.Style ?? "unstyled")
        .Select(g => EvaluationScore.Of(g.Key, g))
        .ToList();
}

/// <summary>
/// Scores the engine on a question set. In scope, the engine must answer (confidently) and its answer
/// must contain an expected phrase; out of scope, only "I don't know" counts: offering the closest
/// sentence to a question the store cannot answer is not an abstention.
/// </summary>
public sealed class AnswerEvaluator(AnswerEngine engine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The questions of a set, or <see cref="InvalidDataException"/> saying what is wrong with it.</summary>
    public static IReadOnlyList<EvaluationQuestion> Load(string json)
    {
        List<EvaluationQuestion?>? questions;
        try
        {
            questions = JsonSerializer.Deserialize<List<EvaluationQuestion?>>(json, Json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // A lone surrogate ("\ud800") lands here too: the JSON reader cannot make a string of it.
            throw new InvalidDataException($"not a JSON array of questions ({e.Message.Split('\n')[0]})", e);
        }

        if (questions is null) throw new InvalidDataException("not a JSON array of questions");
        var blank = questions.FindIndex(q => q is null || string.IsNullOrWhiteSpace(q.Question));
        if (blank >= 0) throw new InvalidDataException($"entry {blank + 1} has no question");
        return questions!;
    }

    public static bool IsCorrect(EvaluationQuestion question, Answer answer) => question.Expected is null
        ? answer.Level == AnswerLevel.Unknown
        : answer.Answered && question.Expected.Any(e => answer.Text.Contains(e, StringComparison.OrdinalIgnoreCase));

    public async Task<EvaluationReport> EvaluateAsync(IEnumerable<EvaluationQuestion> questions, CancellationToken cancellationToken)
    {
        var results = new List<EvaluationResult>();
        foreach (var question in questions)
        {
            // Each question stands alone: a fresh conversation, so no follow-up context leaks between them.
            var context = new ChatContext { Platform = "eval", Thread = Guid.NewGuid().ToString("N") };
            var answer = await engine.AnswerAsync(question.Question, context, cancellationToken);
            results.Add(new EvaluationResult(question, answer, IsCorrect(question, answer)));
        }

        return new EvaluationReport(results);
    }
}
