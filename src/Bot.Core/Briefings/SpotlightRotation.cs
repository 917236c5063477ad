using Bot.Core.Incidents;

namespace Bot.Core.Briefings;

/// <summary>
/// Which incident a digest features: for a subscription, one it never featured (first in slug order),
/// else the one it featured longest ago; without a subscription (a preview), a rotation by day.
/// </summary>
public sealed class SpotlightRotation(IIncidentStore incidents, IDeliveryStore deliveries)
{
    private const int MinPage = 16;
    private const int MaxPage = 1000;

    public async Task<string?> PickAsync(long? subscriptionId, int dayNumber, CancellationToken cancellationToken)
    {
        if (subscriptionId is not { } id)
        {
            var count = (await incidents.GetStatsAsync(cancellationToken)).Incidents;
            if (count == 0) return null;
            return await incidents.ListSlugsAsync(dayNumber % count, 1, cancellationToken) is [var slug, ..] ? slug : null;
        }

        var lastFeatured = (await deliveries.FeaturedAsync(id, cancellationToken)).ToDictionary(f => f.Slug, f => f.LastFeaturedOn, StringComparer.Ordinal);
        // A page a little longer than the featured list usually reaches a never-featured slug at once.
        var page = Math.Clamp(lastFeatured.Count + 1, MinPage, MaxPage);
        var stillThere = new List<string>();
        for (var offset = 0; ; offset += page)
        {
            var slugs = await incidents.ListSlugsAsync(offset, page, cancellationToken);
            foreach (var slug in slugs)
            {
                if (!lastFeatured.ContainsKey(slug)) return slug;
                stillThere.Add(slug);
            }

            if (slugs.Count < page) break;
        }

        return stillThere.OrderBy(s => lastFeatured[s]).ThenBy(s => s, StringComparer.Ordinal).FirstOrDefault();
    }
}
