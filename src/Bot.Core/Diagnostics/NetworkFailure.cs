using System.Net.Sockets;
using System.Security.Authentication;

namespace Bot.Core.Diagnostics;

/// <summary>
/// Why a request got no answer — connection refused, DNS, TLS, timeout — in a few words for a log
/// line. Built from the types and error codes in the exception chain, never from messages, which may
/// quote the address (webhook and response_url addresses carry tokens). HttpClient wraps the cause:
/// a socket error (refused, DNS, reset), an authentication error (TLS) or an I/O error (closed).
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
                case AuthenticationException:
                    return "TLS handshake failed";
                case TimeoutException or TaskCanceledException:
                    return "timed out";
                case IOException:
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
}
