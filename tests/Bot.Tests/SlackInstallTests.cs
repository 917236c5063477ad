using System.Net;
using Bot.Core.Briefings;
using Bot.Core.Installations;
using Bot.Storage;
using Bot.Testing;
using Bot.Testing.Slack;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Tests;

/// <summary>
/// Slack's OAuth install for many workspaces, driven through the real host the way a browser goes: /slack/install, the
/// fake's authorize page, back to /slack/oauth/callback with the cookie. Then each workspace's posts go out with its own
/// token, an uninstall pauses and a reinstall resumes.
/// </summary>
public sealed class SlackInstallTests : IAsyncLifetime
{
    private static readonly FakeSlackWorkspace Alpha = new("T0ALPHA", "Alpha & Co <b>");
    private static readonly FakeSlackWorkspace Beta = new("T0BETA", "Beta");
    private static readonly FakeSlackWorkspace Grid = new("T0GRIDTEAM", "Grid team", "E0GRID", "Grid Org", EnterpriseInstall: true);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _logs = new();
    private FakeSlackServer _slack = null!;
    private RunningBot _bot = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions(Start: DateTimeOffset.UtcNow));
        _bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Slack:SigningSecret"] = _slack.SigningSecret,
            ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl.ToString(),
            ["Slack:ClientId"] = _slack.ClientId,
            ["Slack:ClientSecret"] = _slack.ClientSecret,
            ["Slack:AuthorizeUrl"] = _slack.AuthorizeUrl.ToString(),
        }, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        });
        _slack.AppRedirectUrl = _bot.Url("slack/oauth/callback");
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _bot.Services.GetRequiredService<T>();

    /// <summary>A browser: its own cookies, redirects followed by hand so each hop can be checked.</summary>
    private sealed class Browser : IDisposable
    {
        private readonly HttpClientHandler _handler = new() { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() };

        public Browser() => Http = new HttpClient(_handler);

        public HttpClient Http { get; }

        public void Dispose() => Http.Dispose();
    }

    /// <summary>Starts an install; the address Slack sends the browser back to (the callback with code and state).</summary>
    private async Task<Uri> StartAsync(Browser browser, FakeSlackWorkspace workspace)
    {
        _slack.InstallNextInto(workspace);
        using var install = await browser.Http.GetAsync(_bot.Url("slack/install"));
        Assert.Equal(HttpStatusCode.Redirect, install.StatusCode);
        using var authorize = await browser.Http.GetAsync(install.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        return authorize.Headers.Location!;
    }

    private static async Task<(HttpStatusCode Status, string Page)> OpenAsync(Browser browser, Uri url)
    {
        using var response = await browser.Http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> InstallAsync(FakeSlackWorkspace workspace)
    {
        using var browser = new Browser();
        var (status, page) = await OpenAsync(browser, await StartAsync(browser, workspace));
        Assert.True(status == HttpStatusCode.OK, page);
        return page;
    }

    private async Task<long> InstallationCountAsync()
    {
        await using var connection = await Get<SqliteDatabase>().OpenAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM installations");
    }

    private Task<Subscription> SubscribeAsync(string team, string channel)
    {
        _slack.AddChannel(channel);
        return Get<ISubscriptionStore>().SaveAsync(new Subscription { Platform = "slack", Workspace = team, Channel = channel, Kind = BriefingKind.Digest, TimeZone = "UTC" }, CancellationToken.None);
    }

    private Task RunDueAsync(Subscription subscription, int day = 0) =>
        Get<BriefingService>().RunDueAsync(subscription.Id, _clock.GetUtcNow().AddDays(day), CancellationToken.None);

    private IEnumerable<string> TokensPostedTo(string channel) =>
        _slack.Calls.Where(c => c.Method == "chat.postMessage" && c.Body.Contains($"\"channel\":\"{channel}\"", StringComparison.Ordinal))
            .Select(c => c.Headers["Authorization"]);

    [Fact]
    public async Task Install_sends_the_browser_to_Slack_with_the_client_id_the_bot_scopes_and_a_state_bound_by_a_cookie()
    {
        using var browser = new Browser();
        using var response = await browser.Http.GetAsync(_bot.Url("slack/install"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(_slack.AuthorizeUrl.ToString(), location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(_slack.ClientId, query["client_id"].ToString());
        Assert.Equal(string.Join(',', Bot.Slack.SlackBotScopes.All), query["scope"].ToString());
        Assert.False(string.IsNullOrEmpty(query["state"].ToString()));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("slack_install=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        // The state is signed, not the nonce in the clear.
        Assert.DoesNotContain(cookie["slack_install=".Length..cookie.IndexOf(';')], query["state"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_workspaces_installed_each_channel_is_posted_with_its_own_token_and_never_the_other()
    {
        var page = await InstallAsync(Alpha);
        await InstallAsync(Beta);
        // The team name comes from Slack: written into the page as text, never as markup.
        Assert.Contains("Alpha &amp; Co &lt;b&gt;", page, StringComparison.Ordinal);
        var alphaToken = _slack.TokenOf(Alpha.TeamId)!;
        var betaToken = _slack.TokenOf(Beta.TeamId)!;
        var alpha = await SubscribeAsync(Alpha.TeamId, "C0ALPHA");
        var beta = await SubscribeAsync(Beta.TeamId, "C0BETA");

        await RunDueAsync(alpha);
        await RunDueAsync(beta);

        Assert.Equal([$"Bearer {alphaToken}"], TokensPostedTo("C0ALPHA"));
        Assert.Equal([$"Bearer {betaToken}"], TokensPostedTo("C0BETA"));

        // Encrypted at rest, the keys in the store; neither the tokens nor the codes were logged.
        await using var connection = await Get<SqliteDatabase>().OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<string>("SELECT token FROM installations")).ToList();
        Assert.Equal(2, stored.Count);
        Assert.DoesNotContain(stored, t => t.Contains("xoxb-", StringComparison.Ordinal));
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM data_protection_keys") >= 1);
        var codes = _slack.Calls.Where(c => c.Method == "oauth.v2.access").Select(c => QueryHelpers.ParseQuery(c.Body)["code"].ToString()).ToList();
        Assert.Equal(2, codes.Count);
        foreach (var secret in codes.Concat([alphaToken, betaToken, _slack.ClientSecret]))
            Assert.DoesNotContain(_logs.Lines, l => l.Message.Contains(secret, StringComparison.Ordinal) || (l.Exception?.ToString().Contains(secret, StringComparison.Ordinal) ?? false));
    }

    [Fact]
    public async Task Callbacks_without_a_valid_state_or_code_get_a_clear_page_and_store_nothing()
    {
        using var browser = new Browser();
        var callback = _bot.Url("slack/oauth/callback");

        var denied = await OpenAsync(browser, new Uri(callback + "?error=access_denied&state=x"));
        Assert.Equal(HttpStatusCode.BadRequest, denied.Status);
        Assert.Contains("access_denied", denied.Page, StringComparison.Ordinal);

        var forged = await OpenAsync(browser, new Uri(callback + "?code=c&state=" + Uri.EscapeDataString("CfDJ8forged-state")));
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("not issued by this bot", forged.Page, StringComparison.Ordinal);

        var noState = await OpenAsync(browser, new Uri(callback + "?code=c"));
        Assert.Equal(HttpStatusCode.BadRequest, noState.Status);

        // A real state and code, opened in another browser (no cookie, or another install's cookie).
        using var other = new Browser();
        await StartAsync(other, Beta);
        var fromAlpha = await StartAsync(browser, Alpha);
        var elsewhere = await OpenAsync(other, fromAlpha);
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.Status);
        Assert.Contains("another browser", elsewhere.Page, StringComparison.Ordinal);

        // The right browser, but Slack's redirect lost its code.
        using var third = new Browser();
        var withoutCode = QueryHelpers.AddQueryString(_bot.Url("slack/oauth/callback").ToString(), "state",
            QueryHelpers.ParseQuery((await StartAsync(third, Alpha)).Query)["state"].ToString());
        var noCode = await OpenAsync(third, new Uri(withoutCode));
        Assert.Equal(HttpStatusCode.BadRequest, noCode.Status);
        Assert.Contains("no code", noCode.Page, StringComparison.Ordinal);

        var bad = await OpenAsync(browser, new Uri(callback + "?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
        Assert.DoesNotContain("<script>", bad.Page, StringComparison.Ordinal);

        Assert.Equal(0, await InstallationCountAsync());
        Assert.DoesNotContain(_slack.Calls, c => c.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task A_state_or_a_code_used_twice_is_refused()
    {
        using var browser = new Browser();
        _slack.InstallNextInto(Alpha);
        using var install = await browser.Http.GetAsync(_bot.Url("slack/install"));
        var cookie = install.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var authorize = await browser.Http.GetAsync(install.Headers.Location);
        var callback = authorize.Headers.Location!;
        Assert.Equal(HttpStatusCode.OK, (await OpenAsync(browser, callback)).Status);

        // The same callback again, cookie and all, as a replaying attacker (or a reload) would send it.
        using var replay = new HttpRequestMessage(HttpMethod.Get, callback);
        replay.Headers.Add("Cookie", cookie);
        using var replayed = await new HttpClient().SendAsync(replay);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Contains("already used", await replayed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A fresh state carrying the code already traded.
        var fresh = await StartAsync(browser, Beta);
        var state = QueryHelpers.ParseQuery(fresh.Query)["state"].ToString();
        var oldCode = QueryHelpers.ParseQuery(callback.Query)["code"].ToString();
        var reused = await OpenAsync(browser, new Uri(QueryHelpers.AddQueryString(_bot.Url("slack/oauth/callback").ToString(),
            new Dictionary<string, string?> { ["code"] = oldCode, ["state"] = state })));
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Contains("code was already used", reused.Page, StringComparison.Ordinal);

        Assert.Equal(1, await InstallationCountAsync());
        Assert.Single(_slack.Calls, c => c.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task A_code_Slack_refuses_or_an_install_cancelled_on_Slack_gets_a_clear_page_and_stores_nothing()
    {
        // A genuine state from this browser, with a code Slack does not take (made up, or traded by another instance).
        using var browser = new Browser();
        var state = QueryHelpers.ParseQuery((await StartAsync(browser, Alpha)).Query)["state"].ToString();
        var refused = await OpenAsync(browser, new Uri(QueryHelpers.AddQueryString(_bot.Url("slack/oauth/callback").ToString(),
            new Dictionary<string, string?> { ["code"] = "code-made-up", ["state"] = state })));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Slack refused the install (invalid_code)", refused.Page, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", refused.Page, StringComparison.Ordinal);

        // The person pressed Cancel on Slack's page: Slack sends the browser back with an error and the genuine state.
        using var cancelling = new Browser();
        var cancelState = QueryHelpers.ParseQuery((await StartAsync(cancelling, Beta)).Query)["state"].ToString();
        var cancelled = await OpenAsync(cancelling, new Uri(QueryHelpers.AddQueryString(_bot.Url("slack/oauth/callback").ToString(),
            new Dictionary<string, string?> { ["error"] = "access_denied", ["state"] = cancelState })));

        Assert.Equal(HttpStatusCode.BadRequest, cancelled.Status);
        Assert.Contains("Slack did not install the bot: access_denied", cancelled.Page, StringComparison.Ordinal);
        Assert.Equal(0, await InstallationCountAsync());
        Assert.Single(_slack.Calls, c => c.Method == "oauth.v2.access");
    }

    [Fact]
    public async Task A_state_older_than_ten_minutes_is_refused()
    {
        using var browser = new Browser();
        var callback = await StartAsync(browser, Alpha);
        _clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        var (status, page) = await OpenAsync(browser, callback);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("expired", page, StringComparison.Ordinal);
        Assert.Equal(0, await InstallationCountAsync());
    }

    [Fact]
    public async Task An_org_wide_install_stores_the_token_under_the_enterprise()
    {
        var page = await InstallAsync(Grid);

        Assert.Contains("Grid Org", page, StringComparison.Ordinal);
        var installation = await Get<IInstallationStore>().FindAsync("slack", "E0GRID", CancellationToken.None);
        Assert.NotNull(installation);
        Assert.True(installation.IsEnterpriseInstall);
        Assert.DoesNotContain("xoxb-", installation.ProtectedToken, StringComparison.Ordinal);
        Assert.Null(await Get<IInstallationStore>().FindAsync("slack", Grid.TeamId, CancellationToken.None));
    }

    [Fact]
    public async Task Uninstall_deletes_the_token_and_pauses_the_workspace_and_a_reinstall_resumes_it()
    {
        await InstallAsync(Alpha);
        await InstallAsync(Beta);
        var alpha = await SubscribeAsync(Alpha.TeamId, "C0ALPHA");
        var beta = await SubscribeAsync(Beta.TeamId, "C0BETA");

        using (var uninstall = await _bot.Http.SendAsync(_slack.EventCallbackFor(_bot.Url("slack/events"), Alpha, """{"type":"app_uninstalled","event_ts":"1700000000.000100"}""")))
            Assert.Equal(HttpStatusCode.OK, uninstall.StatusCode);
        var store = Get<ISubscriptionStore>();
        await Eventually.TrueAsync(() => store.GetAsync(alpha.Id, CancellationToken.None).Result!.IsPaused, "the uninstalled workspace's subscription to pause");

        Assert.Null(await Get<IInstallationStore>().FindAsync("slack", Alpha.TeamId, CancellationToken.None));
        Assert.False((await store.GetAsync(beta.Id, CancellationToken.None))!.IsPaused);
        await RunDueAsync(alpha);
        await RunDueAsync(beta);
        Assert.Empty(TokensPostedTo("C0ALPHA"));
        Assert.Single(TokensPostedTo("C0BETA"));

        await InstallAsync(Alpha);

        Assert.False((await store.GetAsync(alpha.Id, CancellationToken.None))!.IsPaused);
        await RunDueAsync(alpha, day: 1);
        Assert.Equal([$"Bearer {_slack.TokenOf(Alpha.TeamId)}"], TokensPostedTo("C0ALPHA"));
    }

    [Fact]
    public async Task A_revoked_bot_token_pauses_its_workspace_and_user_token_revocations_change_nothing()
    {
        await InstallAsync(Alpha);
        var alpha = await SubscribeAsync(Alpha.TeamId, "C0ALPHA");
        var store = Get<ISubscriptionStore>();

        using (await _bot.Http.SendAsync(_slack.EventCallbackFor(_bot.Url("slack/events"), Alpha,
                   """{"type":"tokens_revoked","tokens":{"oauth":["U0ALICE"]},"event_ts":"1700000000.000100"}""")))
        using (await _bot.Http.SendAsync(_slack.EventCallbackFor(_bot.Url("slack/events"), Alpha,
                   """{"type":"tokens_revoked","tokens":{"bot":["U0BOT"]},"event_ts":"1700000000.000200"}""")))
        {
        }

        await Eventually.TrueAsync(() => store.GetAsync(alpha.Id, CancellationToken.None).Result!.IsPaused, "the revoked workspace's subscription to pause");
        Assert.Null(await Get<IInstallationStore>().FindAsync("slack", Alpha.TeamId, CancellationToken.None));
    }

    [Fact]
    public async Task A_token_Slack_refuses_pauses_that_workspace_only()
    {
        await InstallAsync(Alpha);
        await InstallAsync(Beta);
        var alpha = await SubscribeAsync(Alpha.TeamId, "C0ALPHA");
        var alphaToo = await SubscribeAsync(Alpha.TeamId, "C0ALPHA2");
        var beta = await SubscribeAsync(Beta.TeamId, "C0BETA");
        _slack.RefuseTokensOf(Alpha.TeamId, "invalid_auth");

        await RunDueAsync(alpha);
        await RunDueAsync(beta);

        var store = Get<ISubscriptionStore>();
        var paused = (await store.GetAsync(alpha.Id, CancellationToken.None))!;
        Assert.True(paused.IsPaused);
        Assert.Contains("invalid_auth", paused.PauseReason, StringComparison.Ordinal);
        Assert.True((await store.GetAsync(alphaToo.Id, CancellationToken.None))!.IsPaused);
        Assert.False((await store.GetAsync(beta.Id, CancellationToken.None))!.IsPaused);
        Assert.Single(TokensPostedTo("C0BETA"));

        // The other channel of the paused workspace does not even try.
        var before = _slack.Calls.Count;
        await RunDueAsync(alphaToo);
        Assert.Equal(before, _slack.Calls.Count);
    }
}
