using System.CommandLine;
using System.Globalization;
using Bot.Core.Briefings;
using Bot.Core.Chat;

namespace Bot.Cli;

/// <summary>Scheduled briefings: <c>digest</c> and <c>subscriptions list|add|remove</c>.</summary>
internal static class BriefingCliCommands
{
    public static void AddTo(RootCommand root, Option<bool> json, CliIo io)
    {
        var digestDate = new Option<string?>("--date") { Description = "Local date as YYYY-MM-DD (default: today, UTC)" };
        var digest = new Command("digest", "Print the daily digest for a date") { digestDate };
        digest.SetAction((parse, ct) => DigestAsync(parse.GetValue(digestDate), parse.GetValue(json), io, ct));
        root.Subcommands.Add(digest);

        var subsList = new Command("list", "Every subscription, with its next post time and any failure");
        subsList.SetAction((parse, ct) => ListSubscriptionsAsync(parse.GetValue(json), io, ct));
        var platform = new Option<string>("--platform") { Required = true, Description = "discord or slack" };
        var workspace = new Option<string>("--workspace") { Required = true, Description = "Guild id (Discord) or team id (Slack)" };
        var channel = new Option<string>("--channel") { Required = true, Description = "Channel id" };
        var kindArgument = new Argument<string>("kind") { Description = "digest, onthisday or items (live posts of new feed items on --incident)" };
        var at = new Option<string?>("--time") { Description = "Local time HH:MM (default 09:00)" };
        var zone = new Option<string?>("--zone") { Description = "IANA time zone (default UTC)" };
        var incident = new Option<string?>("--incident") { Description = "For items: the incident whose new items are posted (slug or name)" };
        var subsAdd = new Command("add", "Subscribe a channel") { kindArgument, platform, workspace, channel, at, zone, incident };
        subsAdd.SetAction((parse, ct) => ChatInAsync(
            $"briefing subscribe {parse.GetValue(kindArgument)} {parse.GetValue(incident)} {parse.GetValue(at)} {parse.GetValue(zone)}",
            parse.GetValue(platform)!, parse.GetValue(workspace)!, parse.GetValue(channel)!, parse.GetValue(json), io, ct));
        var subsRemove = new Command("remove", "Unsubscribe a channel") { kindArgument, platform, workspace, channel, incident };
        subsRemove.SetAction((parse, ct) => ChatInAsync(
            $"briefing unsubscribe {parse.GetValue(kindArgument)} {parse.GetValue(incident)}", parse.GetValue(platform)!, parse.GetValue(workspace)!, parse.GetValue(channel)!, parse.GetValue(json), io, ct));
        root.Subcommands.Add(new Command("subscriptions", "Scheduled briefings (the running host picks changes up within 30 s)") { subsList, subsAdd, subsRemove });

        var historyChannel = new Option<string?>("--channel") { Description = "Only this channel id" };
        var limit = new Option<int>("--limit") { Description = "How many to show", DefaultValueFactory = _ => 50 };
        var deliveries = new Command("deliveries", "Recent scheduled posts, newest first: status, attempts, when posted, the last error") { historyChannel, limit };
        deliveries.SetAction((parse, ct) => DeliveriesAsync(parse.GetValue(historyChannel), parse.GetValue(limit), parse.GetValue(json), io, ct));
        root.Subcommands.Add(deliveries);
    }

    /// <summary>The platforms that can post a scheduled briefing; a subscription for any other would never be delivered.</summary>
    private static readonly string[] Platforms = ["discord", "slack"];

    /// <summary>A command run as if typed in one platform channel by a channel manager (the CLI is the operator's tool).</summary>
    private static async Task<int> ChatInAsync(string commandLine, string platform, string workspace, string channel, bool asJson, CliIo io, CancellationToken cancellationToken)
    {
        var name = platform.Trim().ToLowerInvariant();
        if (!Platforms.Contains(name))
        {
            await io.Error.WriteLineAsync($"bot: --platform must be {string.Join(" or ", Platforms)} (got '{platform}')");
            return 1;
        }

        return await BotCli.ChatAsync(commandLine, asJson, io, cancellationToken, context: new ChatContext
        {
            Platform = name,
            Workspace = workspace,
            Channel = channel,
            CanManageBriefings = true,
        });
    }

