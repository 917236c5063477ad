using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Chat;

/// <summary>The command core wired to a seeded SQLite store, shared by the tests of one class.</summary>
public sealed class CoreFixture : IAsyncLifetime
{
    public TestStore Store { get; private set; } = null!;
    public CommandRouter Router { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync(seeded: true);
        Router = CreateRouter(Store.Store, Store.Time);
    }

    public static CommandRouter CreateRouter(IIncidentStore store, TimeProvider time, params ICommandHandler[] extra) =>
        CreateRouter(store, time, CommandNames.Unchanged, extra);

    public static CommandRouter CreateRouter(IIncidentStore store, TimeProvider time, CommandNames names, params ICommandHandler[] extra) =>
        new([.. Handlers(store, time, names), .. extra], names, NullLogger<CommandRouter>.Instance);

    public static ICommandHandler[] Handlers(IIncidentStore store, TimeProvider time, CommandNames? names = null)
    {
        names ??= CommandNames.Unchanged;
        var finder = new IncidentFinder(store);
        var list = new IncidentListCommand(store, names);
        return
        [
            new IncidentCommand(finder, list, names), list, new TimelineCommand(finder, names), new SourcesCommand(finder, names),
            new RelatedCommand(finder, store, names), new OnThisDayCommand(new OnThisDay(store), time, names),
        ];
    }

    public Task<ChatMessage> AskAsync(string commandLine) =>
        Router.HandleAsync(new ChatRequest(commandLine, ChatContext.Cli), CancellationToken.None);

    public async Task DisposeAsync() => await Store.DisposeAsync();
}
