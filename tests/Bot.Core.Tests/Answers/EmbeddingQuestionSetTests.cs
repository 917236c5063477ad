using Bot.Core.Answers;
using Bot.Testing;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Answers;

/// <summary>
/// The question sets through the engine as the host runs it (model and vectors): the chat-style tuning set and the
/// team's old set. The floors are the scores measured when the judge was calibrated (docs/qa.md): a change that
/// lowers them fails here. The targets (tuning ≥ 90 % / 90 %) are not reached yet; see docs/qa.md.
/// </summary>
[Collection("model")]
public class EmbeddingQuestionSetTests(ModelFixture model, ITestOutputHelper output)
{
    [Theory]
    [InlineData("tuning.json", 0.86, 0.88)]
    [InlineData("questions.json", 0.97, 0.92)]
    public async Task The_engine_keeps_its_measured_scores(string file, double inScope, double abstained)
    {
        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "questions", file)));

        var report = await new AnswerEvaluator(model.Engine).EvaluateAsync(questions, CancellationToken.None);

        foreach (var miss in report.Results.Where(r => !r.Correct))
            output.WriteLine($"MISS [{miss.Question.Style}] {miss.Question.Question} -> {miss.Answer.Text}");
        foreach (var style in report.ByStyle) output.WriteLine($"{style.Name}: {style.Correct}/{style.Total}");
        output.WriteLine($"in scope {report.InScopeCorrect}/{report.InScope} ({report.InScopeAccuracy:P1}), out of scope {report.OutOfScopeAbstained}/{report.OutOfScope} ({report.AbstentionRate:P1})");
        Assert.True(report.InScopeAccuracy >= inScope, $"in-scope accuracy {report.InScopeAccuracy:P1} is below {inScope:P0}");
        Assert.True(report.AbstentionRate >= abstained, $"abstention {report.AbstentionRate:P1} is below {abstained:P0}");
    }

    [Fact]
    public async Task The_tuning_set_has_every_style()
    {
        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "questions", "tuning.json")));

        foreach (var style in new[] { "paraphrase", "casual", "misspelt", "numbers", "which", "off-topic", "unanswerable" })
            Assert.Contains(questions, q => q.Style == style);
    }
}
