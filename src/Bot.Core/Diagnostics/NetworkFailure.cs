using System.Net.Sockets;
using System.Security.Authentication;

namespace Bot.Core.Diagnostics;

/// <summary>
/// Why a request got no answer — connection refused, DNS, TLS, timeout — in a few words for a log
/// line. Built from error codes only, never from exception messages, which may quote the address
/// (webhook and response_url addresses carry tokens).
/// </summary>
public static class NetworkFailure
{
    public static string Describe(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
            if (inner is SocketException socket && Describe(socket.SocketErrorCode) is { } cause)
                return cause;

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http:
                    return Describe(http.HttpRequestError);
                case AuthenticationException:
                    return "TLS handshake failed";
                case TimeoutException or TaskCanceledException:
                    return "timed out";
                case IOException when inner.InnerException is null:
                    return "connection closed";
            }
        }

        return exception.GetType().Name;
    }

    private static string? Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "DNS lookup failed",
        SocketError.TimedOut => "connection timed out",
        SocketError.ConnectionReset or SocketError.ConnectionAborted => "connection reset",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        _ => null,
    };

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "DNS lookup failed",
        HttpRequestError.ConnectionError => "connection failed",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        HttpRequestError.ResponseEnded => "connection closed before the response",
        HttpRequestError.ProxyTunnelError => "proxy refused the tunnel",
        HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => "invalid HTTP response",
        _ => error.ToString(),
    };
}
