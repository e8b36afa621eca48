namespace SmtpDane.Dane;

/// <summary>
/// Reference identifiers against a certificate's presented names, RFC 6125 §6.4 as narrowed by
/// RFC 7672 §3.2.3: DNS-ID only, ASCII case-insensitive, a trailing dot ignored, A-labels compared
/// as given (no IDNA conversion), and a wildcard only as the complete leftmost label matching
/// exactly one label.
/// </summary>
public static class NameMatcher
{
    /// <summary>
    /// The names to check: the DNS SANs, or the subject CN only when there are no DNS SANs
    /// (RFC 6125 §6.4.4; Postfix, through OpenSSL's X509_check_host, does the same).
    /// </summary>
    public static IReadOnlyList<string> PresentedNames(IReadOnlyList<string> dnsNames, string? commonName)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        if (dnsNames.Count > 0)
        {
            return dnsNames;
        }

        return string.IsNullOrEmpty(commonName) ? [] : [commonName];
    }

    /// <summary>
    /// Finds the first reference name (in the given order) that a presented name matches.
    /// False when none does; the out values are then empty.
    /// </summary>
    public static bool TryMatch(
        IReadOnlyList<string> referenceNames,
        IReadOnlyList<string> presentedNames,
        out string referenceName,
        out string presentedName)
    {
        ArgumentNullException.ThrowIfNull(referenceNames);
        ArgumentNullException.ThrowIfNull(presentedNames);
        foreach (var reference in referenceNames)
        {
            foreach (var presented in presentedNames)
            {
                if (Matches(reference, presented))
                {
                    referenceName = reference;
                    presentedName = presented;
                    return true;
                }
            }
        }

        referenceName = "";
        presentedName = "";
        return false;
    }

    /// <summary>True when one presented DNS name matches one reference identifier.</summary>
    public static bool Matches(string referenceName, string presentedName)
    {
        ArgumentNullException.ThrowIfNull(referenceName);
        ArgumentNullException.ThrowIfNull(presentedName);
        var reference = TrimDot(referenceName);
        var presented = TrimDot(presentedName);
        if (reference.Length == 0 || presented.Length == 0 || reference.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }

        if (!presented.Contains('*', StringComparison.Ordinal))
        {
            return string.Equals(reference, presented, StringComparison.OrdinalIgnoreCase);
        }

        // RFC 6125 §6.4.3 / RFC 7672 §3.2.3: "*" must be the whole leftmost label, nowhere else,
        // and it stands for exactly one non-empty label. Like OpenSSL we also want at least two
        // labels after it, so "*.org" matches nothing.
        if (!presented.StartsWith("*.", StringComparison.Ordinal))
        {
            return false;
        }

        var suffix = presented.AsSpan(1); // ".example.org"
        if (suffix.Slice(1).Contains('*') || !suffix.Slice(1).Contains('.'))
        {
            return false;
        }

        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && reference.AsSpan(dot).Equals(suffix, StringComparison.OrdinalIgnoreCase);
    }

    private static string TrimDot(string name) =>
        name.EndsWith('.') ? name[..^1] : name;
}
