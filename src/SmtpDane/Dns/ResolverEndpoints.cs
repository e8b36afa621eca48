using System.Globalization;
using System.Net;

namespace SmtpDane.Dns;

/// <summary>
/// Which recursive resolvers to ask: <c>DNS_RESOLVER</c> when set, else the <c>nameserver</c>
/// lines of resolv.conf (as the Go smtpdane does). Entries are IP literals only: <c>192.0.2.1</c>,
/// <c>192.0.2.1:5353</c>, <c>2001:db8::53</c>, <c>[2001:db8::53]</c>, <c>[2001:db8::53]:5353</c>.
/// </summary>
public static class ResolverEndpoints
{
    public const string DefaultResolvConfPath = "/etc/resolv.conf";

    public const string EnvironmentVariable = "DNS_RESOLVER";

    public const int DefaultPort = 53;

    /// <summary>At most this many resolvers are used (glibc uses 3; we allow a few more).</summary>
    public const int MaxEndpoints = 16;

    /// <summary>
    /// <paramref name="dnsResolverVariable"/> (the value of DNS_RESOLVER, null or blank when unset)
    /// wins; otherwise <paramref name="resolvConfPath"/> is read.
    /// </summary>
    /// <exception cref="ResolverConfigException">Bad entry, unreadable file or no resolver at all.</exception>
    public static IReadOnlyList<IPEndPoint> Load(string? dnsResolverVariable, string resolvConfPath = DefaultResolvConfPath)
    {
        if (!string.IsNullOrWhiteSpace(dnsResolverVariable))
        {
            return Parse(dnsResolverVariable, EnvironmentVariable);
        }

        string text;
        try
        {
            text = File.ReadAllText(resolvConfPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ResolverConfigException($"cannot read {resolvConfPath}: {e.Message}; set {EnvironmentVariable} to the resolver's address", e);
        }

        return ParseResolvConf(text, resolvConfPath);
    }

    /// <summary>Parses a comma- or space-separated list of resolver addresses.</summary>
    /// <param name="source">Where the list came from, for error messages.</param>
    public static IReadOnlyList<IPEndPoint> Parse(string list, string source = EnvironmentVariable)
    {
        var entries = list.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
        {
            throw new ResolverConfigException($"{source} lists no resolver; give one or more IP addresses, e.g. 127.0.0.1 or [::1]:53");
        }

        return Collect(entries, source);
    }

    /// <summary>Reads <c>nameserver</c> lines (resolv.conf(5)); comments start with '#' or ';'.</summary>
    public static IReadOnlyList<IPEndPoint> ParseResolvConf(string text, string source = DefaultResolvConfPath)
    {
        var entries = new List<string>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            var comment = line.IndexOfAny(['#', ';']);
            if (comment >= 0)
            {
                line = line[..comment].Trim();
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver")
            {
                entries.Add(fields[1]);
            }
        }

        if (entries.Count == 0)
        {
            throw new ResolverConfigException($"{source} has no nameserver line; add one or set {EnvironmentVariable} to a validating resolver's address");
        }

        return Collect(entries, source);
    }

    /// <summary>Parses one entry; throws <see cref="ResolverConfigException"/> naming it when bad.</summary>
    public static IPEndPoint ParseEntry(string entry, string source = EnvironmentVariable)
    {
        string host;
        string? port = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Bad(entry, source, "missing ']'");
            }

            host = entry[1..close];
            var rest = entry[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    throw Bad(entry, source, "expected ':port' after ']'");
                }

                port = rest[1..];
            }
        }
        else if (entry.Count(c => c == ':') == 1)
        {
            // One colon: IPv4 with port. Several colons: a bare IPv6 address.
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            host = entry[..colon];
            port = entry[(colon + 1)..];
        }
        else
        {
            host = entry;
        }

        if (!IPAddress.TryParse(host, out var address) || host.Length == 0)
        {
            throw Bad(entry, source, "not an IP address (host names cannot be used: resolving them needs DNS)");
        }

        var portNumber = DefaultPort;
        if (port is not null &&
            (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw Bad(entry, source, "port must be a number from 1 to 65535");
        }

        return new IPEndPoint(address, portNumber);
    }

    private static List<IPEndPoint> Collect(IReadOnlyCollection<string> entries, string source)
    {
        var result = new List<IPEndPoint>();
        foreach (var entry in entries)
        {
            var endpoint = ParseEntry(entry, source);
            if (!result.Contains(endpoint) && result.Count < MaxEndpoints)
            {
                result.Add(endpoint);
            }
        }

        return result;
    }

    private static ResolverConfigException Bad(string entry, string source, string why)
    {
        var shown = entry.Length > 64 ? entry[..64] + "..." : entry;
        return new ResolverConfigException($"bad resolver \"{shown}\" in {source}: {why}; use ip, ip:port, [ipv6] or [ipv6]:port");
    }
}
