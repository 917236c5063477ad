using System.Net;

namespace Bot.Feeds;

/// <summary>Host name to addresses. A seam so tests can map names; the real one asks the system resolver.</summary>
public interface IAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsAddressResolver : IAddressResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
