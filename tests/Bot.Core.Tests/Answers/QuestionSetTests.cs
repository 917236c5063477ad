using Bot.Core.Answers;
using Bot.Testing;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Answers;

/// <summary>
/// The team's own question set through the lexical engine (<c>Answers:Embeddings=false</c>): the bar it must keep
/// (see the README, "Scores", for the figures).
/// </summary>
public class QuestionSetTests(AnswerFixture fixture, ITestOutputHelper output) : IClassFixture<AnswerFixture>
{
    [Fact]
    public async Task The_engine_answers_in_scope_questions_and_abstains_on_the_rest()
    {
        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "questions", "questions.json")));

        var report = await new AnswerEvaluator(fixture.Engine).EvaluateAsync(questions, CancellationToken.None);

        foreach (var miss in report.Results.Where(r => !r.Correct))
            output.WriteLine($"MISS {miss.Question.Question} -> {miss.Answer.Text}");
        output.WriteLine($"in scope {report.InScopeCorrect}/{report.InScope} ({report.InScopeAccuracy:P1}), out of scope {report.OutOfScopeAbstained}/{report.OutOfScope} ({report.AbstentionRate:P1})");
        Assert.True(report.InScope >= 60, "the set needs at least 60 in-scope questions");
        Assert.True(report.OutOfScope >= 15, "the set needs at least 15 out-of-scope questions");
        // 98/102 before "why" needed a sentence giving a reason; the lexical engine now measures 96/102 here (one reason
        // without a marker, one near-tie in ranking) while gaining on the chat-style sets (README, "Scores").
        Assert.True(report.InScopeAccuracy >= 0.94, $"in-scope accuracy {report.InScopeAccuracy:P1} is below 94%");
        Assert.True(report.AbstentionRate >= 0.90, $"abstention {report.AbstentionRate:P1} is below 90%");
    }

    [Fact]
    public async Task Every_incident_and_every_question_type_is_covered_by_the_set()
    {
        var questions = AnswerEvaluator.Load(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "tests", "questions", "questions.json")));
        var slugs = Directory.GetFiles(RepoPaths.Seeds, "*.json").Select(Path.GetFileNameWithoutExtension);

        Assert.All(slugs, slug => Assert.Contains(questions, q => q.Incident == slug));
        foreach (var type in new[] { "when", "who", "where", "what", "which", "why", "how-many" })
            Assert.Contains(questions, q => q.Type == type);
    }
}
