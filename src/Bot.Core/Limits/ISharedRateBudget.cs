namespace Bot.Core.Limits;

/// <summary>
/// A rate that several bot instances share through the store: for each key, turns handed out in
/// order at least a fixed spacing apart, whichever instance asks. Each turn is reserved by one
/// atomic update, so instances never need to talk to each other.
/// </summary>
public interface ISharedRateBudget
{
    /// <summary>Reserves the key's next free turn (at least <paramref name="spacing"/> after the one before).</summary>
    /// <returns>How long to wait until that turn: zero when it is now.</returns>
    Task<TimeSpan> ReserveAsync(string key, TimeSpan spacing, CancellationToken cancellationToken);

    /// <summary>Hands out no turn of the key before <paramref name="until"/> (a platform put the whole key on hold).</summary>
    Task HoldAsync(string key, DateTimeOffset until, CancellationToken cancellationToken);
}
