using Org.BouncyCastle.X509;
using SmtpDane.Certificates;

namespace SmtpDane.Dane;

/// <summary>
/// One certificate on a DANE path, leaf first. <see cref="IsAnchor"/> marks a DANE-TA(2) trust
/// anchor certificate (sent by the server or published in full in DNS): it is trusted because
/// DNSSEC says so, so its own signature is not relied upon.
/// </summary>
internal sealed record PathEntry(CertificateFacts Facts, byte[] Der, string Label, X509Certificate Certificate, bool IsAnchor = false)
{
    public static PathEntry Of(PresentedCertificate c, bool isAnchor = false) =>
        new(c.Facts, c.Der, c.Label, c.Certificate, isAnchor);
}
