using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Bot.Feeds;

/// <summary>
/// The connect step of the feed HTTP client. It resolves the host once, checks every address against
/// <see cref="AddressRules"/>, and opens the socket to an address it checked: there is no second lookup a rebinding
/// DNS server could answer differently. Every hop of a redirect connects through here too.
/// </summary>
public sealed class FeedConnectionGuard(IOptions<FeedFetchOptions> options, IAddressResolver resolver)
{
    private readonly bool _allowPrivate = options.Value.AllowPrivateAddresses;

    /// <summary>
    /// Endpoints let through whatever the rules say. Tests only: the feed server runs on loopback, and a test of the
    /// rules themselves still needs to reach it for the first hop before a redirect points somewhere refused.
    /// </summary>
    internal IReadOnlyCollection<IPEndPoint> ExemptEndpoints { get; set; } = [];

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);

        var allowed = addresses.Where(a => IsAllowed(a, port)).ToList();
        if (allowed.Count == 0)
        {
            var first = addresses[0];
            throw new AddressRefusedException($"refused: {Display(first)} is {AddressRules.WhyRefused(first)}");
        }

        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostUnreachable);
    }

    private bool IsAllowed(IPAddress address, int port) =>
        _allowPrivate || AddressRules.WhyRefused(address) is null || ExemptEndpoints.Contains(new IPEndPoint(address, port));

    private static string Display(IPAddress address) => address.ToString();
}
