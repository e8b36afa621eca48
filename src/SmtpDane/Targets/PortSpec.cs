using System.Globalization;

namespace SmtpDane.Targets;

/// <summary>
/// Go smtpdane's PortParse: a number (any Go base: 25, 0x19, 0o31, 031), a TCP service name, or
/// "name(number)" meaning the name if known, else the number. Ports are 1-65535.
/// </summary>
internal static class PortSpec
{
    public static bool TryParse(string spec, ServiceTable services, out int port, out string error)
    {
        port = 0;
        error = string.Empty;
        if (TryParseGoUint(spec, out var number))
        {
            return InRange(number, spec, out port, out error);
        }

        if (spec.Length > 0 && spec.All(char.IsAsciiDigit))
        {
            error = $"invalid port number {Quote(spec)}: must be 1-65535";
            return false;
        }

        var name = spec;
        string? fallback = null;
        var open = spec.IndexOf('(', StringComparison.Ordinal);
        if (open > 0 && spec.EndsWith(')'))
        {
            name = spec[..open];
            fallback = spec[(open + 1)..^1];
            if (fallback.Length == 0 || !fallback.All(char.IsAsciiDigit))
            {
                error = $"unable to parse port {Quote(spec)}: expected a number, a service name or name(number)";
                return false;
            }
        }

        if (!name.Any(char.IsAsciiLetter) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            error = $"unable to parse port {Quote(spec)}: expected a number, a service name or name(number)";
            return false;
        }

        if (services.TryGetTcpPort(name, out port))
        {
            return true;
        }

        if (fallback is null)
        {
            error = $"unknown TCP service {Quote(name)} (not in the services file); give a number or name(number)";
            return false;
        }

        if (!TryParseGoUint(fallback, out number))
        {
            error = $"unknown TCP service {Quote(name)} and port number {fallback} is out of range 1-65535";
            return false;
        }

        return InRange(number, spec, out port, out error);
    }

    private static bool InRange(ulong number, string spec, out int port, out string error)
    {
        port = 0;
        error = string.Empty;
        if (number is < 1 or > 65535)
        {
            error = $"port number {Quote(spec)} is out of range 1-65535";
            return false;
        }

        port = (int)number;
        return true;
    }

    /// <summary>Go's strconv.ParseUint(s, 0, 16): base prefixes, a leading 0 means octal, '_' between digits.</summary>
    internal static bool TryParseGoUint(string s, out ulong value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var digits = s.AsSpan();
        var numberBase = 10;
        if (s[0] == '0' && s.Length > 1)
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x':
                    numberBase = 16;
                    digits = digits[2..];
                    break;
                case 'o':
                    numberBase = 8;
                    digits = digits[2..];
                    break;
                case 'b':
                    numberBase = 2;
                    digits = digits[2..];
                    break;
                default:
                    numberBase = 8;
                    digits = digits[1..];
                    break;
            }
        }

        if (!UnderscoresOk(s) || digits.IsEmpty)
        {
            return false;
        }

        var sawDigit = false;
        foreach (var c in digits)
        {
            if (c == '_')
            {
                continue;
            }

            var d = char.IsAsciiDigit(c) ? c - '0'
                : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10
                : 99;
            if (d >= numberBase)
            {
                return false;
            }

            sawDigit = true;
            value = (value * (ulong)numberBase) + (ulong)d;
            if (value > ushort.MaxValue)
            {
                return false;
            }
        }

        return sawDigit;
    }

    /// <summary>Go's underscoreOK: '_' only between digits or between a base prefix and a digit.</summary>
    private static bool UnderscoresOk(string s)
    {
        // saw: '^' start or after prefix, '0' digit, '_' underscore, '!' other.
        var saw = '^';
        var i = 0;
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && char.ToLowerInvariant(s[1]) is 'x' or 'o' or 'b')
        {
            hex = char.ToLowerInvariant(s[1]) == 'x';
            i = 2;
            saw = '0';
        }

        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c) || (hex && char.IsAsciiHexDigit(c)))
            {
                saw = '0';
                continue;
            }

            if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }

                saw = '_';
                continue;
            }

            if (saw == '_')
            {
                return false;
            }

            saw = '!';
        }

        return saw != '_';
    }

    private static string Quote(string s) => GoDuration.Quote(s);
}
