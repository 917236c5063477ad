using System.CommandLine;
using Bot.Core.Incidents.Import;

namespace Bot.Cli;

/// <summary>Reading incidents (<c>incident</c>, <c>timeline</c>, <c>sources</c>, <c>related</c>, <c>onthisday</c>) and loading them (<c>import</c>).</summary>
internal static class IncidentCliCommands
{
    public static void AddTo(RootCommand root, Option<bool> json, CliIo io)
    {
        var incidentQuery = new Argument<string[]>("query") { Arity = ArgumentArity.ZeroOrMore, Description = "Name, alias or words of the title; 'list [category]' lists them" };
        var incident = new Command("incident", "Show an incident's card, or list incidents") { incidentQuery };
        incident.SetAction((parse, ct) => BotCli.ChatAsync($"incident {string.Join(' ', parse.GetValue(incidentQuery) ?? [])}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(incident);
        ContentCliCommands.AddTo(root, incident, json, io);

        // The card's buttons send "timeline <slug>", "sources <slug>" and "related <slug>"; each is a verb here too.
        root.Subcommands.Add(Lookup("timeline", "Show an incident's dated events, oldest first", json, io));
        root.Subcommands.Add(Lookup("sources", "Show where an incident's facts come from, with quotes", json, io));
        root.Subcommands.Add(Lookup("related", "List the incidents related to one", json, io));

        var date = new Option<string?>("--date") { Description = "Calendar day as MM-DD (default: today, UTC)" };
        var onThisDay = new Command("onthisday", "Anniversaries of day-precise events") { date };
        onThisDay.SetAction((parse, ct) => BotCli.ChatAsync($"onthisday {parse.GetValue(date)}", parse.GetValue(json), io, ct));
        root.Subcommands.Add(onThisDay);

        var importPath = new Argument<string>("path") { Description = "A folder of seed files or a JSONL file" };
        var waitVectors = new Option<bool>("--wait-vectors") { Description = "Also build the sentence vectors now (a running host builds them in the background)" };
        var import = new Command("import", "Load incidents from seed files (idempotent)") { importPath, waitVectors };
        import.SetAction((parse, ct) => ImportAsync(parse.GetValue(importPath)!, parse.GetValue(json), parse.GetValue(waitVectors), io, ct));
        root.Subcommands.Add(import);
    }

    /// <summary>A verb that looks one incident up and prints what the chat command of the same name answers.</summary>
    private static Command Lookup(string verb, string description, Option<bool> json, CliIo io)
    {
        var query = new Argument<string[]>("incident") { Arity = ArgumentArity.ZeroOrMore, Description = "Name, alias or words of the title" };
        var command = new Command(verb, description) { query };
        command.SetAction((parse, ct) => BotCli.ChatAsync($"{verb} {string.Join(' ', parse.GetValue(query) ?? [])}", parse.GetValue(json), io, ct));
        return command;
    }

    private static async Task<int> ImportAsync(string path, bool asJson, bool waitVectors, CliIo io, CancellationToken cancellationToken)
    {
        var output = io.Output;
        // The seed files run first, as at every start: what they kept of the team's is said here too.
        return await BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            var kept = services.GetRequiredService<Bot.Storage.StoreInitializer>().LastSeedReport?.KeptTeamVersions ?? [];
            var report = await services.GetRequiredService<IncidentImporter>().ImportAsync(path, cancellationToken);
            var vectors = waitVectors ? await services.GetRequiredService<Bot.Core.Answers.PassageVectorBuilder>().FillAsync(cancellationToken) : 0;
            if (asJson)
            {
                await output.WriteLineAsync(CliJson.Serialize(new
                {
                    report.Added,
                    report.Updated,
                    report.Unchanged,
                    vectors,
                    problems = report.Problems.Select(p => new { file = p.File, reason = p.Reason }),
                    kept = kept.Select(k => k.Reason),
                }));
            }
            else
            {
                await output.WriteLineAsync($"Imported from {path}: {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged.");
                if (waitVectors) await output.WriteLineAsync($"Built {vectors} sentence vectors.");
                foreach (var problem in report.Problems)
                    await output.WriteLineAsync($"  skipped {problem.File}: {problem.Reason}");
                foreach (var notice in kept)
                    await output.WriteLineAsync($"  {notice.Reason}");
            }

            return report.Problems.Count == 0 ? 0 : 1;
        }, cancellationToken);
    }
}
