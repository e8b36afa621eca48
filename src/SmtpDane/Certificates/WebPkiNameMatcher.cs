namespace SmtpDane.Certificates;

/// <summary>
/// RFC 6125 §6.4 DNS-ID matching for the Web PKI, as Go crypto/x509 and browsers do: only
/// subjectAltName dNSName entries count (no CN fallback), ASCII case-insensitive, a trailing dot
/// ignored, and a wildcard only as the whole leftmost label ("*.example.com" matches exactly one
/// label: not "example.com", not "a.b.example.com"; "f*.example.com" matches nothing).
/// </summary>
public static class WebPkiNameMatcher
{
    public static bool Matches(IEnumerable<string> dnsNames, string host)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(host);
        var h = host.TrimEnd('.').ToLowerInvariant();
        return h.Length > 0 && dnsNames.Any(n => MatchesOne(n, h));
    }

    private static bool MatchesOne(string pattern, string host)
    {
        var p = pattern.TrimEnd('.').ToLowerInvariant();
        if (p.Length == 0)
        {
            return false;
        }

        if (!p.Contains('*', StringComparison.Ordinal))
        {
            return p == host;
        }

        // "*." + at least two labels (no "*.com"-style wildcards over a single label).
        if (!p.StartsWith("*.", StringComparison.Ordinal) || p.IndexOf('*', 1) >= 0 || p.Count(c => c == '.') < 2)
        {
            return false;
        }

        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && host[(dot + 1)..] == p[2..];
    }
}
