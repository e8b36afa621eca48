using System.Net;
using System.Net.Sockets;

namespace SmtpDane.Targets;

/// <summary>Checks of names and address literals given on the command line.</summary>
internal static class HostName
{
    private const int MaxNameLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// A DNS host name: ASCII letters, digits, '-' (not at a label's ends) and '_' (tolerated:
    /// some domains carry it), labels 1-63, total at most 253; a trailing dot is dropped and the
    /// result lower-cased. The last label may not be all digits (that would be a bad IPv4 literal).
    /// </summary>
    public static bool TryNormalize(string name, out string normalized, out string reason)
    {
        normalized = string.Empty;
        reason = string.Empty;
        var n = name.EndsWith('.') && name.Length > 1 ? name[..^1] : name;
        if (n.Length == 0 || n == ".")
        {
            reason = "empty name";
            return false;
        }

        foreach (var c in n)
        {
            if (c > 0x7e)
            {
                reason = "non-ASCII names must be given in A-label (xn--) form";
                return false;
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                reason = c <= ' ' ? "contains a space or control character" : $"contains '{c}', not allowed in a host name";
                return false;
            }
        }

        if (n.Length > MaxNameLength)
        {
            reason = $"name is {n.Length} characters, more than {MaxNameLength}";
            return false;
        }

        var labels = n.Split('.');
        foreach (var label in labels)
        {
            if (label.Length == 0)
            {
                reason = "empty label (two dots in a row, or a leading dot)";
                return false;
            }

            if (label.Length > MaxLabelLength)
            {
                reason = $"label \"{label[..10]}…\" is {label.Length} characters, more than {MaxLabelLength}";
                return false;
            }

            if (label[0] == '-' || label[^1] == '-')
            {
                reason = $"label \"{label}\" starts or ends with a hyphen";
                return false;
            }
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            reason = "not a valid IPv4 address, and a host name's last label cannot be all digits";
            return false;
        }

        normalized = n.ToLowerInvariant();
        return true;
    }

    /// <summary>Strict dotted-quad IPv4 (Go's ParseIP: four decimal octets, no leading zeros).</summary>
    public static bool TryParseIPv4(string text, out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0')
                || int.Parse(part, System.Globalization.CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        address = IPAddress.Parse(text);
        return true;
    }

    /// <summary>An IPv6 literal without brackets (a zone suffix such as %eth0 is kept as .NET parses it).</summary>
    public static bool TryParseIPv6(string text, out IPAddress? address)
    {
        address = null;
        if (!text.Contains(':', StringComparison.Ordinal) || text.Any(c => c <= ' ' || c > 0x7e)
            || !IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Printable ASCII with no spaces or control characters.</summary>
    public static bool IsPrintableToken(string text) => text.Length > 0 && text.All(c => c is > ' ' and < (char)0x7f);
}
