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
        new([.. Handlers(store, time), .. extra], NullLogger<CommandRouter>.Instance);

    public static ICommandHandler[] Handlers(IIncidentStore store, TimeProvider time)
    {
        var finder = new IncidentFinder(store);
        var list = new IncidentListCommand(store);
        return
        [
            new IncidentCommand(finder, list), list, new TimelineCommand(finder), new SourcesCommand(finder),
            new RelatedCommand(finder, store), new OnThisDayCommand(new OnThisDay(store), time),
        ];
    }

    public Task<ChatMessage> AskAsync(string commandLine) =>
        Router.HandleAsync(new ChatRequest(commandLine, ChatContext.Cli), CancellationToken.None);

    public async Task DisposeAsync() => await Store.DisposeAsync();
}
