using SmtpDane.Model;


namespace SmtpDane.Targets;

/// <summary>
/// Host arguments into <see cref="Target"/>s: host, host:port, [v6]:port, [v6], bare IPv6 (no
/// port), a.b.c.d:port; domains for -mx/-srv may carry a port that overrides MX's 25 or SRV's.
/// </summary>
internal static class TargetParser
{
    public static bool TryParse(string argument, TargetMode mode, ServiceTable services, out Target? target, out string error)
    {
        target = null;
        error = string.Empty;
        var kind = mode == TargetMode.Host ? "host" : "domain";
        if (argument.StartsWith('-') && argument.Length > 1)
        {
            error = $"invalid {kind} {GoDuration.Quote(argument)}: looks like a flag; flags must come before the first host argument";
            return false;
        }

        if (!SplitHostPort(argument, out var host, out var portText, out var bracketed, out error))
        {
            error = $"invalid {kind} {GoDuration.Quote(argument)}: {error}";
            return false;
        }

        int? port = null;
        if (portText is not null)
        {
            if (!PortSpec.TryParse(portText, services, out var p, out var portError))
            {
                error = $"invalid port in {GoDuration.Quote(argument)}: {portError}";
                return false;
            }

            port = p;
        }

        string name;
        var percent = host.IndexOf('%', StringComparison.Ordinal);
        if (percent >= 0 && host.Contains(':', StringComparison.Ordinal)
            && (!HostName.TryParseIPv6(host, out var zoned) || zoned!.ScopeId == 0))
        {
            // .NET turns an unknown interface name into scope 0, i.e. no zone: the probe would
            // silently leave by whatever interface the routing table picks (RFC 4007 §11).
            error = $"invalid {kind} {GoDuration.Quote(argument)}: zone id {GoDuration.Quote(host[(percent + 1)..])} names no network interface on this machine";
            return false;
        }

        if (HostName.TryParseIPv6(host, out var v6))
        {
            name = v6!.ToString();
        }
        else if (bracketed)
        {
            error = $"invalid {kind} {GoDuration.Quote(argument)}: square brackets must hold an IPv6 address";
            return false;
        }
        else if (HostName.TryParseIPv4(host, out var v4))
        {
            name = v4!.ToString();
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"invalid {kind} {GoDuration.Quote(argument)}: not a valid IPv6 address (use [address]:port to give a port)";
            return false;
        }
        else if (HostName.TryNormalize(host, out var normalized, out var reason))
        {
            return Done(argument, mode, normalized, port, out target);
        }
        else
        {
            error = $"invalid {kind} {GoDuration.Quote(argument)}: {reason}";
            return false;
        }

        if (mode != TargetMode.Host)
        {
            var flag = mode == TargetMode.Mx ? "-mx" : "-srv/-submission/-submissions";
            error = $"invalid domain {GoDuration.Quote(argument)}: {flag} needs a domain name, not an IP address";
            return false;
        }

        return Done(argument, mode, name, port, out target);
    }

    private static bool Done(string argument, TargetMode mode, string name, int? port, out Target? target)
    {
        target = new Target(argument, mode, name, port);
        return true;
    }

    /// <summary>Like Go's net.SplitHostPort, but a bare IPv6 address or [IPv6] has no port.</summary>
    private static bool SplitHostPort(string spec, out string host, out string? port, out bool bracketed, out string error)
    {
        host = spec;
        port = null;
        bracketed = false;
        error = string.Empty;
        if (spec.Length == 0)
        {
            error = "empty argument";
            return false;
        }

        if (spec[0] == '[')
        {
            bracketed = true;
            var close = spec.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "missing ']'";
                return false;
            }

            host = spec[1..close];
            var rest = spec[(close + 1)..];
            if (rest.Length == 0)
            {
                return true;
            }

            if (rest[0] != ':')
            {
                error = "expected ':port' after ']'";
                return false;
            }

            port = rest[1..];
        }
        else
        {
            var first = spec.IndexOf(':', StringComparison.Ordinal);
            if (first < 0)
            {
                return true;
            }

            if (spec.IndexOf(':', first + 1) >= 0)
            {
                // Several colons: a bare IPv6 address, which cannot carry a port.
                return true;
            }

            host = spec[..first];
            port = spec[(first + 1)..];
        }

        if (host.Length == 0)
        {
            error = "missing host before the port";
            return false;
        }

        if (port is { Length: 0 })
        {
            error = "missing port after ':'";
            return false;
        }

        return true;
    }
}
