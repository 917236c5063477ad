using System.Net;
using System.Net.Sockets;

namespace Bot.Feeds;

/// <summary>
/// Which addresses a feed may live at when private addresses are not allowed: the public internet only. Anything a
/// server inside the bot's own network could answer on (loopback, private ranges, carrier-grade NAT, link-local with the
/// cloud metadata service, multicast, unspecified, broadcast, and their IPv6 and IPv4-mapped forms) is refused.
/// </summary>
public static class AddressRules
{
    /// <summary>Why <paramref name="address"/> is refused ("a loopback address"), or null when it is public.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) return WhyRefused(address.MapToIPv4());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => WhyRefusedV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => WhyRefusedV6(address),
            _ => "not an IP address",
        };
    }

    private static string? WhyRefusedV4(byte[] b)
    {
        if (b[0] == 127) return "a loopback address";
        if (b[0] == 0) return "an unspecified address";
        if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)) return "a private address";
        if (b[0] == 100 && (b[1] & 0xC0) == 64) return "a carrier-grade NAT address";
        if (b[0] == 169 && b[1] == 254) return "a link-local address (cloud metadata lives there)";
        if (b[0] is >= 224 and <= 239) return "a multicast address";
        if (b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255) return "the broadcast address";
        if (b[0] >= 240) return "a reserved address";
        return null;
    }

    private static string? WhyRefusedV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback)) return "a loopback address";
        if (address.Equals(IPAddress.IPv6Any)) return "an unspecified address";
        var b = address.GetAddressBytes();
        if ((b[0] & 0xFE) == 0xFC) return "a unique-local address";
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "a link-local address";
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return "a site-local address";
        if (b[0] == 0xFF) return "a multicast address";
        // ::a.b.c.d (IPv4-compatible, deprecated) and 64:ff9b::a.b.c.d (NAT64) reach an IPv4 address: judge that one.
        if (b.Take(12).All(x => x == 0)) return WhyRefusedV4(b[12..]);
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.Skip(4).Take(8).All(x => x == 0)) return WhyRefusedV4(b[12..]);
        return null;
    }
}
