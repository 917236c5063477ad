using Bot.Core.Answers;
using Bot.Core.Briefings;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The command core: router, handlers and use cases. Needs an <see cref="IIncidentStore"/> from storage.</summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddCommandNames();
        services.AddSingleton<IncidentFinder>();
        services.AddSingleton<OnThisDay>();
        services.AddSingleton<IncidentImporter>();
        services.AddSingleton<Incidents.Editing.IncidentEditor>();
        services.AddSingleton<Incidents.Editing.IncidentExporter>();
        services.AddOptions<Incidents.Editing.ContentOptions>().BindConfiguration(Incidents.Editing.ContentOptions.Section);
        services.AddSingleton<ICommandHandler, Incidents.Editing.IncidentEditCommand>();
        services.AddSingleton<IncidentListCommand>();
        services.AddSingleton<ICommandHandler, IncidentCommand>();
        services.AddSingleton<ICommandHandler>(sp => sp.GetRequiredService<IncidentListCommand>());
        services.AddSingleton<ICommandHandler, TimelineCommand>();
        services.AddSingleton<ICommandHandler, SourcesCommand>();
        services.AddSingleton<ICommandHandler, RelatedCommand>();
        services.AddSingleton<ICommandHandler, OnThisDayCommand>();
        services.AddOptions<DeliveryOptions>().BindConfiguration(DeliveryOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton<DigestComposer>();
        services.AddSingleton<OnThisDayNote>();
        services.AddSingleton<BriefingService>();
        services.AddSingleton<Installations.InstallationService>();
        services.TryAddSingleton<IBriefingScheduler, NoBriefingScheduler>();
        services.AddSingleton<ICommandHandler, BriefingCommand>();
        services.AddSingleton<ConversationMemory>();
        services.AddOptions<AnswerOptions>().BindConfiguration(AnswerOptions.Section);
        // Lexical answers unless an embedding model is registered (Bot.Embeddings).
        services.TryAddSingleton<ITextEmbedder, NoTextEmbedder>();
        services.TryAddSingleton<IEnglishWords>(EnglishWords.None);
        services.AddSingleton<PassageVectorSearch>();
        services.AddSingleton<PassageVectorBuilder>();
        services.AddSingleton<CandidateSearch>();
        services.AddSingleton<AnswerEngine>();
        services.AddSingleton<AnswerEvaluator>();
        services.AddSingleton<ICommandHandler, AskCommand>();
        services.AddSingleton<ICommandHandler, FeedbackCommand>();
        // Feeds: the domain only. The host registers the IFeedFetcher (Bot.Feeds); without one the poller stays idle.
        services.AddOptions<Feeds.FeedOptions>().BindConfiguration(Feeds.FeedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new Feeds.FeedPolling(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Feeds.FeedItemLinker>();
        // Built on first use, so a container without a fetcher still validates (ValidateOnBuild) and only polling is off.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Feeds.FeedIngestor>(sp));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Feeds.FeedRound>(sp));
        services.AddSingleton<Feeds.FeedTriage>();
        // Live item posts: queued by the poller and triage, sent by the outbox pass as soon as they are signalled.
        services.AddSingleton<Feeds.OutboxSignal>();
        services.AddSingleton<Feeds.ItemPostOutbox>();
        services.AddHostedService<Feeds.ItemPostSender>();
        services.AddSingleton<ICommandHandler, Feeds.FeedsCommand>();
        services.AddHostedService<Feeds.FeedPoller>();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<BackgroundWork>();
        services.AddSingleton<RenderedReplyCache>();
        return services;
    }

    /// <summary>
    /// <see cref="CommandNames"/> from <c>Commands:*</c>, validated at start. The adapters call it too: registering
    /// commands (<c>bot discord register</c>) or printing the Slack manifest needs the names without the whole core.
    /// </summary>
    public static IServiceCollection AddCommandNames(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CommandNames))) return services;
        services.AddOptions<CommandOptions>().BindConfiguration(CommandOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CommandOptions>, CommandOptionsValidator>();
        services.AddSingleton<CommandNames>();
        return services;
    }
}
