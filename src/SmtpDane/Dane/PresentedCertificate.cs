using Org.BouncyCastle.X509;
using SmtpDane.Certificates;

namespace SmtpDane.Dane;

/// <summary>One parsed certificate of the chain as sent; <see cref="Position"/> 0 is the leaf.</summary>
internal sealed record PresentedCertificate(int Position, byte[] Der, X509Certificate Certificate, CertificateFacts Facts)
{
    /// <summary>"chain position 1 ("R3")": where a finding points.</summary>
    public string Label => Facts.CommonName is { Length: > 0 } cn
        ? $"chain position {Position} (\"{PeerText.Cap(cn)}\")"
        : $"chain position {Position}";

    /// <summary>Null when the DER is malformed; the reason goes to <paramref name="error"/>.</summary>
    public static PresentedCertificate? TryParse(int position, byte[] der, out string error)
    {
        try
        {
            var cert = new X509Certificate(der);
            var facts = CertificateFacts.FromCertificate(cert, der);
            error = "";
            return new PresentedCertificate(position, der, cert, facts);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = PeerText.Cap(e.Message);
            return null;
        }
    }
}
