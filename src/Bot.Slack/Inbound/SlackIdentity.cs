using System.Collections.Concurrent;
using Bot.Core.Diagnostics;
using Bot.Slack.Install;
using Bot.Slack.Protocol;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Inbound;

/// <summary>Who the bot is in each workspace (from auth.test with that workspace's token, asked once), so it never answers itself.</summary>
internal sealed class SlackIdentity(SlackWebClient web, ILogger<SlackIdentity> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<SlackTeam, (string? UserId, string? BotId)> _known = new();

    public async Task<(string? UserId, string? BotId)> GetAsync(SlackTeam team, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(team, out var known)) return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_known.TryGetValue(team, out var again)) return again;
            var response = await web.AuthTestAsync(team, cancellationToken);
            return _known[team] = (response.UserId, response.BotId);
        }
        catch (Exception ex) when (ex is SlackApiException or SlackUnavailableException)
        {
            // Without auth.test the bot still drops every bot_id event; it just cannot recognise its own user id yet.
            logger.LogWarning("Slack auth.test failed: {Error}", LogText.Escape(ex.Message));
            return (null, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A reinstall may come with another bot user: ask again next time.</summary>
    public void Forget(SlackTeam team) => _known.TryRemove(team, out _);

    public void Dispose() => _gate.Dispose();
}
