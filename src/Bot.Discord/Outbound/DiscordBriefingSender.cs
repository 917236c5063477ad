using Bot.Core.Briefings;
using Bot.Discord.Protocol;

namespace Bot.Discord.Outbound;

/// <summary>
/// Posts scheduled briefings to Discord channels. The nonce is the delivery's own id with
/// enforce_nonce, so a resend after a crash returns the message already posted instead of a second one.
/// </summary>
internal sealed class DiscordBriefingSender(DiscordRestClient rest) : IBriefingSender
{
    public string Platform => "discord";

    public async Task<string?> SendAsync(Subscription subscription, Delivery delivery, bool uncertain, CancellationToken cancellationToken)
    {
        try
        {
            var sent = await rest.CreateMessageAsync(subscription.Channel, DiscordMessageRenderer.Render(delivery.Message!, ephemeral: false), $"briefing-{delivery.Id}", cancellationToken);
            return sent.Id;
        }
        catch (DiscordApiException ex) when (ex.HttpStatus is 403 or 404 || ex.Code is 50001 or 50013 or 10003)
        {
            // Missing access or an unknown channel: retrying every day would only fail every day. The channel pauses
            // until the guild comes back (GUILD_CREATE) or someone subscribes there again.
            throw new AccessLostException(ex.Message, wholeWorkspace: false, ex);
        }
        catch (DiscordApiException ex) when (ex.IsPermanent)
        {
            throw new PermanentDeliveryException(ex.Message, ex);
        }
        catch (DiscordInvalidIdException ex)
        {
            // A channel id that can never be a path will not become one on a retry.
            throw new PermanentDeliveryException(ex.Message, ex);
        }
    }
}
