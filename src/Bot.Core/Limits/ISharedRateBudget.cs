namespace Bot.Core.Limits;

/// <summary>
/// A rate that several bot instances share through the store: for each key, turns handed out in
/// order at least a fixed spacing apart, whichever instance asks. Each turn is reserved by one
/// atomic update, so instances never need to talk to each other.
/// </summary>
public interface ISharedRateBudget
{
    /// <summary>Reserves the key's next free turn: now, or <paramref name="spacing"/> after the turn before it if that is later.</summary>
    /// <returns>
    /// When the turn is. It may already have passed when the answer arrives (a slow store, a busy machine): a caller
    /// that is late by more than it can afford reserves another rather than crowd the turns after it.
    /// </returns>
    Task<DateTimeOffset> ReserveAsync(string key, TimeSpan spacing, CancellationToken cancellationToken);

    /// <summary>Hands out no turn of the key before <paramref name="until"/> (a platform put the whole key on hold).</summary>
    Task HoldAsync(string key, DateTimeOffset until, CancellationToken cancellationToken);
}
