using Bot.Core.Chat;
using Bot.Discord.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Gateway;

/// <summary>
/// Gateway mode (<c>Discord:Mode = Gateway</c>): asks <c>GET /gateway/bot</c> where to connect and
/// how many shards to run, then keeps every shard connected until shutdown. A fatal close code
/// stops this adapter only; the host, Slack and the briefings carry on.
/// </summary>
internal sealed class DiscordGatewayService(
    DiscordRestClient rest,
    GatewayEventHandler events,
    DiscordGatewayStatus status,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    BotMetrics metrics,
    SharedBudgetChoice sharedBudget,
    IOptions<DiscordOptions> options,
    ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan UnreachableRetry = TimeSpan.FromSeconds(30);
    private readonly ILogger _logger = loggers.CreateLogger<DiscordGatewayService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Mode != DiscordMode.Gateway) return;
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            var plan = await PlanAsync(settings, stoppingToken);
            await RunShardsAsync(plan, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (GatewayFatalException ex)
        {
            Stop($"{ex.Cause} (close code {ex.Code})");
        }
        catch (DiscordApiException ex) when (ex.HttpStatus is 401 or 403)
        {
            Stop($"Discord refused Discord:BotToken when asked for the gateway (HTTP {ex.HttpStatus})");
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "Discord gateway failed unexpectedly");
            status.Stopped($"failed unexpectedly ({ex.GetType().Name})");
        }
    }

    private void Stop(string cause)
    {
        status.Stopped(cause);
        _logger.LogCritical("Discord gateway stopped: {Cause}. The rest of the bot keeps running; fix the cause and restart.", cause);
    }

    private async Task<GatewayPlan> PlanAsync(DiscordOptions settings, CancellationToken cancellationToken)
    {
        while (true)
        {
            GatewayBotInfo? info;
            try
            {
                info = await rest.GetGatewayBotAsync(cancellationToken);
            }
            catch (DiscordUnavailableException ex)
            {
                _logger.LogWarning("Discord gateway: cannot reach Discord ({Error}); trying again in {Seconds}s", ex.Message, UnreachableRetry.TotalSeconds);
                await Task.Delay(UnreachableRetry, time, cancellationToken);
                continue;
            }

            if (!Uri.TryCreate(info?.Url, UriKind.Absolute, out var url))
                throw new DiscordUnavailableException("GET /gateway/bot answered without a gateway URL");
            var shards = settings.ShardCount ?? Math.Max(1, info!.Shards);
            var opened = settings.ChosenShards ?? [.. Enumerable.Range(0, shards)];
            var limit = info!.SessionStartLimit;
            if (limit is { Remaining: var remaining, ResetAfter: var resetAfter } && remaining < opened.Count)
            {
                // Identifying past the daily limit makes Discord reset the bot token: waiting is the only safe move.
                _logger.LogError("Discord allows {Remaining} more session starts today and {Shards} are needed; waiting {Minutes:F0} min for the limit to reset",
                    remaining, opened.Count, resetAfter / 60000.0);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1000, resetAfter)), time, cancellationToken);
                continue;
            }

            var intents = GatewayIntents.Guilds | GatewayIntents.GuildMessages | GatewayIntents.DirectMessages;
            if (settings.MessageContentIntent) intents |= GatewayIntents.MessageContent;
            return new GatewayPlan(url, shards, settings.BotToken!, intents, new IdentifyLimiter(limit?.MaxConcurrency ?? 1, time, sharedBudget.Budget))
            {
                Opened = opened,
            };
        }
    }

    private async Task RunShardsAsync(GatewayPlan plan, CancellationToken stoppingToken)
    {
        var shards = plan.Opened
            .Select(id => new GatewayShard(id, plan, events, time, Random.Shared.NextDouble, loggers.CreateLogger<GatewayShard>(), metrics))
            .ToList();
        status.Running(shards);
        _logger.LogInformation("Discord gateway: shard(s) {Shards} of {Count} at {Url}", string.Join(",", plan.Opened), plan.ShardCount, plan.Url);

        using var allShards = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAll(shards.Select(async shard =>
        {
            try
            {
                await shard.RunAsync(allShards.Token);
            }
            catch (GatewayFatalException)
            {
                // A bad token or intent is wrong for every shard: stop them all.
                await allShards.CancelAsync();
                throw;
            }
        }));
    }
}
