using SmtpDane.Model;

namespace SmtpDane.MtaSts;

/// <summary>
/// MX coverage (RFC 8461 §4.1): an MX host matches a pattern when equal to it (ASCII case
/// insensitive, trailing dot ignored), or when the pattern is "*.rest" and the host is one label
/// followed by ".rest": "*.example.com" matches "mx1.example.com", not "example.com" nor
/// "a.b.example.com".
/// </summary>
public static class StsMxMatcher
{
    public static bool Matches(string pattern, string host)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(host);
        var p = pattern.TrimEnd('.').ToLowerInvariant();
        var h = host.TrimEnd('.').ToLowerInvariant();
        if (!p.StartsWith("*.", StringComparison.Ordinal))
        {
            return p.Length > 0 && p == h;
        }

        var dot = h.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && h[(dot + 1)..] == p[2..];
    }

    /// <summary>The first pattern of <paramref name="policy"/> that covers <paramref name="host"/>, or null.</summary>
    public static string? Covering(StsPolicy policy, string host)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return policy.MxPatterns.FirstOrDefault(p => Matches(p, host));
    }
}
