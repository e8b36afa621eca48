using System.Net;
using SmtpDane.Dane;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Discovery;

/// <summary>
/// One SMTP host and port after the address and TLSA lookups (RFC 7672 §2.2).
/// <see cref="Addresses"/>: IPv6 before IPv4, each family in byte order, no duplicates; kept even
/// when insecure so the probe still runs. <see cref="TlsaBaseName"/> is the host name the TLSA
/// records were found under (the CNAME-expanded or the original name, RFC 7672 §2.2.3) and the
/// SNI name; null unless records were found. <see cref="UsableTlsa"/> is the subset of
/// <see cref="AllTlsa"/> an SMTP client may use (RFC 7672 §3.1.3). <see cref="ReferenceNames"/>
/// are the names a DANE-TA(2) certificate may carry (RFC 7672 §3.2.2): lower-case, no duplicates.
/// </summary>
public sealed record DiscoveredHost(
    string Name,
    int Port,
    int? Preference,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<IPAddress> Addresses,
    TlsaLookupOutcome TlsaOutcome,
    string? TlsaBaseName,
    IReadOnlyList<TlsaRecord> UsableTlsa,
    IReadOnlyList<TlsaRecord> AllTlsa,
    IReadOnlyList<string> ReferenceNames);
