namespace Bot.Storage;

/// <summary>What a commit must survive: SQLite's <c>synchronous</c> setting, chosen per connection.</summary>
public enum Durability
{
    /// <summary>
    /// NORMAL: in WAL mode a power cut can lose the last commits but never corrupts the file. For work
    /// that is redone anyway (imports, seeds, logs).
    /// </summary>
    Normal,

    /// <summary>
    /// FULL: the WAL is synced before a commit returns. For what a user was told happened or what must
    /// not happen twice: a confirmed subscription, a claimed or sent post.
    /// </summary>
    Full,
}
