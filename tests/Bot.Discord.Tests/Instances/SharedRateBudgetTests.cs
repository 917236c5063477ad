using System.Diagnostics;
using Bot.Core;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Bot.Storage;
using Bot.Storage.Migrations;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Bot.Discord.Tests.Instances;

/// <summary>
/// Three instances' REST clients (each its own container, as in three processes) post with one bot
/// token against the fake Discord's global limit of 50 per second. The figures go to the test output.
/// </summary>
[Collection(SharedStoreCollection.Name)]
public sealed class SharedRateBudgetTests(PostgresFixture postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private string _database = null!;

    public async Task InitializeAsync() => _database = await postgres.Server.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Channel(int n) => (1_300_000_000_000_000_000L + n).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Three_instances_sharing_the_budget_post_without_a_single_429()
    {
        var (rate, rejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "true" }, [200, 200, 200], "shared budget, 200/200/200");

        Assert.Equal(0, rejected);
        Assert.True(rate > 0);
    }

    [Fact]
    public async Task Three_instances_each_taking_a_third_post_without_a_single_429()
    {
        var (_, rejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "false", ["Discord:GlobalRateShare"] = "0.3333" }, [200, 200, 200], "split 1/3 each, 200/200/200");

        Assert.Equal(0, rejected);
    }

    [Fact]
    public async Task With_uneven_work_the_shared_budget_lets_the_busy_instance_use_the_whole_rate()
    {
        // Not asserted on speed: the figures are for the README. Both must stay clear of 429s.
        var (_, sharedRejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "true" }, [240, 30, 30], "shared budget, 240/30/30");
        var (_, splitRejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "false", ["Discord:GlobalRateShare"] = "0.3333" }, [240, 30, 30], "split 1/3 each, 240/30/30");

        Assert.Equal((0, 0), (sharedRejected, splitRejected));
    }

    [Fact]
    public async Task Without_either_three_instances_run_into_Discords_global_limit()
    {
        var (_, rejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "false" }, [200, 200, 200], "no coordination, 200/200/200");

        // The fake answers what exceeds 50 per second with a global 429: each instance alone allows itself 50.
        Assert.True(rejected > 0, "three instances at 50/s each should have drawn 429s");
    }

    [Fact]
    public async Task Every_place_taken_is_given_back_once_its_answer_is_in()
    {
        var budget = new RecordingBudget(fail: false);

        var (_, rejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "true" }, [40], "recording budget", budget);

        Assert.Equal(0, rejected);
        Assert.Equal(40, budget.Taken.Count);
        Assert.Equal(budget.Taken.Order(), budget.GivenBack.Order());
    }

    [Fact]
    public async Task A_store_that_fails_leaves_each_instance_on_its_own_limit_and_every_post_goes_out()
    {
        var budget = new RecordingBudget(fail: true);

        var (_, rejected) = await PostAsync(new() { ["Discord:SharedRateBudget"] = "true" }, [60], "failing budget", budget);

        Assert.Equal(0, rejected);
        Assert.Empty(budget.GivenBack);
    }

    /// <summary>Hands out every place asked for (or fails like an unreachable store) and notes what comes back.</summary>
    private sealed class RecordingBudget(bool fail) : Core.Limits.ISharedRateBudget
    {
        private long _next;

        public System.Collections.Concurrent.ConcurrentBag<long> Taken { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<long> GivenBack { get; } = [];

        public Task<DateTimeOffset> ReserveAsync(string key, TimeSpan spacing, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task HoldAsync(string key, DateTimeOffset until, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<Core.Limits.RatePlace> TryTakePlaceAsync(string key, int limit, TimeSpan window, TimeSpan lease, CancellationToken cancellationToken)
        {
            if (fail) throw new TimeoutException("store unreachable");
            var id = Interlocked.Increment(ref _next);
            Taken.Add(id);
            return Task.FromResult(new Core.Limits.RatePlace(id, TimeSpan.Zero));
        }

        public Task GiveBackAsync(Core.Limits.RatePlace place, CancellationToken cancellationToken)
        {
            GivenBack.Add(place.Id!.Value);
            return Task.CompletedTask;
        }
    }

    /// <returns>Messages per second over the whole run, and how many requests Discord refused.</returns>
    private async Task<(double Rate, int Rejected)> PostAsync(Dictionary<string, string?> settings, int[] perInstance, string label, Core.Limits.ISharedRateBudget? budget = null)
    {
        // A fresh Discord for each run, so no second of one run's traffic counts against the next.
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.SetGlobalLimit(RateLimiter.GlobalPerSecond);
        for (var channel = 0; channel < perInstance.Sum(); channel++) discord.AddChannel(Channel(channel));
        var instances = perInstance.Select(_ => Instance(discord, settings, budget)).ToArray();
        try
        {
            await instances[0].GetRequiredService<ISchemaMigrator>().MigrateAsync(CancellationToken.None);
            var requestsBefore = discord.Requests.Count;
            var messagesBefore = discord.Messages.Count;
            var invalidBefore = discord.InvalidRequestCount;
            var offset = 0;
            var stopwatch = Stopwatch.StartNew();
            await Task.WhenAll(instances.Select((instance, i) =>
            {
                var first = offset;
                offset += perInstance[i];
                return PostManyAsync(instance.GetRequiredService<DiscordRestClient>(), first, perInstance[i]);
            }));
            stopwatch.Stop();

            var total = perInstance.Sum();
            var sent = discord.Messages.Count - messagesBefore;
            var rejected = discord.Requests.Count - requestsBefore - sent;
            Assert.Equal(total, sent);
            Assert.Equal(rejected, discord.InvalidRequestCount - invalidBefore);
            var rate = total / stopwatch.Elapsed.TotalSeconds;
            output.WriteLine($"{label}: {total} messages in {stopwatch.Elapsed.TotalSeconds:F1} s = {rate:F1}/s, {rejected} answered 429");
            return (rate, rejected);
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    private static async Task PostManyAsync(DiscordRestClient client, int first, int count)
    {
        // Sixteen posts in flight per instance, as a fan-out keeps several going.
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(Enumerable.Range(first, count).Select(async n =>
        {
            await gate.WaitAsync();
            try
            {
                var payload = DiscordMessageRenderer.Render(new Core.Chat.ChatMessage { Title = "Digest", Text = $"digest {n}" }, ephemeral: false);
                await client.CreateMessageAsync(Channel(n), payload, $"digest-{n}-{Guid.NewGuid():N}"[..25], CancellationToken.None);
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    /// <summary>One instance's services, as its own process would build them: the Discord adapter on the shared store.</summary>
    private ServiceProvider Instance(FakeDiscordServer discord, Dictionary<string, string?> more, Core.Limits.ISharedRateBudget? budget)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Discord:Mode"] = "Gateway",
            ["Discord:ApplicationId"] = discord.ApplicationId,
            ["Discord:BotToken"] = discord.BotToken,
            ["Discord:ApiBaseUrl"] = discord.ApiBaseUrl.ToString().TrimEnd('/'),
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = _database,
        };
        foreach (var (key, value) in more) settings[key] = value;
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddBotCore().AddBotStorage().AddBotDiscord();
        if (budget is not null) services.AddSingleton(budget);
        return services.BuildServiceProvider();
    }
}
