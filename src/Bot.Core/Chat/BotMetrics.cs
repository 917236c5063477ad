using System.Diagnostics.Metrics;

namespace Bot.Core.Chat;

/// <summary>
/// Counters for what the bot does, on the "Bot" meter (OpenTelemetry or dotnet-counters can read
/// it): commands by platform, command and outcome, scheduled deliveries by platform and outcome,
/// and websocket connection events by platform.
/// </summary>
public sealed class BotMetrics : IDisposable
{
    public const string MeterName = "Bot";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _commands;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _websocket;

    public BotMetrics()
    {
        _commands = _meter.CreateCounter<long>("bot.commands", description: "Commands answered, by platform, command and outcome (card, notice, error, failure)");
        _deliveries = _meter.CreateCounter<long>("bot.deliveries", description: "Scheduled posts, by platform and outcome (sent, retry, failed)");
        _websocket = _meter.CreateCounter<long>("bot.websocket", description: "Gateway and Socket Mode connection events, by platform and event (identified, resumed, opened, lost, replaced)");
    }

    public void Command(string platform, string command, string outcome) =>
        _commands.Add(1, new("platform", platform), new("command", command), new("outcome", outcome));

    public void Delivery(string platform, string outcome) =>
        _deliveries.Add(1, new("platform", platform), new("outcome", outcome));

    public void WebSocket(string platform, string @event) =>
        _websocket.Add(1, new("platform", platform), new("event", @event));

    public void Dispose() => _meter.Dispose();
}
