using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Bot.Core.Chat;
using Bot.Core.Installations;
using Bot.Slack.Protocol;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Install;

/// <summary>
/// Slack's OAuth v2 install for many workspaces. /slack/install sends the browser to Slack with a state that is signed
/// (Data Protection), dated, and bound to this browser by a cookie holding the same nonce; /slack/oauth/callback accepts
/// it once, within ten minutes, from the same browser, trades the code for the bot token and stores it encrypted. Any
/// other callback gets a plain page saying why, and nothing is stored.
/// </summary>
internal sealed class SlackInstaller(
    SlackWebClient web,
    SlackTokenProtector tokens,
    InstallationService installations,
    SlackOrgs orgs,
    IInboundEventLog seen,
    IDataProtectionProvider protection,
    Inbound.SlackIdentity identity,
    TimeProvider time,
    IOptions<SlackOptions> options,
    ILogger<SlackInstaller> logger)
{
    public const string CookieName = "slack_install";
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);
    private const string StatePrefix = "v1|";
    private const int MaxFieldLength = 2048;

    private readonly IDataProtector _states = protection.CreateProtector("Bot.Slack.OAuthState.v1");

    /// <summary>Single use is kept in the seen-events table, under a platform name of its own.</summary>
    private const string SeenPlatform = "slack-oauth";

    public IResult Install(HttpContext context)
    {
        var slack = options.Value;
        if (!slack.Distributed) return Page(StatusCodes.Status404NotFound, "Not available", "This bot is not set up for installing in other Slack workspaces (Slack:ClientId is not set).");

        var nonce = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var state = _states.Protect($"{StatePrefix}{nonce}|{time.GetUtcNow().ToUnixTimeSeconds()}");
        context.Response.Cookies.Append(CookieName, nonce, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            // Lax: Slack's redirect back is a top-level GET, which Lax cookies go along with.
            SameSite = SameSiteMode.Lax,
            Path = "/slack/oauth",
            MaxAge = StateLifetime,
        });
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = slack.ClientId,
            ["scope"] = string.Join(',', SlackBotScopes.All),
            ["state"] = state,
        };
        if (!string.IsNullOrWhiteSpace(slack.InstallRedirectUrl)) query["redirect_uri"] = slack.InstallRedirectUrl;
        NoStore(context);
        return Results.Redirect(QueryHelpers.AddQueryString(slack.AuthorizeUrl, query));
    }

    public async Task<IResult> CallbackAsync(HttpContext context)
    {
        try
        {
            return await FinishAsync(context);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The type alone: a message could quote the code or the token.
            logger.LogError("A Slack install callback failed: {Error}", ex.GetType().Name);
            return Page(StatusCodes.Status503ServiceUnavailable, "Not installed", "The install could not be finished. Nothing may have been stored; start again in a minute.");
        }
    }

    private async Task<IResult> FinishAsync(HttpContext context)
    {
        NoStore(context);
        var slack = options.Value;
        if (!slack.Distributed) return Page(StatusCodes.Status404NotFound, "Not available", "This bot is not set up for installing in other Slack workspaces (Slack:ClientId is not set).");
        var query = context.Request.Query;
        var cookie = context.Request.Cookies[CookieName];
        // The cookie has done its work whatever happens next; a second try starts again from /slack/install.
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/slack/oauth" });

        if (Field(query["error"]) is { } error)
            return Page(StatusCodes.Status400BadRequest, "Not installed", $"Slack did not install the bot: {error}. Nothing was stored.");
        if (Field(query["state"]) is not { } state)
            return Refuse("the link has no state; start again from the install page.");

        var (check, nonce) = CheckState(state, cookie);
        switch (check)
        {
            case StateCheck.Forged:
                return Refuse("the state was not issued by this bot.");
            case StateCheck.Expired:
                return Refuse($"the install link expired (it is good for {StateLifetime.TotalMinutes:0} minutes); start again.");
            case StateCheck.OtherBrowser:
                return Refuse("the install was started in another browser; start again in this one.");
        }

        if (!await seen.FirstTimeAsync(SeenPlatform, [$"state:{nonce}"], StateLifetime * 2, context.RequestAborted))
            return Refuse("this install link was already used; start again.");

        if (Field(query["code"]) is not { } code)
            return Refuse("Slack sent no code.");
        // Slack takes a code once; remembering it too spares Slack the call and says plainly what happened.
        if (!await seen.FirstTimeAsync(SeenPlatform, [$"code:{Hash(code)}"], TimeSpan.FromDays(1), context.RequestAborted))
            return Refuse("this code was already used; start again.");

        OAuthAccessResponse access;
        try
        {
            access = await web.OAuthAccessAsync(code, slack.InstallRedirectUrl, context.RequestAborted);
        }
        catch (SlackApiException ex)
        {
            logger.LogWarning("Slack refused an install: oauth.v2.access answered {Error}", ex.Error);
            return Page(StatusCodes.Status400BadRequest, "Not installed", $"Slack refused the install ({ex.Error}). Nothing was stored; start again.");
        }
        catch (SlackUnavailableException)
        {
            logger.LogWarning("Slack could not be reached to finish an install");
            return Page(StatusCodes.Status502BadGateway, "Not installed", "Slack could not be reached. Nothing was stored; start again in a minute.");
        }

        var installKey = access.IsEnterpriseInstall ? access.Enterprise?.Id : access.Team?.Id;
        if (access.TokenType != "bot" || access.AccessToken is not { } token || !token.StartsWith("xoxb-", StringComparison.Ordinal) || string.IsNullOrEmpty(installKey))
        {
            logger.LogWarning("Slack's oauth.v2.access answer lacked a bot token or a team; nothing stored");
            return Page(StatusCodes.Status502BadGateway, "Not installed", "Slack's answer had no bot token for a workspace. Nothing was stored.");
        }

        var installation = new Installation
        {
            Platform = SlackTokens.Platform,
            Workspace = installKey,
            TeamId = access.Team?.Id,
            EnterpriseId = access.Enterprise?.Id,
            IsEnterpriseInstall = access.IsEnterpriseInstall,
            BotUserId = access.BotUserId,
            ProtectedToken = tokens.Protect(token),
            InstalledAt = time.GetUtcNow(),
        };
        // An org-wide install speaks for every workspace of the org seen so far (and for later ones, once seen).
        IReadOnlyCollection<string> workspaces = access.IsEnterpriseInstall
            ? await orgs.CoveredByAsync(installKey, context.RequestAborted)
            : access.Team?.Id is { Length: > 0 } teamId ? [teamId] : [];
        await installations.InstalledAsync(installation, workspaces, context.RequestAborted);
        identity.Forget(new SlackTeam(access.Team?.Id, access.Enterprise?.Id));
        var name = access.IsEnterpriseInstall ? access.Enterprise?.Name ?? installKey : access.Team?.Name ?? installKey;
        return Page(StatusCodes.Status200OK, "Installed", $"The bot is installed in {name}. You can close this page and invite it to a channel.");
    }

    private enum StateCheck
    {
        Valid,
        Forged,
        Expired,
        OtherBrowser,
    }

    private (StateCheck Check, string Nonce) CheckState(string state, string? cookie)
    {
        string payload;
        try
        {
            payload = _states.Unprotect(state);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return (StateCheck.Forged, "");
        }

        var parts = payload.Split('|');
        if (parts.Length != 3 || parts[0] + "|" != StatePrefix || !long.TryParse(parts[2], out var issued)) return (StateCheck.Forged, "");
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued);
        if (age > StateLifetime || age < -TimeSpan.FromMinutes(1)) return (StateCheck.Expired, "");
        var nonce = parts[1];
        if (cookie is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(nonce)))
            return (StateCheck.OtherBrowser, "");
        return (StateCheck.Valid, nonce);
    }

    private static string? Field(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 && values[0] is { Length: > 0 and <= MaxFieldLength } value ? value : null;

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)));

    private IResult Refuse(string why)
    {
        logger.LogWarning("Refused a Slack install callback: {Why}", why);
        return Page(StatusCodes.Status400BadRequest, "Not installed", $"This install cannot go on: {why} Nothing was stored.");
    }

    /// <summary>The callback's address holds the code: no cache keeps the page, and no referrer carries the address on.</summary>
    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static IResult Page(int status, string title, string text)
    {
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{HtmlEncoder.Default.Encode(title)}</title></head>
            <body><h1>{HtmlEncoder.Default.Encode(title)}</h1><p>{HtmlEncoder.Default.Encode(text)}</p></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
