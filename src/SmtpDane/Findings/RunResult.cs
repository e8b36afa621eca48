using System.Net;
using SmtpDane.Certificates;
using SmtpDane.Model;
using SmtpDane.MtaSts;

namespace SmtpDane.Findings;

/// <summary>The whole run: one <see cref="TargetResult"/> per argument, in argument order.</summary>
public sealed record RunResult(
    IReadOnlyList<TargetResult> Targets,
    IReadOnlyList<Finding> Findings,
    DateTimeOffset StartedAt,
    TimeSpan Duration)
{
    public Severity Worst => WorstOf(Findings, Targets.Select(t => t.Worst));

    internal static Severity WorstOf(IEnumerable<Finding> findings, IEnumerable<Severity> children)
    {
        var worst = Severity.Info;
        foreach (var f in findings)
        {
            worst = f.Severity > worst ? f.Severity : worst;
        }

        foreach (var s in children)
        {
            worst = s > worst ? s : worst;
        }

        return worst;
    }
}

/// <summary>One argument: its discovery findings (MX/SRV) and the hosts found, by preference.</summary>
public sealed record TargetResult(
    Target Target,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<HostResult> Hosts)
{
    public Severity Worst => RunResult.WorstOf(Findings, Hosts.Select(h => h.Worst));

    /// <summary>The domain's MTA-STS and TLS-RPT state, with -mta-sts on MX targets; its findings are also in <see cref="Findings"/>.</summary>
    public MtaStsResult? MtaSts { get; init; }
}

/// <summary>
/// One SMTP host and port: address and TLSA lookups, then one <see cref="AddressResult"/> per
/// address. <see cref="TlsaBaseName"/> is the name the TLSA records were found at (RFC 7672 §2.2.3).
/// </summary>
public sealed record HostResult(
    string Name,
    int Port,
    int? Preference,
    bool TlsOnConnect,
    IReadOnlyList<Finding> Findings,
    string? TlsaBaseName,
    IReadOnlyList<TlsaRecord> Tlsa,
    IReadOnlyList<AddressResult> Addresses)
{
    public Severity Worst => RunResult.WorstOf(Findings, Addresses.Select(a => a.Worst));
}

/// <summary>
/// One probe of one address. <see cref="Tls"/> is null when no handshake completed.
/// <see cref="Transcript"/> holds the SMTP lines sent and received, plaintext and after TLS, raw
/// (renderers escape them; shown with -debug); <see cref="TranscriptTruncated"/> is set when lines
/// were dropped at the transcript's bound.
/// </summary>
public sealed record AddressResult(
    IPAddress Address,
    int Port,
    IReadOnlyList<Finding> Findings,
    TlsSummary? Tls,
    TimeSpan Duration,
    IReadOnlyList<SmtpTranscriptEntry>? Transcript = null,
    bool TranscriptTruncated = false)
{
    public Severity Worst => RunResult.WorstOf(Findings, []);

    /// <summary>With -mta-sts: whether the certificate is Web-PKI valid for the host name (RFC 8461 §4.1); null when not checked.</summary>
    public WebPkiResult? WebPki { get; init; }

    /// <summary>DANE is not in effect here but a valid MTA-STS enforce policy protects the host (see <c>Probing/StsVerdict</c>).</summary>
    public bool StsProtected { get; init; }

    /// <summary>True only when DANE verification positively succeeded (fail closed).</summary>
    public bool Verified => Findings.Any(f => f.Code == FindingCodes.DaneVerified) && Worst < Severity.Error;
}

/// <summary>What the TLS handshake showed: the chain exactly as sent (DER, leaf first) and the staple.</summary>
public sealed record TlsSummary(
    string Version,
    string CipherSuite,
    IReadOnlyList<byte[]> Certificates,
    byte[]? OcspStaple,
    TimeSpan HandshakeTime);
