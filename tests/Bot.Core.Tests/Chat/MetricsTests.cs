using System.Diagnostics.Metrics;
using Bot.Core.Chat;

namespace Bot.Core.Tests.Chat;

public class MetricsTests(CoreFixture core) : IClassFixture<CoreFixture>
{
    [Fact]
    public async Task Every_command_is_counted_with_its_platform_command_and_outcome()
    {
        using var metrics = new BotMetrics();
        var router = new CommandRouter(CoreFixture.Handlers(core.Store.Store, core.Store.Time), CommandNames.Unchanged, Microsoft.Extensions.Logging.Abstractions.NullLogger<CommandRouter>.Instance, metrics);
        var seen = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        // Other tests' routers count on the same meter name; the assertions look for this test's own measurements.
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == BotMetrics.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (seen) seen.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
        });
        listener.Start();

        await router.HandleAsync(new ChatRequest("incident balloon", ChatContext.Cli with { Platform = "slack" }), CancellationToken.None);
        await router.HandleAsync(new ChatRequest("incident nothing-like-this-at-all", ChatContext.Cli with { Platform = "discord" }), CancellationToken.None);
        await router.HandleAsync(new ChatRequest("teleport", ChatContext.Cli), CancellationToken.None);

        Assert.Contains(seen, m => m.Name == "bot.commands" && (string)m.Tags["platform"]! == "slack" && (string)m.Tags["command"]! == "incident" && (string)m.Tags["outcome"]! == "card");
        Assert.Contains(seen, m => m.Name == "bot.commands" && (string)m.Tags["platform"]! == "discord" && (string)m.Tags["outcome"]! == "notice");
        Assert.Contains(seen, m => m.Name == "bot.commands" && (string)m.Tags["command"]! == "unknown" && (string)m.Tags["outcome"]! == "error");
    }
}
