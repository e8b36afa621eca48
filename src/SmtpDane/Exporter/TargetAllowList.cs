using System.Net;
using System.Net.Sockets;
using SmtpDane.Targets;

namespace SmtpDane.Exporter;

/// <summary>
/// What /probe may check (-allow-targets, repeatable): domain suffixes restrict the names asked
/// for, CIDR blocks the addresses connected to. Without CIDR entries, only public unicast
/// addresses may be connected to: loopback, private (RFC 1918, RFC 4193 ULA), shared (RFC 6598),
/// link-local (and so the 169.254.169.254 / fd00:ec2::254 cloud metadata services), multicast,
/// reserved and this machine's own addresses are refused. The check is made on every address
/// actually connected to (see <see cref="AllowListConnector"/>), so a name that resolves to a
/// refused address (DNS rebinding) is refused too. The exporter's own listening socket is
/// always refused, so a scrape cannot make it call itself.
/// </summary>
public sealed class TargetAllowList
{
    private readonly List<string> _suffixes = [];
    private readonly List<(byte[] Network, int Prefix)> _networks = [];
    private readonly HashSet<IPAddress> _ownAddresses = [];
    private readonly List<IPEndPoint> _ownEndpoints = [];

    private static readonly (IPAddress Network, int Prefix, string Why)[] SpecialPurpose =
    [
        (IPAddress.Parse("0.0.0.0"), 8, "an unspecified (\"this network\") address"),
        (IPAddress.Parse("10.0.0.0"), 8, "a private address (RFC 1918)"),
        (IPAddress.Parse("100.64.0.0"), 10, "a shared carrier-grade NAT address (RFC 6598)"),
        (IPAddress.Parse("127.0.0.0"), 8, "a loopback address"),
        (IPAddress.Parse("169.254.0.0"), 16, "a link-local address (cloud metadata services live here)"),
        (IPAddress.Parse("172.16.0.0"), 12, "a private address (RFC 1918)"),
        (IPAddress.Parse("192.0.0.0"), 24, "an IETF protocol assignment (RFC 6890)"),
        (IPAddress.Parse("192.168.0.0"), 16, "a private address (RFC 1918)"),
        (IPAddress.Parse("198.18.0.0"), 15, "a benchmarking address (RFC 2544)"),
        (IPAddress.Parse("224.0.0.0"), 4, "a multicast address"),
        (IPAddress.Parse("240.0.0.0"), 4, "a reserved address"),
        (IPAddress.Parse("::"), 128, "the unspecified address"),
        (IPAddress.Parse("::1"), 128, "a loopback address"),
        (IPAddress.Parse("fc00::"), 7, "a unique local address (RFC 4193; cloud metadata services live here)"),
        (IPAddress.Parse("fe80::"), 10, "a link-local address"),
        (IPAddress.Parse("ff00::"), 8, "a multicast address"),
    ];

    private static readonly IPAddress Nat64 = IPAddress.Parse("64:ff9b::");

    /// <summary>Everything public; the default with no -allow-targets.</summary>
    public static TargetAllowList PublicOnly { get; } = new();

    public bool HasNetworks => _networks.Count > 0;

    /// <param name="entries">Domain names (matching themselves and every name below) and CIDR blocks or single addresses.</param>
    public static bool TryParse(IEnumerable<string> entries, out TargetAllowList list, out string error)
    {
        ArgumentNullException.ThrowIfNull(entries);
        list = new TargetAllowList();
        error = string.Empty;
        foreach (var entry in entries)
        {
            if (!list.TryAdd(entry.Trim(), out error))
            {
                error = $"invalid -allow-targets {GoDuration.Quote(entry)}: {error}";
                return false;
            }
        }

        return true;
    }

    /// <summary>Also refuse this machine's own addresses and, always, the exporter's listening endpoints.</summary>
    public TargetAllowList WithOwn(IEnumerable<IPAddress> addresses, IEnumerable<IPEndPoint> listening)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(listening);
        foreach (var a in addresses)
        {
            _ownAddresses.Add(Unmap(a));
        }

