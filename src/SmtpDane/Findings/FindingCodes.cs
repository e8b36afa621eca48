namespace SmtpDane.Findings;

/// <summary>
/// Every stable finding code. A shipped code is never renamed (monitoring and JSON consumers key
/// on it); a test pins this list. Dotted by stage.
/// </summary>
public static class FindingCodes
{
    // Arguments and run
    public const string RunInternalError = "run.internal-error";
    public const string RunTimeout = "run.timeout";

    /// <summary>Resolver mode took the AD bit from a resolver that is not on loopback (info, once per run).</summary>
    public const string DnsRemoteAd = "dns.remote-ad";

    // Batch runs (-f)
    public const string BatchInvalidLine = "batch.invalid-line";
    public const string ProbeShared = "probe.shared";

    // DNS discovery
    public const string MxFound = "mx.found";
    public const string MxNone = "mx.none";
    public const string MxNull = "mx.null";
    public const string MxInsecure = "mx.insecure";
    public const string MxLookupFailed = "mx.lookup-failed";
    public const string MxDuplicate = "mx.duplicate";
    public const string MxCname = "mx.cname";
    public const string SrvFound = "srv.found";
    public const string SrvNone = "srv.none";
    public const string SrvNoService = "srv.no-service";
    public const string SrvInsecure = "srv.insecure";
    public const string SrvLookupFailed = "srv.lookup-failed";
    public const string SrvDuplicate = "srv.duplicate";
    public const string AddressFound = "address.found";
    public const string AddressNone = "address.none";
    public const string AddressInsecure = "address.insecure";
    public const string AddressLookupFailed = "address.lookup-failed";
    public const string AddressCname = "address.cname";

    // TLSA lookup (RFC 7672 §2.2)
    public const string TlsaFound = "tlsa.found";
    public const string TlsaNone = "tlsa.none";
    public const string TlsaInsecure = "tlsa.insecure";
    public const string TlsaLookupFailed = "tlsa.lookup-failed";
    public const string TlsaUnusable = "tlsa.unusable";
    public const string TlsaAllUnusable = "tlsa.all-unusable";
    public const string TlsaKnownCa = "tlsa.known-ca";

    // Connection and SMTP
    public const string ConnectFailed = "connect.failed";
    public const string ConnectTimeout = "connect.timeout";
    public const string ProxyFailed = "proxy.failed";
    public const string SmtpBanner = "smtp.banner";
    public const string SmtpBannerRejected = "smtp.banner-rejected";
    public const string SmtpTimeout = "smtp.timeout";
    public const string SmtpProtocol = "smtp.protocol";
    public const string SmtpEhloRejected = "smtp.ehlo-rejected";
    public const string SmtpNoStartTls = "smtp.no-starttls";
    public const string SmtpStartTlsRejected = "smtp.starttls-rejected";
    public const string SmtpClosed = "smtp.closed";
    public const string SmtpEhloAfterTlsFailed = "smtp.ehlo-after-tls-failed";

    // TLS
    public const string TlsEstablished = "tls.established";
    public const string TlsFailed = "tls.failed";
    public const string TlsTimeout = "tls.timeout";
    public const string TlsNoCertificates = "tls.no-certificates";
    public const string TlsOldVersion = "tls.old-version";

    // DANE verification (RFC 6698 / 7671 / 7672)
    public const string DaneEeMatch = "dane.ee-match";
    public const string DaneTaMatch = "dane.ta-match";
    public const string DaneNoMatch = "dane.no-match";
    public const string DaneTaNotChained = "dane.ta-not-chained";
    public const string DaneNameMismatch = "dane.name-mismatch";
    public const string DaneNameMatch = "dane.name-match";
    public const string DaneVerified = "dane.verified";
    public const string DaneNotVerified = "dane.not-verified";
    public const string DanePresented = "dane.presented";
    public const string DaneTaMatchesLeaf = "dane.ta-matches-leaf";
    public const string DaneNoRolloverRoom = "dane.no-rollover-room";

    // Certificates
    public const string CertExpired = "cert.expired";
    public const string CertExpiring = "cert.expiring";
    public const string CertMalformed = "cert.malformed";
    public const string CertInfo = "cert.info";
    public const string CertNotYetValid = "cert.not-yet-valid";
    public const string CertNoServerAuth = "cert.no-server-auth";
    public const string CertPathLength = "cert.path-length";
    public const string CertNameConstraints = "cert.name-constraints";
    public const string CertCriticalExtension = "cert.critical-extension";
    public const string CertPathInvalid = "cert.path-invalid";
    public const string CertTaExpired = "cert.ta-expired";
    public const string CertWeakKey = "cert.weak-key";
    public const string CertWeakSignature = "cert.weak-signature";

