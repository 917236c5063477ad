using Bot.Core.Chat;

namespace Bot.Core.Tests.Chat;

public class RenderedReplyCacheTests
{
    private sealed class Version : IContentVersion
    {
        public long Current { get; set; }
    }

    private static Func<Task<(byte[]? Bytes, bool Keep)>> Render(byte value, bool keep = true, Action? during = null, List<byte>? calls = null) => () =>
    {
        calls?.Add(value);
        during?.Invoke();
        return Task.FromResult<(byte[]?, bool)>(([value], keep));
    };

    [Fact]
    public async Task A_reply_is_rendered_once_and_reused_until_the_content_changes()
    {
        var version = new Version();
        var cache = new RenderedReplyCache(version);
        var calls = new List<byte>();

        var first = await cache.GetOrAddAsync("incident balloon", Render(1, calls: calls));
        var second = await cache.GetOrAddAsync("incident balloon", Render(2, calls: calls));
        version.Current++;
        var third = await cache.GetOrAddAsync("incident balloon", Render(3, calls: calls));

        Assert.Equal([1], first);
        Assert.Equal([1], second);
        Assert.Equal([3], third);
        Assert.Equal([1, 3], calls);
    }

    [Fact]
    public async Task A_reply_rendered_while_the_content_changed_is_not_kept()
    {
        var version = new Version();
        var cache = new RenderedReplyCache(version);

        await cache.GetOrAddAsync("incident balloon", Render(1, during: () => version.Current++));
        var next = await cache.GetOrAddAsync("incident balloon", Render(2));

        Assert.Equal([2], next);
    }

    [Fact]
    public async Task A_reply_the_renderer_says_is_not_the_answer_is_not_kept()
    {
        var cache = new RenderedReplyCache(new Version());

        await cache.GetOrAddAsync("ask slow", Render(1, keep: false));
        var next = await cache.GetOrAddAsync("ask slow", Render(2));

        Assert.Equal([2], next);
    }
}
