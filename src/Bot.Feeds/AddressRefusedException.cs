namespace Bot.Feeds;

/// <summary>Thrown from the connect step when the resolved address is not allowed; the fetcher turns it into a Refused result.</summary>
public sealed class AddressRefusedException : Exception
{
    public AddressRefusedException(string message)
        : base(message)
    {
    }

    public AddressRefusedException()
    {
    }

    public AddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