    private static Task<int> ListSubscriptionsAsync(bool asJson, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: false, async services =>
        {
            var all = await services.GetRequiredService<ISubscriptionStore>().ListAsync(null, null, null, cancellationToken);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var rows = all.Select(s => new
            {
                s.Id,
                s.Platform,
                s.Workspace,
                s.Channel,
                Kind = Subscription.KindName(s.Kind),
                Incident = s.Topic,
                Time = s.IsLive ? null : s.LocalTime.ToString("HH:mm", CultureInfo.InvariantCulture),
                Zone = s.TimeZone,
                // Live posts have no schedule: they go out as items arrive.
                Next = s.IsLive ? (DateTimeOffset?)null : TimeZoneInfo.ConvertTime(BriefingClock.Next(s, now), s.Zone),
                s.FailingSince,
                s.FailureReason,
                s.PausedSince,
                s.PauseReason,
            }).ToList();
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(rows));
                return 0;
            }

            if (rows.Count == 0) await io.Output.WriteLineAsync("No subscriptions.");
            foreach (var r in rows)
                await io.Output.WriteLineAsync($"#{r.Id} {r.Platform}/{r.Workspace}/{r.Channel} {r.Kind} "
                    + (r.Incident is null ? $"{r.Time} {r.Zone} · next {r.Next:ddd d MMM HH:mm}" : $"{r.Incident} · live, as new items arrive")
                    + $"{(r.PausedSince is null ? "" : $" · paused: {r.PauseReason}")}{(r.FailingSince is null ? "" : $" · failing: {r.FailureReason}")}");
            return 0;
        }, cancellationToken);

    private static Task<int> DeliveriesAsync(string? channel, int limit, bool asJson, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: false, async services =>
        {
            var records = await services.GetRequiredService<IDeliveryStore>().RecentAsync(channel, Math.Clamp(limit, 1, 1000), cancellationToken);
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(records.Select(r => new
                {
                    r.Delivery.Id,
                    r.Platform,
                    r.Workspace,
                    r.Channel,
                    Kind = Subscription.KindName(r.Kind),
                    Incident = r.Topic,
                    r.Delivery.ItemId,
                    LocalDate = r.Delivery.LocalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Status = r.Delivery.Status,
                    r.Delivery.Attempts,
                    PostedAt = r.Delivery.SentAt,
                    r.Delivery.LastAttemptAt,
                    r.Delivery.LastError,
                    r.Delivery.PlatformMessageId,
                })));
                return 0;
            }

            if (records.Count == 0) await io.Output.WriteLineAsync(channel is null ? "No deliveries yet." : $"No deliveries to channel {channel} yet.");
            foreach (var r in records)
                await io.Output.WriteLineAsync(HistoryLine(r));
            return 0;
        }, cancellationToken);

    private static string HistoryLine(DeliveryRecord record)
    {
        var d = record.Delivery;
        var posted = d.SentAt is { } at
            ? $"posted {TimeZoneInfo.ConvertTime(at, TimeZone(record.TimeZone)).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} {record.TimeZone}"
            : "not posted";
        return $"{d.LocalDate:yyyy-MM-dd} {record.Platform}/{record.Workspace}/{record.Channel} {Subscription.KindName(record.Kind)}"
            + (record.Topic is null ? " · " : $" {record.Topic} · item {d.ItemId} · ")
            + $"{d.Status.ToString().ToLowerInvariant()} · {Core.Text.Plural.Of(d.Attempts, "attempt")} · {posted}"
            + (d.LastError is null ? string.Empty : $" · last error: {d.LastError}");
    }

    private static TimeZoneInfo TimeZone(string name) => BriefingClock.TryParseZone(name, out var zone) ? zone : TimeZoneInfo.Utc;

    private static Task<int> DigestAsync(string? date, bool asJson, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            var time = services.GetRequiredService<TimeProvider>();
            DateOnly localDate;
            if (date is null)
                localDate = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out localDate))
            {
                await io.Error.WriteLineAsync($"bot: “{date}” is not a date like 2026-02-04");
                return 1;
            }

            var (message, _) = await services.GetRequiredService<BriefingService>().ComposeAsync(BriefingKind.Digest, localDate, null, cancellationToken);
            await BotCli.PrintAsync(message!, asJson, io);
            return 0;
        }, cancellationToken);
}
