namespace SmtpDane.Model;

/// <summary>How fetching the policy went (RFC 8461 §3.3).</summary>
public enum StsFetchOutcome
{
    Fetched,

    /// <summary>A 3xx answer: senders must not follow redirects (§3.3), so there is no policy.</summary>
    Redirect,

    /// <summary>The body is larger than the fetcher's bound (64 KiB).</summary>
    TooLarge,

    /// <summary>The policy host's certificate is not Web-PKI valid for mta-sts.&lt;domain&gt; (§3.3).</summary>
    CertificateInvalid,

    /// <summary>Anything else: no address, connection, TLS, HTTP status, media type, timeout.</summary>
    Failed,
}
