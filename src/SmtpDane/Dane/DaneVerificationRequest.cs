using SmtpDane.Model;


namespace SmtpDane.Dane;

/// <summary>
/// One DANE check of one TLS session. <see cref="PresentedChain"/> is DER, leaf first, exactly as
/// the server sent it. <see cref="ReferenceNames"/> are the names the leaf must carry for a
/// DANE-TA(2) match (RFC 7672 §3.2.2: the TLSA base name, the MX host name, any extra names);
/// when empty, <see cref="HostName"/> is used. <see cref="ExpirationWarning"/> of zero turns
/// expiry checks off, as the Go tool's "-expiration-warning 0s".
/// </summary>
public sealed record DaneVerificationRequest(
    string HostName,
    int Port,
    IReadOnlyList<byte[]> PresentedChain,
    IReadOnlyList<TlsaRecord> UsableRecords,
    IReadOnlyList<string> ReferenceNames,
    DateTimeOffset Now,
    TimeSpan ExpirationWarning);
