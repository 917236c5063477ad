namespace Bot.Core.Answers;

/// <summary>
/// Registered when a background service keeps the passages' vectors complete (the host does; the CLI does
/// not). Work that adds passages can then leave the vectors to it instead of waiting for them.
/// </summary>
public sealed class VectorsBuiltInBackground;
