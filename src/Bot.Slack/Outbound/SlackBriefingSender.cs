using Bot.Core.Briefings;
using Bot.Slack.Install;
using Bot.Slack.Protocol;

namespace Bot.Slack.Outbound;

/// <summary>
/// Posts scheduled briefings to Slack channels, with the token of the subscription's workspace. Slack has no idempotent
/// send, so each post carries its delivery id as message metadata, and a resend after an uncertain attempt first looks
/// for that id in the channel's recent history: if the first attempt went through, it is not posted again.
/// </summary>
internal sealed class SlackBriefingSender(SlackWebClient web, SlackOrgs orgs) : IBriefingSender
{
    public const string EventType = "briefing_delivery";

    public string Platform => "slack";

    public async Task<string?> SendAsync(Subscription subscription, Delivery delivery, bool uncertain, CancellationToken cancellationToken)
    {
        var id = delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var team = new SlackTeam(subscription.Workspace);
        try
        {
            if (uncertain && delivery.LastAttemptAt is { } lastAttempt)
            {
                var history = await web.HistoryAsync(team, subscription.Channel, lastAttempt.AddMinutes(-5), cancellationToken);
                var posted = history.Messages?.FirstOrDefault(m => m.Metadata is { EventType: EventType } metadata
                    && metadata.EventPayload.GetValueOrDefault("delivery_id") == id);
                if (posted is not null) return posted.Ts;
            }

            var message = BlockKitRenderer.Render(delivery.Message!, inChannel: true) with
            {
                Channel = subscription.Channel,
                ResponseType = null,
                Metadata = new MessageMetadata(EventType, new Dictionary<string, string> { ["delivery_id"] = id }),
            };
            return (await web.PostMessageAsync(team, message, cancellationToken)).Ts;
        }
        catch (SlackApiException ex) when (ex.IsInstallationLost)
        {
            if (ex.OrgWide is not { } enterprise)
                throw new AccessLostException($"Slack refused the workspace's token ({ex.Error}); install the bot again to resume", wholeWorkspace: true, ex);
            // One org token for many workspaces: all of them stop together, and no other org's.
            throw new AccessLostException($"Slack refused the org's token ({ex.Error}); install the bot in the org again to resume", wholeWorkspace: true, ex)
            {
                OtherWorkspaces = await orgs.CoveredByAsync(enterprise, cancellationToken),
            };
        }
        catch (SlackApiException ex) when (ex.IsPermanent)
        {
            throw new PermanentDeliveryException(ex.Message, ex);
        }
    }
}
