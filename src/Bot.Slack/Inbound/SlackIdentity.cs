using Bot.Slack.Protocol;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Inbound;

/// <summary>Who the bot is in the workspace (from auth.test, asked once), so it never answers itself.</summary>
internal sealed class SlackIdentity(SlackWebClient web, ILogger<SlackIdentity> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string? UserId, string? BotId)? _known;

    public async Task<(string? UserId, string? BotId)> GetAsync(CancellationToken cancellationToken)
    {
        if (_known is { } known) return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_known is { } again) return again;
            var response = await web.AuthTestAsync(cancellationToken);
            _known = (response.UserId, response.BotId);
            return _known.Value;
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

    public void Dispose() => _gate.Dispose();
}
