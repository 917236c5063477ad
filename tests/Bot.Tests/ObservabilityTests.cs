using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Diagnostics;
using Bot.Testing;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Bot.Tests;

public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_serves_prometheus_text_with_the_bots_counters_when_enabled()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?> { ["Metrics:Prometheus"] = "true" });
        using var command = new HttpRequestMessage(HttpMethod.Post, new Uri("/playground/chat", UriKind.Relative)) { Content = JsonContent.Create(new { text = "incident balloon" }) };
        command.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var answered = await bot.Http.SendAsync(command);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        using var response = await bot.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE bot_commands_total counter", text, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), line => line.StartsWith("bot_commands_total{", StringComparison.Ordinal)
            && line.Contains("platform=\"local\"", StringComparison.Ordinal) && line.Contains("command=\"incident\"", StringComparison.Ordinal));
        // ASP.NET Core's own metrics come along.
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_is_not_found_and_nothing_is_collected_when_not_enabled()
    {
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>());

        using var response = await bot.Http.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(bot.Services.GetService<MeterProvider>());
        Assert.Null(bot.Services.GetService<TracerProvider>());
    }
}

public sealed class OtlpTracingTests
{
    [Fact]
    public async Task An_otlp_endpoint_turns_on_metrics_and_traces_and_spans_of_outgoing_calls_keep_no_path()
    {
        var spans = new List<Activity>();
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            // Nothing listens there: exports fail quietly in the background, which is all this test needs.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9",
        }, services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        Assert.NotNull(bot.Services.GetService<MeterProvider>());
        var tracer = bot.Services.GetRequiredService<TracerProvider>();

        // An interaction token travels in the path of Discord's webhook routes.
        const string token = "secret-interaction-token-in-the-path";
        using var client = new HttpClient();
        using var _ = await client.GetAsync(new Uri(discord.ApiBaseUrl, $"webhooks/{discord.ApplicationId}/{token}/messages/@original"));
        tracer.ForceFlush();

        List<Activity> outgoing;
        lock (spans) outgoing = spans.Where(s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem("server.port"), discord.ApiBaseUrl.Port)).ToList();
        var span = Assert.Single(outgoing);
        Assert.Equal($"http://127.0.0.1:{discord.ApiBaseUrl.Port}/", span.GetTagItem("url.full"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(token, span.DisplayName, StringComparison.Ordinal);
    }
}

public sealed class NetworkFailureTests
{
    [Fact]
    public async Task A_closed_port_on_loopback_is_connection_refused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.0.1:{port}/webhooks/1/secret")));

        Assert.Equal("connection refused", NetworkFailure.Describe(failure));
    }

    [Fact]
    public async Task Https_to_a_plain_http_server_is_a_tls_failure()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        using var http = new HttpClient();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new UriBuilder(discord.ApiBaseUrl) { Scheme = "https" }.Uri));

        Assert.Equal("TLS handshake failed", NetworkFailure.Describe(failure));
    }

    [Fact]
    public void Dns_and_timeouts_are_named_and_nothing_quotes_the_address()
    {
        var dns = new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (discord.com:443)", new SocketException((int)SocketError.HostNotFound));
        var timeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException());

        Assert.Equal("DNS lookup failed", NetworkFailure.Describe(dns));
        Assert.Equal("timed out", NetworkFailure.Describe(timeout));
    }

    [Fact]
    public async Task The_discord_client_logs_the_cause_of_a_failed_attempt()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var captured = new ConcurrentQueue<string>();
        await using var bot = await RunningBot.StartAsync(new Dictionary<string, string?>
        {
            ["Discord:ApplicationId"] = "1100000000000000001",
            ["Discord:PublicKey"] = new string('a', 64),
            ["Discord:BotToken"] = "closed-port-token",
            ["Discord:ApiBaseUrl"] = $"http://127.0.0.1:{port}/api/v10/",
        }, services => services.AddLogging(logging => logging.AddProvider(new CapturingLoggerProvider(captured))));
        var sender = bot.Services.GetServices<IBriefingSender>().Single(s => s.Platform == "discord");
        using var stop = new CancellationTokenSource();

        var post = sender.SendAsync(new Subscription { Platform = "discord", Workspace = "g1", Channel = "111", Kind = BriefingKind.Digest },
            new Delivery { Id = 1, Message = new ChatMessage { Title = "Briefing" } }, uncertain: false, stop.Token);
        var line = await Eventually.HoldsAsync(() => captured.FirstOrDefault(l => l.Contains("retry 1", StringComparison.Ordinal)), "a retry log line");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);

        Assert.Contains("(connection refused)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("closed-port-token", line, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}

public sealed class JsonConsoleLogTests
{
    [Fact]
    public async Task Logging_Console_FormatterName_json_writes_one_json_object_per_line()
    {
        var folder = Directory.CreateTempSubdirectory("bot-json-logs-").FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "bot.dll"), "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(arg);
        start.Environment["Storage__Path"] = Path.Combine(folder, "bot.db");
        start.Environment["Seeds__Path"] = RepoPaths.Seeds;
        start.Environment["Logging__Console__FormatterName"] = "json";
        var lines = new ConcurrentQueue<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) lines.Enqueue(line); };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.TrueAsync(() => lines.Any(l => l.Contains("Local mode", StringComparison.Ordinal)), "the start-up line", TimeSpan.FromSeconds(60));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }

        Assert.All(lines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(json.RootElement.TryGetProperty("Message", out _), line);
        });
        var started = lines.Select(l => JsonDocument.Parse(l).RootElement).First(e => e.GetProperty("Message").GetString()!.Contains("Local mode", StringComparison.Ordinal));
        Assert.Equal("Information", started.GetProperty("LogLevel").GetString());
        Assert.StartsWith("http://127.0.0.1:", started.GetProperty("State").GetProperty("Url").GetString(), StringComparison.Ordinal);
    }
}
