using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Bot.Core.Tests.Feeds;

/// <summary>
/// Precision and recall of the item linker on headlines written before it (linking-heldout.json). The
/// floors sit just under the first measurement: a change that makes linking worse fails here.
/// </summary>
public class LinkingHeldOutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_linker_on_the_held_out_headlines()
    {
        await using var world = await FeedWorld.CreateAsync();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Bot.Testing.RepoPaths.Root, "tests", "Bot.Core.Tests", "Feeds", "linking-heldout.json")));
        int truePositives = 0, falsePositives = 0, falseNegatives = 0, exact = 0, total = 0;
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var text = item.GetProperty("title").GetString() + " . " + item.GetProperty("summary").GetString();
            var expected = item.GetProperty("expected").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
            var found = (await world.Linker.MatchAsync(text, CancellationToken.None)).ToHashSet();
            truePositives += found.Intersect(expected).Count();
            falsePositives += found.Except(expected).Count();
            falseNegatives += expected.Except(found).Count();
            total++;
            if (found.SetEquals(expected)) exact++;
            else output.WriteLine($"{item.GetProperty("title").GetString()}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }

        var precision = truePositives / (double)Math.Max(1, truePositives + falsePositives);
        var recall = truePositives / (double)Math.Max(1, truePositives + falseNegatives);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"links: precision {precision:P0} ({truePositives}/{truePositives + falsePositives}), recall {recall:P0} ({truePositives}/{truePositives + falseNegatives}); items exactly right {exact}/{total}"));
        Assert.True(total >= 30);
        // First (and only tuned-free) measurement: precision 25/26, recall 25/26, 30 of 32 items exactly right.
        Assert.True(precision >= 0.9, $"precision {precision:P0}");
        Assert.True(recall >= 0.9, $"recall {recall:P0}");
    }
}
