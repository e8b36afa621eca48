using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// A DANE-TA(2) record that matched and that the leaf chains to, before RFC 5280 path
/// validation. <see cref="Below"/> runs from the leaf up to the certificate the anchor issued;
/// <see cref="AnchorCertificate"/> is null for a bare public key from DNS (2 1 0).
/// <see cref="Path"/> is what a success reports: <see cref="Below"/> plus the anchor certificate.
/// </summary>
internal sealed record TaCandidate(
    TlsaRecord Record,
    IReadOnlyList<PresentedCertificate> Below,
    X509Certificate? AnchorCertificate,
    AsymmetricKeyParameter AnchorKey,
    string AnchorLabel,
    List<PathEntry> Path);
