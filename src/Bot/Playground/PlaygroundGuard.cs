using System.Net;
using Microsoft.Extensions.Options;

namespace Bot.Playground;

/// <summary>Configuration section <c>Playground</c>.</summary>
public sealed class PlaygroundOptions
{
    public const string Section = "Playground";

    /// <summary>
    /// Serve the playground on an address other machines can reach (0.0.0.0, a LAN address) and
    /// answer any Host header. Off by default: the playground has no login, and anyone who reaches
    /// it can subscribe channels and post digests.
    /// </summary>
    public bool AllowRemote { get; set; }
}

/// <summary>
/// Keeps the playground to the machine it runs on. It opens only when every address the host
/// listens on is loopback (or <c>Playground:AllowRemote</c> is set); it answers only requests
/// addressed to localhost, 127.0.0.1 or [::1], so a web page cannot reach it by pointing its own
/// domain at 127.0.0.1 (DNS rebinding); and it takes POSTs only from its own page, so another site
/// open in the same browser cannot post to it.
/// </summary>
public sealed class PlaygroundGuard(IOptions<PlaygroundOptions> options)
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "[::1]"];
    private volatile bool _open;

    public bool AllowRemote => options.Value.AllowRemote;

    public bool IsOpen => _open;

    /// <summary>Opens the playground unless the host listens beyond loopback without permission; returns the addresses beyond loopback.</summary>
    public IReadOnlyList<string> OpenFor(IEnumerable<string> listeningAddresses)
    {
        var exposed = listeningAddresses.Where(a => !IsLoopback(a)).ToList();
        _open = exposed.Count == 0 || AllowRemote;
        return exposed;
    }

    internal async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!_open) return Results.NotFound();
        if (!AllowRemote && !LoopbackNames.Contains(request.Host.Host, StringComparer.OrdinalIgnoreCase))
            return Results.Text("The playground answers only at localhost, 127.0.0.1 or [::1] (see Playground:AllowRemote).", statusCode: StatusCodes.Status400BadRequest);
        if (HttpMethods.IsPost(request.Method) && !IsSameOrigin(request))
            return Results.Text("The playground takes posts only from its own page.", statusCode: StatusCodes.Status403Forbidden);
        return await next(context);
    }

    private static bool IsLoopback(string address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Browsers say where a request comes from: Sec-Fetch-Site (current browsers) and Origin (on
    /// every cross-site POST). A POST naming neither is refused too: the page's own fetch always has them.
    /// </summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase)) return false;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return site.Length > 0;
        // The scheme is not compared: behind a TLS proxy the page is https while the bot sees http.
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
