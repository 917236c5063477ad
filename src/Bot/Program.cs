using Bot.Cli;
using Bot.Embeddings;

// Before any thread allocates natively: every later thread would otherwise get a malloc arena of its own.
NativeHeap.LimitArenas();

return await BotCli.RunAsync(args);