    // OCSP
    public const string OcspGood = "ocsp.good";
    public const string OcspMissing = "ocsp.missing";
    public const string OcspRevoked = "ocsp.revoked";
    public const string OcspUnknown = "ocsp.unknown";
    public const string OcspTryLater = "ocsp.try-later";
    public const string OcspInvalid = "ocsp.invalid";
    public const string OcspUnverifiable = "ocsp.unverifiable";

    // MTA-STS (RFC 8461), with -mta-sts
    public const string StsNone = "sts.none";
    public const string StsTxtFound = "sts.txt-found";
    public const string StsTxtInvalid = "sts.txt-invalid";
    public const string StsTxtLookupFailed = "sts.txt-lookup-failed";
    public const string StsPolicy = "sts.policy";
    public const string StsPolicyFetchFailed = "sts.policy-fetch-failed";
    public const string StsPolicyRedirect = "sts.policy-redirect";
    public const string StsPolicyTooLarge = "sts.policy-too-large";
    public const string StsPolicyCertInvalid = "sts.policy-cert-invalid";
    public const string StsPolicyInvalid = "sts.policy-invalid";
    public const string StsModeNone = "sts.mode-none";
    public const string StsMaxAgeShort = "sts.max-age-short";
    public const string StsMxCovered = "sts.mx-covered";
    public const string StsMxNotCovered = "sts.mx-not-covered";
    public const string StsMxCertValid = "sts.mx-cert-valid";
    public const string StsMxCertInvalid = "sts.mx-cert-invalid";
    public const string StsProtects = "sts.protects";

    // SMTP TLS reporting (RFC 8460), with -mta-sts
    public const string TlsRptFound = "tlsrpt.found";
    public const string TlsRptNone = "tlsrpt.none";
    public const string TlsRptInvalid = "tlsrpt.invalid";
    public const string TlsRptLookupFailed = "tlsrpt.lookup-failed";

    /// <summary>All codes, for the pinning test and the JSON schema documentation.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        RunInternalError, RunTimeout, DnsRemoteAd,
        BatchInvalidLine, ProbeShared,
        MxFound, MxNone, MxNull, MxInsecure, MxLookupFailed, MxDuplicate, MxCname,
        SrvFound, SrvNone, SrvNoService, SrvInsecure, SrvLookupFailed, SrvDuplicate,
        AddressFound, AddressNone, AddressInsecure, AddressLookupFailed, AddressCname,
        TlsaFound, TlsaNone, TlsaInsecure, TlsaLookupFailed, TlsaUnusable, TlsaAllUnusable, TlsaKnownCa,
        ConnectFailed, ConnectTimeout, ProxyFailed,
        SmtpBanner, SmtpBannerRejected, SmtpTimeout, SmtpProtocol, SmtpEhloRejected, SmtpNoStartTls,
        SmtpStartTlsRejected, SmtpClosed, SmtpEhloAfterTlsFailed,
        TlsEstablished, TlsFailed, TlsTimeout, TlsNoCertificates, TlsOldVersion,
        DaneEeMatch, DaneTaMatch, DaneNoMatch, DaneTaNotChained, DaneNameMismatch, DaneNameMatch,
        DaneVerified, DaneNotVerified, DanePresented, DaneTaMatchesLeaf, DaneNoRolloverRoom,
        CertExpired, CertExpiring, CertMalformed, CertInfo, CertNotYetValid,
        CertNoServerAuth, CertPathLength, CertNameConstraints, CertCriticalExtension, CertPathInvalid, CertTaExpired,
        CertWeakKey, CertWeakSignature,
        OcspGood, OcspMissing, OcspRevoked, OcspUnknown, OcspTryLater, OcspInvalid, OcspUnverifiable,
        StsNone, StsTxtFound, StsTxtInvalid, StsTxtLookupFailed, StsPolicy, StsPolicyFetchFailed, StsPolicyRedirect,
        StsPolicyTooLarge, StsPolicyCertInvalid, StsPolicyInvalid, StsModeNone, StsMaxAgeShort, StsMxCovered,
        StsMxNotCovered, StsMxCertValid, StsMxCertInvalid, StsProtects,
        TlsRptFound, TlsRptNone, TlsRptInvalid, TlsRptLookupFailed,
    ];
}
