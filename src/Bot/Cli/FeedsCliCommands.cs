using System.CommandLine;
using Bot.Core.Chat;
using Bot.Core.Feeds;

namespace Bot.Cli;

/// <summary>
/// <c>bot feeds add|list|remove|triage</c> run the chat command as the local workspace (the playground's);
/// <c>bot feeds poll</c> fetches every due feed once, of every workspace, and prints what it stored.
/// </summary>
internal static class FeedsCliCommands
{
    public static void AddTo(RootCommand root, Option<bool> json, CliIo io)
    {
        var url = new Argument<string>("url") { Description = "The feed's web address" };
        var incident = new Argument<string?>("incident") { Description = "Link every item to this incident", Arity = ArgumentArity.ZeroOrOne };
        var add = new Command("add", "Follow a feed in the local workspace") { url, incident };
        add.SetAction((parse, ct) => BotCli.ChatAsync($"feeds add {parse.GetValue(url)} {parse.GetValue(incident)}", parse.GetValue(json), io, ct));

        var list = new Command("list", "The local workspace's feeds, with failing and switched-off ones and why");
        list.SetAction((parse, ct) => BotCli.ChatAsync("feeds list", parse.GetValue(json), io, ct));

        var removeUrl = new Argument<string>("url") { Description = "The feed's web address" };
        var remove = new Command("remove", "Stop following a feed") { removeUrl };
        remove.SetAction((parse, ct) => BotCli.ChatAsync($"feeds remove {parse.GetValue(removeUrl)}", parse.GetValue(json), io, ct));

        var triageWords = new Argument<string[]>("action") { Description = "list (default) | attach <item> <incident> | new <item> <category> | dismiss <item>", Arity = ArgumentArity.ZeroOrMore };
        var triage = new Command("triage", "Items that matched no incident, and what an editor does with them") { triageWords };
        triage.SetAction((parse, ct) => BotCli.ChatAsync($"feeds triage {string.Join(' ', parse.GetValue(triageWords) ?? [])}", parse.GetValue(json), io, ct));

        var poll = new Command("poll", "Fetch every due feed once and print what was stored");
        poll.SetAction((parse, ct) => PollAsync(parse.GetValue(json), io, ct));

        root.Subcommands.Add(new Command("feeds", "News feeds: follow, list, remove, poll, triage") { add, list, remove, poll, triage });
    }

    private static Task<int> PollAsync(bool asJson, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            if (services.GetService<IFeedFetcher>() is null)
            {
                await io.Error.WriteLineAsync("bot: this build has no feed fetcher, so feeds cannot be polled");
                return 2;
            }

            var reports = await services.GetRequiredService<FeedRound>().RunAsync(int.MaxValue, cancellationToken);
            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(reports.Select(r => new
                {
                    r.Feed.Id,
                    r.Feed.Url,
                    Outcome = r.Outcome.ToString(),
                    r.Problem,
                    r.DisabledReason,
                    r.New,
                    r.Updated,
                    r.ToTriage,
                    Items = r.Items.Where(i => i.Change != ItemChange.Unchanged).Select(i => new
                    {
                        i.Item.Id,
                        Change = i.Change.ToString(),
                        i.Item.Title,
                        i.Item.Link,
                        i.Item.PublishedAt,
                        i.Item.Incidents,
                    }),
                })));
                return 0;
            }

            if (reports.Count == 0) await io.Output.WriteLineAsync("No feed is due.");
            foreach (var report in reports)
            {
                var outcome = report.Outcome switch
                {
                    FeedFetchOutcome.Fetched => $"{report.New} new, {report.Updated} updated, {report.ToTriage} to triage",
                    FeedFetchOutcome.NotModified => "not modified",
                    _ => $"{report.Outcome.ToString().ToLowerInvariant()}: {report.Problem}",
                };
                await io.Output.WriteLineAsync($"{report.Feed.Url} · {outcome}{(report.DisabledReason is null ? "" : $" · switched off: {report.DisabledReason}")}");
                foreach (var item in report.Items.Where(i => i.Change != ItemChange.Unchanged))
                    await io.Output.WriteLineAsync(
                        $"  {(item.Change == ItemChange.New ? "+" : "~")} #{item.Item.Id} {item.Item.Title} → {(item.Item.Incidents.Count == 0 ? "triage" : string.Join(", ", item.Item.Incidents))}");
            }

            return reports.Any(r => r.Outcome is FeedFetchOutcome.Failed or FeedFetchOutcome.Refused) ? 1 : 0;
        }, cancellationToken);
}
