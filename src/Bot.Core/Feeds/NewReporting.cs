using System.Globalization;
using Bot.Core.Chat;

namespace Bot.Core.Feeds;

/// <summary>
/// The digest's "New reporting": per incident (the one with the newest item first) the items published
/// since the channel's last digest, newest first, at most <see cref="PerIncident"/> each and
/// <see cref="Overall"/> in all, then "and N more". Each line is the item's title linked to its article,
/// with the outlet and the time.
/// </summary>
public static class NewReporting
{
    public const int PerIncident = 5;
    public const int Overall = 15;
    public const string Heading = "New reporting";

    public static async Task<MessageSection?> ComposeAsync(IFeedStore store, FeedOwner owner, DateTimeOffset since, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var page = await store.ListReportsAsync(owner, since, DateTimeOffset.MaxValue, PerIncident, Overall, cancellationToken);
        return page.Total == 0 ? null : new MessageSection(Heading, Lines(page, zone));
    }

    public static IReadOnlyList<MessageLine> Lines(ReportPage page, TimeZoneInfo zone)
    {
        var lines = new List<MessageLine>();
        var shown = 0;
        foreach (var incident in page.Reports.GroupBy(r => r.Slug))
        {
            foreach (var report in incident.OrderByDescending(r => r.Item.PublishedAt).Take(PerIncident))
            {
                if (shown == Overall) break;
                var when = TimeZoneInfo.ConvertTime(report.Item.PublishedAt, zone).ToString("d MMM HH:mm", CultureInfo.InvariantCulture);
                lines.Add(new MessageLine(report.Slug, $"{report.Item.Title} — {report.Item.Outlet}, {when}") { Url = report.Item.Link });
                shown++;
            }
        }

        if (page.Total > shown) lines.Add(new MessageLine(null, $"and {page.Total - shown} more"));
        return lines;
    }
}
