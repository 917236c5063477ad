namespace Bot.Core.Limits;

/// <summary>
/// Rates that several bot instances share through the store, so instances never need to talk to each other.
/// Two kinds: turns a fixed spacing apart (identify windows, where a late turn is harmless), and places in
/// a window (a global per-second limit, which must hold however late a busy machine sends; see <see cref="TryTakePlaceAsync"/>).
/// </summary>
public interface ISharedRateBudget
{
    /// <summary>Reserves the key's next free turn: now, or <paramref name="spacing"/> after the turn before it if that is later.</summary>
    /// <returns>
    /// When the turn is. It may already have passed when the answer arrives (a slow store, a busy machine): a caller
    /// that is late by more than it can afford reserves another rather than crowd the turns after it.
    /// </returns>
    Task<DateTimeOffset> ReserveAsync(string key, TimeSpan spacing, CancellationToken cancellationToken);

    /// <summary>Hands out no turn and no place of the key before <paramref name="until"/> (a platform put the whole key on hold).</summary>
    Task HoldAsync(string key, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Takes one of the key's <paramref name="limit"/> places when fewer are held. A place counts from when it is
    /// taken until <paramref name="window"/> after it is given back, so the requests that reach the platform within
    /// any one window are at most the limit, however long each spent on the way; a place never given back (its
    /// instance died) counts until <paramref name="lease"/> after it was taken.
    /// </summary>
    /// <returns>The place, or when asking again may succeed.</returns>
    Task<RatePlace> TryTakePlaceAsync(string key, int limit, TimeSpan window, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives a place back: from now on it counts for one more window.</summary>
    Task GiveBackAsync(RatePlace place, CancellationToken cancellationToken);
}

/// <summary>A place in a shared window (<see cref="Id"/> set) or the wait before trying again (<see cref="RetryAfter"/>).</summary>
/// <param name="MayFreeSooner">
/// The window is full of places still out: one frees a window after its answer, which may come any moment,
/// so <see cref="RetryAfter"/> is only the latest. False for a hold, whose end is known.
/// </param>
public readonly record struct RatePlace(long? Id, TimeSpan RetryAfter, bool MayFreeSooner = false)
{
    public bool Taken => Id is not null;
}
