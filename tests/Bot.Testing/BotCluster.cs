using Bot.Testing.Discord;
using Bot.Testing.Slack;

namespace Bot.Testing;

/// <summary>
/// Several bot processes on one PostgreSQL database, talking to the fake Discord and Slack: a Quartz cluster
/// as it runs in production, small. Instance <c>i</c> is named <c>bot-i</c> in the cluster
/// (<c>Scheduler:InstanceId</c>), so a test can find which process holds a trigger in qrtz_fired_triggers.
/// </summary>
public sealed class BotCluster : IAsyncDisposable
{
    private readonly string _folder;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly List<BotProcess> _instances = [];

    private BotCluster(string folder, IReadOnlyDictionary<string, string> settings)
    {
        _folder = folder;
        _settings = settings;
    }

    public IReadOnlyList<BotProcess> Instances => _instances;

    /// <summary>The cluster name Quartz knows instance <paramref name="index"/> by.</summary>
    public static string InstanceId(int index) => $"bot-{index}";

    public BotProcess this[string instanceId] => _instances.Single(p => p.Name == instanceId);

    /// <param name="settings">Over the defaults below (e.g. a check-in interval).</param>
    /// <param name="waitUntilHealthy">False to watch work that starts before every instance is through its start-up.</param>
    public static async Task<BotCluster> StartAsync(
        string connectionString, FakeDiscordServer discord, FakeSlackServer slack, int count,
        IReadOnlyDictionary<string, string>? settings = null, bool waitUntilHealthy = true)
    {
        var all = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "Postgres",
            ["Storage__ConnectionString"] = connectionString,
            ["Seeds__Path"] = RepoPaths.Seeds,
            ["Logging__LogLevel__Default"] = "Warning",
            // Lexical answers only: three copies of the embedding model would take the machine's cores for a minute.
            ["Answers__Embeddings"] = "false",
            ["Discord__ApplicationId"] = discord.ApplicationId,
            ["Discord__PublicKey"] = discord.PublicKeyHex,
            ["Discord__BotToken"] = discord.BotToken,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl.ToString(),
            ["Slack__SigningSecret"] = slack.SigningSecret,
            ["Slack__BotToken"] = slack.BotToken,
            ["Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            // A claim left by a killed process is retried after 3 s instead of 2 minutes.
            ["Delivery__SendLeaseSeconds"] = "3",
            // A dead instance is noticed within about two seconds instead of ten.
            ["Scheduler__CheckinInterval"] = "00:00:01",
            ["Scheduler__CheckinMisfireThreshold"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;

        var cluster = new BotCluster(Directory.CreateTempSubdirectory("bot-cluster-").FullName, all);
        try
        {
            for (var i = 0; i < count; i++) await cluster.StartInstanceAsync(i);
            if (waitUntilHealthy) await cluster.WaitHealthyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Until every instance answers /healthz: its store is migrated and its start-up sync and catch-up are done.</summary>
    public Task WaitHealthyAsync() => Task.WhenAll(_instances.Select(p => p.WaitHealthyAsync(TimeSpan.FromSeconds(240))));

    /// <summary>Every instance's last lines, for a failing test's message.</summary>
    public string Output => string.Join("\n", _instances.Select(p => $"--- {p.Name}{(p.HasExited ? " (exited)" : "")} ---\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private async Task StartInstanceAsync(int index)
    {
        var name = InstanceId(index);
        var folder = Path.Combine(_folder, name);
        Directory.CreateDirectory(folder);
        var environment = new Dictionary<string, string>(_settings)
        {
            ["Scheduler__InstanceId"] = name,
        };
        _instances.Add(BotProcess.Start(name, folder, environment));
    }
}
