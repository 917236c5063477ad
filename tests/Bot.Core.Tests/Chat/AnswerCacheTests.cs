using Bot.Core.Chat;

namespace Bot.Core.Tests.Chat;

public class AnswerCacheTests
{
    private sealed class Version : IContentVersion
    {
        public long Current { get; set; }
    }

    [Fact]
    public void An_answer_is_reused_until_the_content_changes()
    {
        var version = new Version();
        var cache = new AnswerCache(version);
        cache.Add("incident balloon", [1], cache.Version);

        Assert.True(cache.TryGet("incident balloon", out var hit));
        Assert.Equal([1], hit);
        version.Current++;
        Assert.False(cache.TryGet("incident balloon", out _));
    }

    [Fact]
    public void An_answer_computed_on_older_content_is_not_kept()
    {
        var version = new Version();
        var cache = new AnswerCache(version);
        var before = cache.Version;
        version.Current++;

        cache.Add("incident balloon", [1], before);

        Assert.False(cache.TryGet("incident balloon", out _));
    }
}
