using System.Net;
using Bot.Core.Briefings;
using Bot.Core.Installations;
using Bot.Testing;
using Bot.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests;

/// <summary>
/// Enterprise Grid: an org-wide install gives one token for the enterprise. The workspaces of the org are learnt from
/// their requests, their scheduled posts go out with the org's token (a workspace with its own install keeps its own),
/// and losing the org's install stops that org's workspaces and no one else's. The fake Slack only lets a token see the
/// channels of the workspace or org it was issued for, and every assertion reads the tokens off the fake's records.
/// </summary>
public sealed class SlackOrgInstallTests : IAsyncLifetime
{
    private const string Admin = "U0ADMIN";

    // The org installed org-wide (the fake issues the token under E0GRID), and two of its workspaces.
    private static readonly FakeSlackWorkspace Grid = new("T0GRIDA", "Grid A", "E0GRID", "Grid Org", EnterpriseInstall: true);
    private static readonly FakeSlackWorkspace GridB = new("T0GRIDB", "Grid B", "E0GRID", "Grid Org", EnterpriseInstall: true);

    // A workspace of the same org that installed the bot on its own, another org, and a workspace outside any org.
    private static readonly FakeSlackWorkspace GridOwn = new("T0GRIDC", "Grid C", "E0GRID", "Grid Org");
    private static readonly FakeSlackWorkspace Other = new("T0OTHER", "Other", "E0OTHER", "Other Org", EnterpriseInstall: true);
    private static readonly FakeSlackWorkspace Alpha = new("T0ALPHA", "Alpha");

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private FakeSlackServer _slack = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _slack.AddAdmin(Admin);
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            // The single-workspace token stays the last resort, for the fake's own team.
            ["Slack:BotToken"] = _slack.BotToken,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            ["Slack:ClientId"] = _slack.ClientId,
            ["Slack:ClientSecret"] = _slack.ClientSecret,
            ["Slack:AuthorizeUrl"] = _slack.AuthorizeUrl.ToString(),
        }, services => services.AddSingleton<TimeProvider>(_clock));
        _slack.AppRedirectUrl = _bot.Url("slack/oauth/callback");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _bot.Services.GetRequiredService<T>();

    private async Task InstallAsync(FakeSlackWorkspace workspace)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });
        _slack.InstallNextInto(workspace);
        using var install = await browser.GetAsync(_bot.Url("slack/install"));
        using var authorize = await browser.GetAsync(install.Headers.Location);
        using var callback = await browser.GetAsync(authorize.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
    }

    /// <summary>An admin of the workspace subscribes its channel to the digest with the slash command, as people do.</summary>
    private async Task<Subscription> SubscribeFromAsync(FakeSlackWorkspace workspace, string channel)
    {
        _slack.AddChannel(channel, workspace: workspace);
        using var response = await _bot.Http.SendAsync(_slack.SlashCommandFrom(_bot.Url("slack/commands"), workspace, "/briefing", "subscribe digest 09:00 UTC", channel, Admin));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = await Get<ISubscriptionStore>().ListAsync("slack", workspace.TeamId, channel, CancellationToken.None);
        return Assert.Single(saved);
    }

    private Task RunDueAsync(Subscription subscription, int day = 0) =>
        Get<BriefingService>().RunDueAsync(subscription.Id, _clock.GetUtcNow().AddDays(day), CancellationToken.None);

    private async Task RunAllDueAsync(IEnumerable<Subscription> subscriptions, int day = 0)
    {
        foreach (var subscription in subscriptions) await RunDueAsync(subscription, day);
    }

    private List<(string Token, int Status, string Body)> PostsTo(string channel) =>
        _slack.Calls.Where(c => c.Method == "chat.postMessage" && c.Body.Contains($"\"channel\":\"{channel}\"", StringComparison.Ordinal))
            .Select(c => (c.Headers["Authorization"]["Bearer ".Length..], c.Status, c.ResponseBody)).ToList();

    private async Task<bool> IsPausedAsync(Subscription subscription) =>
        (await Get<ISubscriptionStore>().GetAsync(subscription.Id, CancellationToken.None))!.IsPaused;

    private async Task<Dictionary<string, Subscription>> SetUpAsync()
    {
        await InstallAsync(Grid);
        await InstallAsync(GridOwn);
        await InstallAsync(Other);
        await InstallAsync(Alpha);
        var subscriptions = new Dictionary<string, Subscription>
        {
            ["C0GRIDA"] = await SubscribeFromAsync(Grid, "C0GRIDA"),
            ["C0GRIDB"] = await SubscribeFromAsync(GridB, "C0GRIDB"),
            ["C0GRIDC"] = await SubscribeFromAsync(GridOwn, "C0GRIDC"),
            ["C0OTHER"] = await SubscribeFromAsync(Other, "C0OTHER"),
            ["C0ALPHA"] = await SubscribeFromAsync(Alpha, "C0ALPHA"),
        };
        // A channel of the fake's own team, never installed through OAuth: Slack:BotToken as before.
        var home = new FakeSlackWorkspace(_slack.TeamId, "Fake Team");
        _slack.AddChannel("C0HOME", workspace: home);
        subscriptions["C0HOME"] = await Get<ISubscriptionStore>().SaveAsync(
            new Subscription { Platform = "slack", Workspace = home.TeamId, Channel = "C0HOME", Kind = BriefingKind.Digest, TimeZone = "UTC" }, CancellationToken.None);
        return subscriptions;
    }

    [Fact]
    public async Task Each_channel_is_posted_with_the_token_that_covers_its_workspace_and_never_another()
    {
        var subscriptions = await SetUpAsync();

        await RunAllDueAsync(subscriptions.Values);

        var grid = _slack.TokenOf("E0GRID")!;
        Assert.Equal([(grid, 200)], PostsTo("C0GRIDA").Select(p => (p.Token, p.Status)));
        Assert.Equal([(grid, 200)], PostsTo("C0GRIDB").Select(p => (p.Token, p.Status)));
        Assert.Equal([(_slack.TokenOf(GridOwn.TeamId)!, 200)], PostsTo("C0GRIDC").Select(p => (p.Token, p.Status)));
        Assert.Equal([(_slack.TokenOf("E0OTHER")!, 200)], PostsTo("C0OTHER").Select(p => (p.Token, p.Status)));
        Assert.Equal([(_slack.TokenOf(Alpha.TeamId)!, 200)], PostsTo("C0ALPHA").Select(p => (p.Token, p.Status)));
        Assert.Equal([(_slack.BotToken, 200)], PostsTo("C0HOME").Select(p => (p.Token, p.Status)));
        Assert.All(PostsTo("C0GRIDA").Concat(PostsTo("C0OTHER")), p => Assert.Contains("\"ok\":true", p.Body, StringComparison.Ordinal));

        // The pairing outlives the process that saw it: it is in the store, not only in memory.
        var members = Get<IInstallationMembers>();
        Assert.Equal(["T0GRIDA", "T0GRIDB", "T0GRIDC"], await members.WorkspacesOfAsync("slack", "E0GRID", CancellationToken.None));
        Assert.Null(await members.EnterpriseOfAsync("slack", Alpha.TeamId, CancellationToken.None));
    }

    [Fact]
    public async Task The_fake_refuses_a_token_that_is_not_the_channels()
    {
        await InstallAsync(Alpha);
        await InstallAsync(Other);
        _slack.AddChannel("C0ALPHA", workspace: Alpha);
        // Alpha's subscription, pointed by mistake at a channel of the other org: Slack does not let the token see it.
        var stray = await Get<ISubscriptionStore>().SaveAsync(
            new Subscription { Platform = "slack", Workspace = Alpha.TeamId, Channel = "C0OTHER", Kind = BriefingKind.Digest, TimeZone = "UTC" }, CancellationToken.None);
        _slack.AddChannel("C0OTHER", workspace: Other);

        await RunDueAsync(stray);

        var post = Assert.Single(PostsTo("C0OTHER"));
        Assert.Equal(_slack.TokenOf(Alpha.TeamId), post.Token);
        Assert.Contains("channel_not_found", post.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"app_uninstalled","event_ts":"1700000000.000100"}""")]
    [InlineData("""{"type":"tokens_revoked","tokens":{"bot":["U0BOT"]},"event_ts":"1700000000.000100"}""")]
    public async Task An_org_uninstall_pauses_that_orgs_workspaces_only_and_a_reinstall_resumes_them(string lossEvent)
    {
        var subscriptions = await SetUpAsync();
        var firstGridToken = _slack.TokenOf("E0GRID");

        using (var lost = await _bot.Http.SendAsync(_slack.EventCallbackFor(_bot.Url("slack/events"), Grid, lossEvent)))
            Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        await Eventually.TrueAsync(() => IsPausedAsync(subscriptions["C0GRIDB"]).Result, "the org's workspaces to pause");

        Assert.True(await IsPausedAsync(subscriptions["C0GRIDA"]));
        Assert.Null(await Get<IInstallationStore>().FindAsync("slack", "E0GRID", CancellationToken.None));
        foreach (var channel in new[] { "C0GRIDC", "C0OTHER", "C0ALPHA", "C0HOME" })
            Assert.False(await IsPausedAsync(subscriptions[channel]), channel);
        await RunAllDueAsync(subscriptions.Values);
        Assert.Empty(PostsTo("C0GRIDA"));
        Assert.Empty(PostsTo("C0GRIDB"));
        Assert.Single(PostsTo("C0GRIDC"));
        Assert.Single(PostsTo("C0OTHER"));

        await InstallAsync(Grid);

        Assert.False(await IsPausedAsync(subscriptions["C0GRIDA"]));
        Assert.False(await IsPausedAsync(subscriptions["C0GRIDB"]));
        await RunAllDueAsync([subscriptions["C0GRIDA"], subscriptions["C0GRIDB"]], day: 1);
        var fresh = _slack.TokenOf("E0GRID")!;
        Assert.NotEqual(firstGridToken, fresh);
        Assert.Equal([fresh], PostsTo("C0GRIDA").Select(p => p.Token));
        Assert.Equal([fresh], PostsTo("C0GRIDB").Select(p => p.Token));
    }

    [Fact]
    public async Task An_org_token_Slack_refuses_pauses_every_workspace_of_that_org_and_no_other()
    {
        var subscriptions = await SetUpAsync();
        _slack.RefuseTokensOf("E0GRID", "invalid_auth");

        await RunDueAsync(subscriptions["C0GRIDA"]);

        var paused = (await Get<ISubscriptionStore>().GetAsync(subscriptions["C0GRIDB"].Id, CancellationToken.None))!;
        Assert.True(paused.IsPaused);
        Assert.Contains("invalid_auth", paused.PauseReason, StringComparison.Ordinal);
        Assert.True(await IsPausedAsync(subscriptions["C0GRIDA"]));
        foreach (var channel in new[] { "C0GRIDC", "C0OTHER", "C0ALPHA", "C0HOME" })
            Assert.False(await IsPausedAsync(subscriptions[channel]), channel);

        // The other workspace of the org does not even try; the rest post as usual.
        await RunAllDueAsync(subscriptions.Values.Where(s => s.Channel != "C0GRIDA"));
        Assert.Empty(PostsTo("C0GRIDB"));
        Assert.Single(PostsTo("C0OTHER"));
        Assert.Single(PostsTo("C0GRIDC"));

        await InstallAsync(Grid);
        Assert.False(await IsPausedAsync(subscriptions["C0GRIDB"]));
    }
}
