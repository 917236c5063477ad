using System.Diagnostics.Metrics;

namespace Bot.Core.Chat;

/// <summary>
/// Counters for what the bot does, on the "Bot" meter (OpenTelemetry or dotnet-counters can read
/// it): commands by platform, command and outcome, and scheduled deliveries by platform and outcome.
/// </summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "Bot";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _commands;
    private readonly Counter<long> _deliveries;

    public BotMetrics()
    {
        _commands = _meter.CreateCounter<long>("bot.commands", description: "Commands answered, by platform, command and outcome (card, notice, error, failure)");
        _deliveries = _meter.CreateCounter<long>("bot.deliveries", description: "Scheduled posts, by platform and outcome (sent, retry, failed)");
    }

    public void Command(string platform, string command, string outcome) =>
        _commands.Add(1, new("platform", platform), new("command", command), new("outcome", outcome));

    public void Delivery(string platform, string outcome) =>
        _deliveries.Add(1, new("platform", platform), new("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
