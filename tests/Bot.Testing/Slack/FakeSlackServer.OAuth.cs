using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Bot.Testing.Slack;

/// <summary>A workspace (or, with <paramref name="EnterpriseInstall"/>, a whole Enterprise Grid org) that the next install goes to.</summary>
public sealed record FakeSlackWorkspace(string TeamId, string TeamName, string? EnterpriseId = null, string? EnterpriseName = null, bool EnterpriseInstall = false)
{
    /// <summary>The key the fake issues tokens under: the enterprise for an org-wide install, else the team.</summary>
    public string InstallKey => EnterpriseInstall ? EnterpriseId! : TeamId;
}

/// <summary>One visit to the fake's authorize page, as the browser made it.</summary>
public sealed record FakeAuthorizeVisit(string? ClientId, string? Scope, string? RedirectUri, string? State);

/// <summary>
/// OAuth v2 distribution: an authorize page that installs into the workspace queued by <see cref="InstallNextInto"/> (else
/// the fake's own team) and sends the browser back with a code, and oauth.v2.access that trades each code once for a
/// bot token of that workspace. Issued tokens work on every Web API method until <see cref="RefuseTokensOf"/>.
/// </summary>
public sealed partial class FakeSlackServer
{
    public string ClientId { get; } = "1111.2222";

    public string ClientSecret { get; } = "fake-client-secret";

    /// <summary>Slack's authorize page on the fake (set Slack:AuthorizeUrl to it).</summary>
    public Uri AuthorizeUrl => new(BaseUrl, "oauth/v2/authorize");

    /// <summary>The Redirect URL in the app's settings: where the authorize page sends the browser when the link names none.</summary>
    public Uri? AppRedirectUrl { get; set; }

    private readonly Queue<FakeSlackWorkspace> _nextInstalls = new();
    private readonly Dictionary<string, (FakeSlackWorkspace Workspace, string RedirectUri, bool Used)> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeSlackWorkspace> _issuedTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refusedInstalls = new(StringComparer.Ordinal);
    private readonly List<FakeAuthorizeVisit> _authorizeVisits = [];
    private int _issued;

    public IReadOnlyList<FakeAuthorizeVisit> AuthorizeVisits
    {
        get
        {
            lock (_gate)
                return _authorizeVisits.ToArray();
        }
    }

    /// <summary>The next visit to the authorize page installs into <paramref name="workspace"/>.</summary>
    public void InstallNextInto(FakeSlackWorkspace workspace)
    {
        lock (_gate)
            _nextInstalls.Enqueue(workspace);
    }

    /// <summary>A code as the authorize page would hand out, without a browser (for callbacks built by hand).</summary>
    public string IssueCode(FakeSlackWorkspace workspace, string redirectUri)
    {
        lock (_gate)
        {
            var code = $"code-{workspace.InstallKey}-{++_issued}";
            _codes[code] = (workspace, redirectUri, false);
            return code;
        }
    }

    /// <summary>The bot token last issued for the workspace (or org), or null.</summary>
    public string? TokenOf(string installKey)
    {
        lock (_gate)
            return _issuedTokens.LastOrDefault(t => t.Value.InstallKey == installKey).Key;
    }

    /// <summary>From now on every token of the workspace (or org) is refused with <paramref name="error"/>, as after an uninstall.</summary>
    public void RefuseTokensOf(string installKey, string error = "invalid_auth")
    {
        lock (_gate)
            _refusedInstalls[installKey] = error;
    }

    /// <summary>The workspace's tokens work again (a later install issues fresh ones anyway).</summary>
    public void AcceptTokensOf(string installKey)
    {
        lock (_gate)
            _refusedInstalls.Remove(installKey);
    }

