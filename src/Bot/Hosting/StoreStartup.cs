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
