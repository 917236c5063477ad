using Bot.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Bot.Tests;

public sealed class LogSecretsTests
{
    private static LogSecrets From(params (string Key, string Value)[] settings) =>
        LogSecrets.From(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void Values_under_secret_names_and_connection_string_passwords_are_blanked()
    {
        var secrets = From(
            ("Slack:ClientSecret", "client-secret-value"),
            ("Feeds:Sources:0:ApiKey", "feed-api-key-value"),
            ("Storage:ConnectionString", "Host=db;Username=bot;Password='p@ss;word!'"),
            ("Discord:PublicKey", "public-key-value"));

        var text = secrets.Scrub("client-secret-value feed-api-key-value p@ss;word! public-key-value Host=db");

        Assert.Equal("[secret] [secret] [secret] public-key-value Host=db", text);
    }

    [Fact]
    public void Short_values_are_left_alone_since_they_would_blank_ordinary_words()
    {
        var secrets = From(("Test:Password", "bot"));

        Assert.Equal("the bot answered", secrets.Scrub("the bot answered"));
    }

    [Fact]
    public void A_connection_string_that_does_not_parse_adds_nothing_and_does_not_throw()
    {
        var secrets = From(("Storage:ConnectionString", "Host=db;Password"));

        Assert.Equal("Host=db;Password", secrets.Scrub("Host=db;Password"));
    }

    [Fact]
    public void Text_with_nothing_to_hide_comes_back_as_the_same_instance()
    {
        var text = "Bot running at http://127.0.0.1:5080/webhooks/abc";

        Assert.Same(text, From(("Slack:BotToken", "xoxb-123456")).Scrub(text));
    }

    [Fact]
    public void An_entry_with_nothing_to_hide_keeps_its_structured_values()
    {
        var provider = new StateCapturingProvider();
        using var factory = new ScrubbingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(provider)), From(("Slack:BotToken", "xoxb-123456")));
        var logger = factory.CreateLogger("Test");

        logger.LogInformation("Posted {Count} digests", 3);
        logger.LogInformation("Token {Token}", "xoxb-123456");

        var clean = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<string, object?>>>(provider.States[0]);
        Assert.Contains(clean, pair => pair is { Key: "Count", Value: 3 });
        Assert.Equal("Token [secret]", Assert.IsType<string>(provider.States[1]));
    }

    [Fact]
    public void An_exception_with_nothing_to_hide_is_passed_on_as_it_is()
    {
        var provider = new StateCapturingProvider();
        using var factory = new ScrubbingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(provider)), From());
        var thrown = new InvalidOperationException("store locked");

        factory.CreateLogger("Test").LogWarning(thrown, "Retrying");

        Assert.Same(thrown, provider.Exceptions[0]);
    }

    [Fact]
    public void Odd_entries_are_passed_on_without_a_crash()
    {
        var provider = new StateCapturingProvider();
        using var factory = new ScrubbingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(provider)), From(("Slack:BotToken", "xoxb-123456")));
        var logger = factory.CreateLogger("Test");

        logger.Log(LogLevel.Warning, default, new object(), null, (_, _) => null!);
        logger.LogWarning(new InvalidOperationException("half a pair \ud800 and xoxb-123456\r\nFORGED"), "Failed");

        var scrubbed = Assert.IsType<ScrubbedException>(provider.Exceptions[1]).ToString();
        Assert.DoesNotContain("xoxb-123456", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nFORGED", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("\ud800", scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scope_is_scrubbed_value_by_value_and_an_innocent_one_is_passed_on_as_it_is()
    {
        var provider = new StateCapturingProvider();
        using var factory = new ScrubbingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(provider)), From(("Slack:BotToken", "xoxb-123456")));
        var logger = factory.CreateLogger("Test");
        var innocent = new KeyValuePair<string, object?>[] { new("Platform", "slack") };

        using (logger.BeginScope(innocent))
        using (logger.BeginScope(new KeyValuePair<string, object?>[] { new("Platform", "slack"), new("Url", "https://x/?t=xoxb-123456"), new("Missing", null) }))
        using (logger.BeginScope("token xoxb-123456"))
        using (logger.BeginScope(new object()))
        {
        }

        Assert.Same(innocent, provider.Scopes[0]);
        var pairs = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<string, object?>>>(provider.Scopes[1]);
        Assert.Equal(["slack", "https://x/?t=[secret]", null], pairs.Select(pair => pair.Value));
        Assert.Equal("token [secret]", provider.Scopes[2]);
        Assert.IsNotType<string>(provider.Scopes[3]);
    }

    private sealed class StateCapturingProvider : ILoggerProvider
    {
        public List<object?> States { get; } = [];
        public List<object> Scopes { get; } = [];
        public List<Exception?> Exceptions { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(StateCapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner.Scopes.Add(state);
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.States.Add(state);
                owner.Exceptions.Add(exception);
            }
        }
    }
}
