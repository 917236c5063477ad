using Bot.Core.Briefings;
using Bot.Core.Installations;
using Bot.Storage.Installations;
using Bot.Testing;

namespace Bot.Storage.Tests;

/// <summary>Workspace-to-org pairings and the scope of a pause, on both providers.</summary>
public abstract class InstallationMembersTests(PostgresServer? postgres) : StoreSuite(postgres)
{
    public sealed class OnSqlite() : InstallationMembersTests(null);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture fixture) : InstallationMembersTests(fixture.Server);

    [Fact]
    public async Task Installations_are_saved_replaced_by_a_reinstall_listed_and_forgotten()
    {
        await using var store = await NewStoreAsync();
        var installations = new SqlInstallationStore(store.Connections);
        var at = new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);
        var team = new Installation { Platform = "slack", Workspace = "T1", TeamId = "T1", BotUserId = "U1", ProtectedToken = "sealed-1", InstalledAt = at };
        var org = new Installation { Platform = "slack", Workspace = "E1", EnterpriseId = "E1", IsEnterpriseInstall = true, ProtectedToken = "sealed-2", InstalledAt = at };

        await installations.SaveAsync(team, None);
        await installations.SaveAsync(org, None);
        await installations.SaveAsync(team with { ProtectedToken = "sealed-3", InstalledAt = at.AddDays(1) }, None);

        Assert.Equal([org, team with { ProtectedToken = "sealed-3", InstalledAt = at.AddDays(1) }], await installations.ListAsync(None));
        Assert.Equal(org, await installations.FindAsync("slack", "E1", None));
        Assert.True(await installations.RemoveAsync("slack", "T1", None));
        Assert.False(await installations.RemoveAsync("slack", "T1", None));
        Assert.Equal([org], await installations.ListAsync(None));
    }

    [Fact]
    public async Task A_workspace_belongs_to_the_org_it_was_last_seen_in()
    {
        await using var store = await NewStoreAsync();
        var members = new SqlInstallationMembers(store.Connections, store.Time);

        await members.RememberAsync("slack", "T1", "E1", None);
        await members.RememberAsync("slack", "T2", "E1", None);
        await members.RememberAsync("slack", "T2", "E1", None);
        await members.RememberAsync("slack", "T3", "E2", None);
        await members.RememberAsync("discord", "T4", "E1", None);

        Assert.Equal("E1", await members.EnterpriseOfAsync("slack", "T1", None));
        Assert.Null(await members.EnterpriseOfAsync("slack", "T9", None));
        Assert.Equal(["T1", "T2"], await members.WorkspacesOfAsync("slack", "E1", None));

        // A workspace moved to another org (Slack lets an org admin do that) follows its latest requests.
        await members.RememberAsync("slack", "T2", "E2", None);
        Assert.Equal(["T1"], await members.WorkspacesOfAsync("slack", "E1", None));
        Assert.Equal(["T2", "T3"], await members.WorkspacesOfAsync("slack", "E2", None));
    }

    [Fact]
    public async Task A_returning_workspace_resumes_what_its_loss_paused_and_a_lost_channel_waits_to_be_subscribed_again()
    {
        await using var store = await NewStoreAsync();
        var subscriptions = store.Subscriptions;
        var pauses = new SqlWorkspacePauses(store.Connections, store.Time);
        Subscription Digest(string channel) => new() { Platform = "discord", Workspace = "G1", Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" };
        var kept = await subscriptions.SaveAsync(Digest("C1"), None);
        var lost = await subscriptions.SaveAsync(Digest("C2"), None);
        var lostToo = await subscriptions.SaveAsync(Digest("C2") with { Kind = BriefingKind.OnThisDay }, None);

        Assert.Equal(2, await pauses.PauseChannelAsync("discord", "C2", "Missing Access", None));
        Assert.Equal(1, await pauses.PauseWorkspaceAsync("discord", "G1", "the bot was removed from the guild", None));
        Assert.Equal(1, await pauses.ResumeWorkspaceAsync("discord", "G1", None));

        Assert.False((await subscriptions.GetAsync(kept.Id, None))!.IsPaused);
        var stillPaused = (await subscriptions.GetAsync(lost.Id, None))!;
        Assert.True(stillPaused.IsPaused);
        Assert.Equal("Missing Access", stillPaused.PauseReason);

        // Subscribing the channel again shows the bot is back there: both of its briefings resume.
        await subscriptions.SaveAsync(Digest("C2"), None);
        Assert.False((await subscriptions.GetAsync(lost.Id, None))!.IsPaused);
        Assert.False((await subscriptions.GetAsync(lostToo.Id, None))!.IsPaused);
    }
}
