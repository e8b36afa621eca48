namespace SmtpDane.Dane;

/// <summary>
/// What the TLSA lookup for one host concluded, as Postfix's dane_lookup distinguishes it:
/// a lookup error is not "no records", and "no usable records" is not "usable records".
/// </summary>
public enum TlsaLookupOutcome
{
    /// <summary>Secure answer with at least one usable DANE-TA(2)/DANE-EE(3) record.</summary>
    Usable,

    /// <summary>Secure answer, but every record is unusable (RFC 7672 §3.1.3).</summary>
    AllUnusable,

    /// <summary>Secure NODATA/NXDOMAIN: the host does not publish TLSA.</summary>
    None,

    /// <summary>The zone (or the host's address/CNAME chain) is not DNSSEC-signed: DANE does not apply.</summary>
    Insecure,

    /// <summary>Bogus answer, SERVFAIL or timeout: a DANE sender would defer mail.</summary>
    Failed,
}
