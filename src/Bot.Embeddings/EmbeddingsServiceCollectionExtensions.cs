using Bot.Core.Answers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// The sentence-embedding model for Q&amp;A, unless <c>Answers:Embeddings</c> is false (then answers
    /// are lexical only). Call after AddBotCore.
    /// </summary>
    public static IServiceCollection AddBotEmbeddings(this IServiceCollection services)
    {
        services.RemoveAll<ITextEmbedder>();
        // The model's word list is read from the package whether or not the model runs: typo correction needs it either way.
        services.RemoveAll<IEnglishWords>();
        services.AddSingleton<IEnglishWords, ModelVocabulary>();
        services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<IOptions<AnswerOptions>>().Value.Embeddings
            ? new ArcticTextEmbedder()
            : new NoTextEmbedder());
        return services;
    }

    /// <summary>The host's background half: model warm-up and vector building.</summary>
    public static IServiceCollection AddBotEmbeddingsBackground(this IServiceCollection services)
    {
        services.AddBotEmbeddings();
        services.AddSingleton<VectorsBuiltInBackground>();
        services.AddHostedService<PassageVectorService>();
        return services;
    }
}
