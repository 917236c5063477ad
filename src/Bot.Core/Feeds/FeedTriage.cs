using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Bot.Core.Text;

namespace Bot.Core.Feeds;

/// <summary>
/// An editor's decisions on items that matched no incident: attach one to an incident (it becomes a
/// source of the incident, or an event when it has no link) or create a new incident from it. Both go
/// through <see cref="IncidentEditor"/>, so they are validated and written to the audit log like any edit. An attached
/// item is queued as a live post for the channels that follow its incident.
/// </summary>
public sealed class FeedTriage(IFeedStore store, IncidentEditor editor, TimeProvider time, CommandNames names, ItemPostOutbox? posts = null)
{
    public const int ListLimit = 10;

    public Task<IReadOnlyList<FeedItem>> PendingAsync(FeedOwner owner, CancellationToken cancellationToken) =>
        store.ListTriageAsync(owner, ListLimit, cancellationToken);

    public async Task<EditResult> AttachAsync(FeedOwner owner, long itemId, string incidentQuery, ContentAuthor author, CancellationToken cancellationToken)
    {
        if (await FindAsync(owner, itemId, cancellationToken) is not { } item) return NoSuchItem(itemId);
        var (incident, notFound) = await editor.OpenAsync(incidentQuery, cancellationToken);
        if (incident is null) return notFound!;
        return await AttachAsync(owner, item, incident.Incident.Slug, author, cancellationToken);
    }

    public async Task<EditResult> CreateIncidentAsync(FeedOwner owner, long itemId, string category, ContentAuthor author, CancellationToken cancellationToken)
    {
        if (await FindAsync(owner, itemId, cancellationToken) is not { } item) return NoSuchItem(itemId);
        var created = await editor.CreateAsync(new IncidentFields
        {
            Title = TextClipper.Clip(item.Title, EditLimits.Title),
            Category = category,
            Summary = TextClipper.Clip(item.Summary ?? item.Title, EditLimits.Summary),
        }, author, cancellationToken);
        if (created is not EditResult.Done { Incident: { } incident }) return created;
        return await AttachAsync(owner, item, incident.Slug, author, cancellationToken) is EditResult.Done
            ? new EditResult.Done(incident, $"Created {incident.Slug} from the item and attached it.")
            : created;
    }

    public async Task<EditResult> DismissAsync(FeedOwner owner, long itemId, CancellationToken cancellationToken)
    {
        if (await FindAsync(owner, itemId, cancellationToken) is null) return NoSuchItem(itemId);
        await store.DismissAsync(itemId, cancellationToken);
        return new EditResult.Done(null, $"Dismissed item {itemId}: it leaves the triage list.");
    }

    private async Task<EditResult> AttachAsync(FeedOwner owner, FeedItem item, string slug, ContentAuthor author, CancellationToken cancellationToken)
    {
        var recorded = item.Link is not null
            ? await editor.AddSourceAsync(slug, item.Link, $"{item.Outlet}: {item.Title}", author, cancellationToken)
            : await editor.AddEventAsync(slug, item.PublishedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                TextClipper.Clip($"{item.Outlet}: {item.Title}", EditLimits.EventText), null, author, cancellationToken);
        // Already cited (attached before, or the editor added the link by hand): the link below is still worth making.
        if (recorded is not EditResult.Done and not EditResult.Invalid { Field: "url" }) return recorded;
        var linked = await store.IndexAsync(item.Id, [slug], ItemLinkReason.Editor, FeedItemPassages.For(item), time.GetUtcNow(), cancellationToken);
        if (linked is null) return NoSuchItem(item.Id);
        var posted = posts is null ? 0 : await posts.QueueAsync(owner, linked, slug, cancellationToken);
        return new EditResult.Done(null, posted == 0
            ? $"Attached item {item.Id} to {slug}."
            : $"Attached item {item.Id} to {slug}; it is posted to the {Plural.Of(posted, "channel")} following {slug}.");
    }

    /// <summary>Only the owner's items: an editor of one workspace cannot act on another's feeds.</summary>
    private async Task<FeedItem?> FindAsync(FeedOwner owner, long itemId, CancellationToken cancellationToken)
    {
        var item = await store.GetItemAsync(itemId, cancellationToken);
        if (item is null) return null;
        var feed = await store.GetAsync(item.FeedId, cancellationToken);
        return feed?.Owner == owner ? item : null;
    }

    private EditResult.Refused NoSuchItem(long itemId) =>
        new(string.Create(CultureInfo.InvariantCulture, $"There is no item {itemId} in this workspace's feeds: {names.Slash("feeds")} triage lists them."));
}
