namespace Bot.Discord.Gateway;

/// <summary>What the gateway is doing, for readiness and for tests: how many shards are up, or why it stopped.</summary>
public sealed class DiscordGatewayStatus
{
    private volatile IReadOnlyList<GatewayShard> _shards = [];

    public string? StoppedBecause { get; private set; }

    public int ShardCount => _shards.Count;

    public int ReadyShards => _shards.Count(s => s.IsReady);

    internal void Running(IReadOnlyList<GatewayShard> shards) => _shards = shards;

    internal void Stopped(string cause) => StoppedBecause = cause;

    /// <summary>For readiness: throws unless every shard holds a live session.</summary>
    public string Describe()
    {
        if (StoppedBecause is { } cause) throw new InvalidOperationException($"Discord gateway stopped: {cause}");
        var (ready, total) = (ReadyShards, ShardCount);
        if (total == 0 || ready < total) throw new InvalidOperationException($"Discord gateway connecting ({ready} of {total} shards ready)");
        return $"Discord gateway connected ({ready} of {total} shards ready)";
    }
}
