using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Bot.Core.Text;
using Microsoft.Extensions.Options;

namespace Bot.Core.Feeds;

/// <summary>
/// <c>/feeds add &lt;url&gt; [incident]</c>, <c>list</c>, <c>remove &lt;url&gt;</c> and <c>triage</c> (with
/// <c>attach &lt;item&gt; &lt;incident&gt;</c>, <c>new &lt;item&gt; &lt;category&gt;</c>, <c>dismiss &lt;item&gt;</c>): the feeds of the
/// asker's guild or workspace. Editors only, by the same rule as editing incidents.
/// </summary>
public sealed class FeedsCommand(IFeedStore store, FeedTriage triage, IncidentEditor editor, IOptions<ContentOptions> content, IOptions<FeedOptions> options, TimeProvider time)
    : ICommandHandler
{
    public const int MaxFeedsPerWorkspace = 200;

    public IReadOnlyList<string> Names { get; } = ["feeds"];

    public string Usage => "/feeds add <url> [incident] · /feeds list · /feeds remove <url> · /feeds triage";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        if (!content.Value.MayEdit(request.Context))
            return ChatMessage.Error("Only editors can manage news feeds. Ask someone with Manage Server (Discord) or a workspace admin (Slack), or an editor the bot's settings name.", "Not an editor");
        var owner = FeedOwner.For(request.Context);
        var (verb, rest) = Split(request.Arguments);
        return verb.ToLowerInvariant() switch
        {
            "add" => await AddAsync(owner, rest, cancellationToken),
            "list" or "" => await ListAsync(owner, cancellationToken),
            "remove" => await RemoveAsync(owner, rest, cancellationToken),
            "triage" => await TriageAsync(owner, rest, Author(request.Context), cancellationToken),
            _ => ChatMessage.Error(Usage, "Feeds"),
        };
    }

    private async Task<ChatMessage> AddAsync(FeedOwner owner, string arguments, CancellationToken cancellationToken)
    {
        var (address, incidentQuery) = Split(arguments);
        if (!EditLimits.TryUrl(address, out var url, out var problem))
            return ChatMessage.Error($"The feed's address {problem}. Example: /feeds add https://example.org/rss.xml balloon", "Feeds");
        string? slug = null;
        if (incidentQuery.Length > 0)
        {
            var (incident, notFound) = await editor.OpenAsync(incidentQuery, cancellationToken);
            if (incident is null) return ChatMessage.Error(NotFound(notFound!), "Feeds");
            slug = incident.Incident.Slug;
        }

        var existing = await store.ListAsync(owner, cancellationToken);
        if (existing.Count >= MaxFeedsPerWorkspace && existing.All(f => f.Url != url!.AbsoluteUri))
            return ChatMessage.Error($"This workspace already has {MaxFeedsPerWorkspace} feeds: remove one first.", "Feeds");
        var (feed, added) = await store.AddAsync(owner, url!.AbsoluteUri, slug, FeedPolling.ClampInterval(options.Value.DefaultIntervalMinutes), time.GetUtcNow(), cancellationToken);
        var about = feed.IncidentSlug is null ? "Items are linked to the incidents they name; the rest wait in /feeds triage." : $"Every item is linked to {feed.IncidentSlug}.";
        var text = added
            ? $"Added {feed.Url}: fetched every {feed.IntervalMinutes} minutes, the first time within a minute. {about}"
            : $"{feed.Url} is already followed here; it is fetched again within a minute. {about}";
        return new ChatMessage { Kind = MessageKind.Card, Emoji = "📰", Title = added ? "Feed added" : "Feed already followed", Text = text, Ephemeral = true };
    }

    private async Task<ChatMessage> ListAsync(FeedOwner owner, CancellationToken cancellationToken)
    {
        var feeds = await store.ListAsync(owner, cancellationToken);
        if (feeds.Count == 0)
            return new ChatMessage { Kind = MessageKind.Notice, Title = "No feeds", Text = "No news feeds here yet: /feeds add <url> [incident] follows one.", Ephemeral = true };
        var lines = feeds.Select(f => new MessageLine(StatusLabel(f), Describe(f))).ToList();
        var failing = feeds.Count(f => f.IsFailing || f.IsDisabled);
        return new ChatMessage
        {
            Kind = MessageKind.Card,
            Emoji = "📰",
            Title = $"News feeds ({feeds.Count})",
            Sections = [new MessageSection("Feeds", lines)],
            Footer = failing == 0 ? "All feeds are healthy." : $"{Plural.Of(failing, "feed")} need attention: a switched-off feed starts again with /feeds add <url>.",
            Ephemeral = true,
        };
    }

    public static string StatusLabel(Feed feed) => feed.IsDisabled ? "off" : feed.IsFailing ? "failing" : "ok";

    /// <summary>One feed on one line: what it is, how much it brought, and what is wrong with it.</summary>
    public static string Describe(Feed feed)
    {
        var parts = new List<string> { feed.Url };
        if (feed.Title is not null) parts.Add(feed.Title);
        if (feed.IncidentSlug is not null) parts.Add($"for {feed.IncidentSlug}");
        parts.Add(Plural.Of(feed.ItemCount, "item"));
        if (feed.IsDisabled) parts.Add($"switched off: {feed.DisabledReason}");
        else if (feed.IsFailing)
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"failing since {feed.FailingSince:d MMM HH:mm} UTC ({Plural.Of(feed.ConsecutiveFailures, "attempt")}): {feed.LastError}"));
        else if (feed.LastFetchedAt is null) parts.Add("not fetched yet");
        return string.Join(" · ", parts);
    }

    private async Task<ChatMessage> RemoveAsync(FeedOwner owner, string arguments, CancellationToken cancellationToken)
    {
        var (address, _) = Split(arguments);
        var url = EditLimits.TryUrl(address, out var parsed, out _) ? parsed!.AbsoluteUri : address;
        return await store.RemoveAsync(owner, url, cancellationToken)
            ? new ChatMessage { Kind = MessageKind.Card, Emoji = "📰", Title = "Feed removed", Text = $"Removed {url} and its items.", Ephemeral = true }
            : ChatMessage.Error($"No feed {TextClipper.Clip(url, 200)} here: /feeds list shows them.", "Feeds");
    }

    private async Task<ChatMessage> TriageAsync(FeedOwner owner, string arguments, ContentAuthor author, CancellationToken cancellationToken)
    {
        var (action, rest) = Split(arguments);
        action = action.ToLowerInvariant();
        if (action.Length == 0 || action == "list") return await PendingAsync(owner, cancellationToken);
        var (itemText, target) = Split(rest);
        if (!long.TryParse(itemText.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var itemId))
            return ChatMessage.Error("Name the item by its number from /feeds triage, e.g. /feeds triage attach 12 balloon.", "Triage");
        var result = action switch
        {
            "attach" when target.Length > 0 => await triage.AttachAsync(owner, itemId, target, author, cancellationToken),
            "new" when target.Length > 0 => await triage.CreateIncidentAsync(owner, itemId, target, author, cancellationToken),
            "dismiss" => await triage.DismissAsync(owner, itemId, cancellationToken),
            _ => null,
        };
        return result switch
        {
            null => ChatMessage.Error("/feeds triage attach <item> <incident> · /feeds triage new <item> <category> · /feeds triage dismiss <item>", "Triage"),
            EditResult.Done done => new ChatMessage { Kind = MessageKind.Card, Emoji = "📰", Title = "Triage", Text = done.Summary, IncidentSlug = done.Incident?.Slug, Ephemeral = true },
            EditResult.Invalid invalid => ChatMessage.Error($"{invalid.Field}: {invalid.Message}", "Triage"),
            EditResult.NotFound notFound => ChatMessage.Error(NotFound(notFound), "Triage"),
            EditResult.Refused refused => ChatMessage.Error(refused.Message, "Triage"),
            _ => ChatMessage.Error("The incident changed meanwhile: try again.", "Triage"),
        };
    }

    private async Task<ChatMessage> PendingAsync(FeedOwner owner, CancellationToken cancellationToken)
    {
        var items = await triage.PendingAsync(owner, cancellationToken);
        if (items.Count == 0)
            return new ChatMessage { Kind = MessageKind.Notice, Title = "Triage", Text = "Nothing waits in triage: every item is linked to an incident.", Ephemeral = true };
        return new ChatMessage
        {
            Kind = MessageKind.Card,
            Emoji = "📥",
            Title = $"Items waiting for an incident ({items.Count})",
            Sections = [new MessageSection("Triage", items.Select(i => new MessageLine(
                string.Create(CultureInfo.InvariantCulture, $"#{i.Id}"),
                $"{i.Title} — {i.Outlet}, {i.PublishedAt.ToString("d MMM HH:mm", CultureInfo.InvariantCulture)}") { Url = i.Link }).ToList())],
            Footer = "/feeds triage attach <item> <incident> · /feeds triage new <item> <category> · /feeds triage dismiss <item>",
            Ephemeral = true,
        };
    }

    private static string NotFound(EditResult result) => result switch
    {
        EditResult.NotFound { Suggestions.Count: > 0 } n => $"No incident is called “{TextClipper.Clip(n.Query, 60)}”. Did you mean {string.Join(", ", n.Suggestions)}?",
        EditResult.NotFound n => $"No incident is called “{TextClipper.Clip(n.Query, 60)}”.",
        EditResult.Invalid i => i.Message,
        _ => "No such incident.",
    };

    private static ContentAuthor Author(ChatContext context) => context.Platform == "cli"
        ? ContentAuthor.Cli
        : new ContentAuthor(ContentSource.Chat, context.Platform, context.Workspace, context.User, context.UserName);

    private static (string First, string Remainder) Split(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        return space < 0 ? (trimmed, "") : (trimmed[..space], trimmed[(space + 1)..].Trim());
    }
}