        _ownEndpoints.AddRange(listening);
        return this;
    }

    /// <summary>Null when <paramref name="name"/> (a normalized domain or host name) may be checked, else why not.</summary>
    public string? DenyName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_suffixes.Count == 0 || IPAddress.TryParse(name, out _))
        {
            return null;
        }

        foreach (var suffix in _suffixes)
        {
            if (name.Length == suffix.Length ? name == suffix : name.EndsWith("." + suffix, StringComparison.Ordinal))
            {
                return null;
            }
        }

        return $"\"{name}\" is not under any -allow-targets domain";
    }

    /// <summary>Null when a connection to <paramref name="address"/> port <paramref name="port"/> is allowed, else why not.</summary>
    public string? DenyAddress(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        var a = Unmap(address);
        foreach (var own in _ownEndpoints)
        {
            var listening = Unmap(own.Address);
            if (own.Port == port && (listening.Equals(a) || IPAddress.Any.Equals(listening) || IPAddress.IPv6Any.Equals(listening)) && (IsLocal(a) || listening.Equals(a)))
            {
                return $"{a} port {port} is this exporter itself";
            }
        }

        if (_networks.Count > 0)
        {
            var bytes = a.GetAddressBytes();
            return _networks.Any(n => n.Network.Length == bytes.Length && InPrefix(bytes, n.Network, n.Prefix))
                ? null
                : $"{a} is outside every -allow-targets network";
        }

        if (Special(a) is { } why)
        {
            return $"{a} is {why}; allow it explicitly with -allow-targets";
        }

        return _ownAddresses.Contains(a) ? $"{a} is an address of this machine; allow it explicitly with -allow-targets" : null;
    }

    private bool IsLocal(IPAddress a) => IPAddress.IsLoopback(a) || _ownAddresses.Contains(a);

    private static string? Special(IPAddress a)
    {
        var bytes = a.GetAddressBytes();
        if (a.AddressFamily == AddressFamily.InterNetworkV6 && InPrefix(bytes, Nat64.GetAddressBytes(), 96))
        {
            // RFC 6052: the embedded IPv4 address is what a NAT64 gateway connects to.
            return Special(new IPAddress(bytes.AsSpan(12, 4)));
        }

        foreach (var (network, prefix, why) in SpecialPurpose)
        {
            var n = network.GetAddressBytes();
            if (n.Length == bytes.Length && InPrefix(bytes, n, prefix))
            {
                return why;
            }
        }

        return null;
    }

    private bool TryAdd(string entry, out string error)
    {
        error = string.Empty;
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressPart = slash < 0 ? entry : entry[..slash];
        if (IPAddress.TryParse(addressPart, out var address) && (addressPart.Contains('.', StringComparison.Ordinal) || addressPart.Contains(':', StringComparison.Ordinal)))
        {
            if (addressPart.Contains('%', StringComparison.Ordinal))
            {
                error = "a zone id has no place in an allow-list";
                return false;
            }

            address = Unmap(address);
            var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var prefix = bits;
            if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits))
            {
                error = $"prefix length must be 0 to {bits}";
                return false;
            }

            var network = address.GetAddressBytes();
            if (!HostBitsZero(network, prefix))
            {
                error = "the address has bits set past the prefix length";
                return false;
            }

            _networks.Add((network, prefix));
            return true;
        }

        if (slash >= 0)
        {
            error = "expected a domain name, an address or a CIDR block such as 192.0.2.0/24";
            return false;
        }

        var name = entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry.TrimStart('.');
        if (!HostName.TryNormalize(name, out var normalized, out var reason))
        {
            error = reason;
            return false;
        }

        _suffixes.Add(normalized);
        return true;
    }

    private static bool HostBitsZero(byte[] network, int prefix)
    {
        for (var bit = prefix; bit < network.Length * 8; bit++)
        {
            if ((network[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool InPrefix(byte[] address, byte[] network, int prefix)
    {
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static IPAddress Unmap(IPAddress a)
    {
        var plain = a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
        if (plain.AddressFamily == AddressFamily.InterNetworkV6 && plain.ScopeId != 0)
        {
            plain = new IPAddress(plain.GetAddressBytes());
        }

        return plain;
    }
}
