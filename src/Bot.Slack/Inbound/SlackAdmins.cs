using System.Collections.Concurrent;
using System.Text.Json;
using Bot.Slack.Protocol;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Inbound;

/// <summary>
/// Who may run admin commands: workspace admins and owners (from users.info, remembered for ten
/// minutes) and the users listed in Slack:AdminUserIds. When Slack cannot say, the answer is no.
/// </summary>
internal sealed class SlackAdmins(SlackWebClient web, TimeProvider time, IOptions<SlackOptions> options)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (bool IsAdmin, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);

    public async Task<bool> IsAdminAsync(Install.SlackTeam team, string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId)) return false;
        if (options.Value.AdminUserIds.Contains(userId, StringComparer.Ordinal)) return true;
        return await IsWorkspaceAdminAsync(team, userId, cancellationToken);
    }

    /// <summary>Slack's own word only: an admin or owner of the workspace (Slack:AdminUserIds does not count).</summary>
    public async Task<bool> IsWorkspaceAdminAsync(Install.SlackTeam team, string? userId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(userId)) return false;
        var now = time.GetUtcNow();
        // User ids are unique across Slack, but an admin of one workspace is not one of another.
        var key = $"{team.TeamId}/{userId}";
        if (_cache.TryGetValue(key, out var cached) && now - cached.At < CacheFor) return cached.IsAdmin;

        bool isAdmin;
        try
        {
            var response = await web.UserInfoAsync(team, userId, cancellationToken);
            var user = response.User is { ValueKind: JsonValueKind.Object } element ? element.Deserialize(SlackJson.Default.SlackUser) : null;
            isAdmin = user is { IsAdmin: true } or { IsOwner: true };
        }
        catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException)
        {
            return false;
        }

        _cache[key] = (isAdmin, now);
        return isAdmin;
    }
}
