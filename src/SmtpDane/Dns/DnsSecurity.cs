namespace SmtpDane.Dns;

/// <summary>DNSSEC status of an answer (RFC 4035 §4.3).</summary>
public enum DnsSecurity
{
    /// <summary>Validated from a trust anchor (or the resolver set AD).</summary>
    Secure,

    /// <summary>Provably unsigned, or (resolver mode) AD not set: DANE does not apply.</summary>
    Insecure,

    /// <summary>Validation failed; a DANE sender defers mail (RFC 7672 §2.1.1).</summary>
    Bogus,

    /// <summary>Could not be determined (lookup failed).</summary>
    Indeterminate,
}

/// <summary>What a lookup produced. Lookup error, no records and records are distinct states.</summary>
public enum DnsOutcome
{
    /// <summary>At least one record of the asked type.</summary>
    Records,

    /// <summary>The name exists but has no record of this type (NODATA).</summary>
    NoData,

    /// <summary>The name does not exist (NXDOMAIN). Final.</summary>
    NxDomain,

    /// <summary>SERVFAIL, REFUSED, timeout, malformed answer: no conclusion.</summary>
    Failed,
}