    private Reply Authorize(IncomingRequest request)
    {
        var query = QueryHelpers.ParseQuery(request.Query);
        string? Get(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;
        var visit = new FakeAuthorizeVisit(Get("client_id"), Get("scope"), Get("redirect_uri"), Get("state"));
        _authorizeVisits.Add(visit);
        if (visit.ClientId != ClientId) return new Reply(400, "invalid_client_id", TextContentType);
        var redirect = visit.RedirectUri ?? AppRedirectUrl?.ToString();
        if (string.IsNullOrEmpty(redirect)) return new Reply(400, "bad_redirect_uri", TextContentType);
        var workspace = _nextInstalls.TryDequeue(out var next) ? next : new FakeSlackWorkspace(TeamId, "Fake Team");
        var code = $"code-{workspace.InstallKey}-{++_issued}";
        // Slack checks redirect_uri at the exchange only when the link carried one.
        _codes[code] = (workspace, visit.RedirectUri ?? "", false);
        var back = QueryHelpers.AddQueryString(redirect, new Dictionary<string, string?> { ["code"] = code, ["state"] = visit.State });
        return new Reply(302, "", null, new Dictionary<string, string> { ["Location"] = back });
    }

    private Reply OAuthAccess(JsonObject args, List<string> warnings)
    {
        if (Str(args, "client_id") != ClientId) return Fail("invalid_client_id", warnings);
        if (Str(args, "client_secret") != ClientSecret) return Fail("bad_client_secret", warnings);
        if (Str(args, "code") is not { } code || !_codes.TryGetValue(code, out var issued)) return Fail("invalid_code", warnings);
        if (issued.Used) return Fail("invalid_code", warnings);
        _codes[code] = issued with { Used = true };
        if (issued.RedirectUri.Length > 0 && Str(args, "redirect_uri") != issued.RedirectUri) return Fail("bad_redirect_uri", warnings);

        var workspace = issued.Workspace;
        var token = $"xoxb-{workspace.InstallKey}-{++_issued}";
        _issuedTokens[token] = workspace;
        _refusedInstalls.Remove(workspace.InstallKey);
        return Ok(new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "bot",
            ["scope"] = "commands,chat:write",
            ["bot_user_id"] = BotUserId,
            ["app_id"] = AppId,
            ["team"] = workspace.EnterpriseInstall ? null : new JsonObject { ["id"] = workspace.TeamId, ["name"] = workspace.TeamName },
            ["enterprise"] = workspace.EnterpriseId is null ? null : new JsonObject { ["id"] = workspace.EnterpriseId, ["name"] = workspace.EnterpriseName },
            ["is_enterprise_install"] = workspace.EnterpriseInstall,
            ["authed_user"] = new JsonObject { ["id"] = DefaultUserId },
        }, warnings);
    }

    /// <summary>A signed event_callback delivered for <paramref name="workspace"/> (its team, enterprise and authorization).</summary>
    public HttpRequestMessage EventCallbackFor(Uri botUrl, FakeSlackWorkspace workspace, string innerEventJson)
    {
        var envelope = EventCallbackPayload(JsonNode.Parse(innerEventJson)!, null);
        envelope["team_id"] = workspace.TeamId;
        envelope["enterprise_id"] = workspace.EnterpriseId;
        envelope["authorizations"] = new JsonArray(new JsonObject
        {
            ["enterprise_id"] = workspace.EnterpriseId,
            ["team_id"] = workspace.EnterpriseInstall ? null : workspace.TeamId,
            ["user_id"] = BotUserId,
            ["is_bot"] = true,
            ["is_enterprise_install"] = workspace.EnterpriseInstall,
        });
        return Signed(botUrl, EventContentType, System.Text.Encoding.UTF8.GetBytes(envelope.ToJsonString(ReplyJson)));
    }

    /// <summary>Null when the token is one the fake issued and still honours; else Slack's error for it.</summary>
    private string? CheckIssuedToken(string? token)
    {
        if (token is null || !_issuedTokens.TryGetValue(token, out var workspace)) return "invalid_auth";
        return _refusedInstalls.TryGetValue(workspace.InstallKey, out var error) ? error : null;
    }
}
