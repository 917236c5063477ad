using System.CommandLine;
using System.Globalization;
using Bot.Core.Installations;

namespace Bot.Cli;

/// <summary><c>bot installations list</c>: the workspaces and orgs that installed the app, never their tokens.</summary>
internal static class InstallationCliCommands
{
    public static void AddTo(RootCommand root, Option<bool> json, CliIo io)
    {
        var list = new Command("list", "Workspaces and orgs that installed the app through OAuth, with the workspaces seen in each org");
        list.SetAction((parse, ct) => ListAsync(parse.GetValue(json), io, ct));
        root.Subcommands.Add(new Command("installations", "Who installed the app (tokens are never shown)") { list });
    }

    private static Task<int> ListAsync(bool asJson, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: false, async services =>
        {
            var installations = await services.GetRequiredService<IInstallationStore>().ListAsync(cancellationToken);
            var members = services.GetRequiredService<IInstallationMembers>();
            var rows = new List<InstallationRow>(installations.Count);
            foreach (var installation in installations)
            {
                var seen = installation.IsEnterpriseInstall
                    ? await members.WorkspacesOfAsync(installation.Platform, installation.Workspace, cancellationToken)
                    : [];
                rows.Add(new InstallationRow(installation.Platform, installation.Workspace, installation.TeamId, installation.EnterpriseId,
                    installation.IsEnterpriseInstall, installation.BotUserId, installation.InstalledAt, seen));
            }

            if (asJson)
            {
                await io.Output.WriteLineAsync(CliJson.Serialize(rows));
                return 0;
            }

            if (rows.Count == 0) await io.Output.WriteLineAsync("No installations: the bot uses the configured tokens (or runs in local mode).");
            foreach (var r in rows)
                await io.Output.WriteLineAsync(
                    $"{r.Platform}/{r.Workspace} " + (r.OrgWide ? $"org-wide, {r.WorkspacesSeen.Count} workspace(s) seen" : "workspace")
                    + (r.Enterprise is not null && !r.OrgWide ? $" in org {r.Enterprise}" : "")
                    + $" · bot {r.BotUser ?? "?"} · installed {r.InstalledAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
            return 0;
        }, cancellationToken);

    private sealed record InstallationRow(
        string Platform, string Workspace, string? Team, string? Enterprise, bool OrgWide, string? BotUser, DateTimeOffset InstalledAt, IReadOnlyList<string> WorkspacesSeen);
}
