namespace Bot.Storage;

/// <summary>The database file cannot be used; the message names the path and what to do.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
