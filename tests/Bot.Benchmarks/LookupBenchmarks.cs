using BenchmarkDotNet.Attributes;
using Bot.Core.Chat;

namespace Bot.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the same requests as "lookup", over the store of generated incidents: mean time and
/// allocations per request. Each invocation takes the next query from a fixed, shuffled set, so the numbers are
/// an average over many incidents rather than one hot row.
/// </summary>
[MemoryDiagnoser]
public class LookupBenchmarks
{
    private BotServices _services = null!;
    private CommandRouter _router = null!;
    private ChatRequest[] _slug = [], _alias = [], _words = [], _typoName = [], _typoAlias = [], _onThisDay = [];
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var settings = BenchSettings.FromEnvironment();
        var store = await BenchFiles.EnsureLargeStoreAsync(settings, Console.Out);
        var cases = LookupCases.Sample(settings, 1024);
        ChatRequest[] Requests(LookupKind kind, int count) =>
            cases.Take(count).Select(c => new ChatRequest($"incident {c.Query(kind)}", ChatContext.Cli)).ToArray();
        _slug = Requests(LookupKind.Slug, 1024);
        _alias = Requests(LookupKind.Alias, 1024);
        _words = Requests(LookupKind.Words, 1024);
        _typoName = Requests(LookupKind.TypoName, 256);
        _typoAlias = Requests(LookupKind.TypoAlias, 64);
        // Every calendar day of a leap year, 29 February included.
        var random = new Random(7);
        _onThisDay = Enumerable.Range(0, 366)
            .Select(d => new DateOnly(2024, 1, 1).AddDays(d))
            .Select(d => new ChatRequest($"onthisday {d:MM-dd}", ChatContext.Cli))
            .OrderBy(_ => random.Next())
            .Take(256)
            .ToArray();
        _services = await BotServices.CreateAsync(store);
        _router = _services.Get<CommandRouter>();
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _services.DisposeAsync();

    private ChatRequest Next(ChatRequest[] requests) => requests[_next++ & (requests.Length - 1)];

    [Benchmark(Description = "incident <slug>")]
    public Task<ChatMessage> IncidentBySlug() => _router.HandleAsync(Next(_slug), CancellationToken.None);

    [Benchmark(Description = "incident <alias>")]
    public Task<ChatMessage> IncidentByAlias() => _router.HandleAsync(Next(_alias), CancellationToken.None);

    [Benchmark(Description = "incident <code name> (title words)")]
    public Task<ChatMessage> IncidentByWords() => _router.HandleAsync(Next(_words), CancellationToken.None);

    [Benchmark(Description = "incident <misspelt code name>")]
    public Task<ChatMessage> IncidentByTypo() => _router.HandleAsync(Next(_typoName), CancellationToken.None);

    [Benchmark(Description = "incident operation <misspelt code name>")]
    public Task<ChatMessage> IncidentByTypoAlias() => _router.HandleAsync(Next(_typoAlias), CancellationToken.None);

    [Benchmark(Description = "onthisday <MM-DD>")]
    public Task<ChatMessage> OnThisDay() => _router.HandleAsync(Next(_onThisDay), CancellationToken.None);
}
