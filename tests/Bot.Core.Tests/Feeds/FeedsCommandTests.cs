using Bot.Core.Chat;
using Bot.Core.Feeds;
using Bot.Core.Incidents.Editing;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Feeds;

public class FeedsCommandTests
{
    private static readonly ChatContext Member = new() { Platform = "discord", Workspace = "guild-1", Channel = "c1", User = "u1", UserName = "bob" };
    private static readonly ChatContext Editor = Member with { CanEditContent = true, UserName = "alice" };

    private static FeedsCommand Command(FeedWorld world) => new(world.Feeds, world.Triage, world.Store.Editor,
        Options.Create(new ContentOptions()), Options.Create(new FeedOptions()), world.Store.Time);

    private static Task<ChatMessage> Run(FeedsCommand command, string line, ChatContext context) =>
        command.HandleAsync(new ChatRequest(line, context), CancellationToken.None);

    [Fact]
    public async Task Only_editors_manage_feeds()
    {
        await using var world = await FeedWorld.CreateAsync();
        var command = Command(world);

        var refused = await Run(command, "feeds add https://news.example/rss", Member);

        Assert.Equal(MessageKind.Error, refused.Kind);
        Assert.Equal("Not an editor", refused.Title);
        Assert.Empty(await world.Feeds.ListAsync(FeedOwner.For(Member), CancellationToken.None));
    }

    [Fact]
    public async Task Add_list_and_remove_belong_to_the_workspace_and_list_says_why_a_feed_is_off()
    {
        await using var world = await FeedWorld.CreateAsync();
        var command = Command(world);

        var added = await Run(command, "feeds add https://news.example/rss spy balloon", Editor);
        var badUrl = await Run(command, "feeds add javascript:alert(1)", Editor);
        var unknownIncident = await Run(command, "feeds add https://news.example/other no-such-thing", Editor);
        var feed = (await world.Feeds.ListAsync(FeedOwner.For(Editor), CancellationToken.None)).Single();
        await world.Feeds.SaveStatusAsync(feed.Id, new FeedStatus(null, null, null, world.Store.Time.GetUtcNow(), 1, world.Store.Time.GetUtcNow(), "refused: 127.0.0.1 is a loopback address",
            "refused: 127.0.0.1 is a loopback address", world.Store.Time.GetUtcNow()), CancellationToken.None);
        var list = await Run(command, "feeds list", Editor);
        var elsewhere = await Run(command, "feeds list", Editor with { Workspace = "guild-2" });
        var removed = await Run(command, "feeds remove https://news.example/rss", Editor);

        Assert.Equal("Feed added", added.Title);
        Assert.Contains("Every item is linked to balloon", added.Text, StringComparison.Ordinal);
        Assert.Equal(MessageKind.Error, badUrl.Kind);
        Assert.Equal(MessageKind.Error, unknownIncident.Kind);
        var line = Assert.Single(list.Sections.Single().Lines);
        Assert.Equal("off", line.Label);
        Assert.Contains("switched off: refused: 127.0.0.1 is a loopback address", line.Text, StringComparison.Ordinal);
        Assert.Equal("No feeds", elsewhere.Title);
        Assert.Equal("Feed removed", removed.Title);
    }

    [Fact]
    public async Task Triage_from_chat_lists_items_with_links_and_attaches_them_as_the_editor()
    {
        await using var world = await FeedWorld.CreateAsync();
        var command = Command(world);
        await Run(command, "feeds add https://news.example/rss", Editor);
        var feed = (await world.Feeds.ListAsync(FeedOwner.For(Editor), CancellationToken.None)).Single();
        world.Fetcher.Serve(feed.Url, FeedWorld.Item("1", "Officials weigh a response", link: "https://news.example/response"));
        await world.Ingestor.PollAsync(feed, CancellationToken.None);

        var pending = await Run(command, "feeds triage", Editor);
        var line = pending.Sections.Single().Lines.Single();
        var attached = await Run(command, $"feeds triage attach {line.Label} balloon", Editor);
        var empty = await Run(command, "feeds triage", Editor);

        Assert.Equal("https://news.example/response", line.Url);
        Assert.StartsWith("Attached item", attached.Text, StringComparison.Ordinal);
        Assert.Equal("Nothing waits in triage: every item is linked to an incident.", empty.Text);
        var history = await world.Store.Editor.HistoryAsync("balloon", CancellationToken.None);
        Assert.Equal(("source", "alice"), (history.Changes[0].Action, history.Changes[0].Author.UserName));
    }
}
