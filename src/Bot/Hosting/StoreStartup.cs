using Bot.Storage;

namespace Bot.Hosting;

/// <summary>Migrates and seeds the store before the host takes requests; a broken store stops start-up.</summary>
internal sealed class StoreStartup(StoreInitializer initializer, StoreReadiness readiness) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await initializer.InitializeAsync(cancellationToken);
        readiness.MarkReady();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal sealed class StoreReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}

/// <summary>
/// On shutdown, lets answers already promised (deferred replies, acknowledged events) finish before
/// the process exits, up to a limit, instead of dropping them half done.
/// </summary>
internal sealed class BackgroundWorkDrain(Bot.Core.Chat.BackgroundWork work, TimeProvider time) : IHostedService
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => work.DrainAsync(Limit, time);
}
