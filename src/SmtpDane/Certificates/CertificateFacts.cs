using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using SmtpDane.Model;

namespace SmtpDane.Certificates;

/// <summary>
/// The facts an operator needs about one certificate, parsed once from DER. Strings are raw (they
/// come from the peer): renderers escape them.
/// </summary>
public sealed record CertificateFacts(
    string? CommonName,
    string Subject,
    string Issuer,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string SerialHex,
    string SignatureAlgorithm,
    bool IsCa,
    byte[] SpkiSha256,
    byte[] CertificateSha256)
{
    /// <summary>Parses DER; throws <see cref="CertificateParseException"/> for malformed input.</summary>
    public static CertificateFacts Parse(byte[] der)
    {
        X509Certificate cert;
        try
        {
            cert = new X509Certificate(der);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CertificateParseException($"malformed certificate ({der.Length} bytes): {e.Message}", e);
        }

        return FromCertificate(cert, der);
    }

    public static CertificateFacts FromCertificate(X509Certificate cert, byte[] der)
    {
        try
        {
            var cn = cert.SubjectDN.GetValueList(X509Name.CN).LastOrDefault();
            var dns = new List<string>();
            var ips = new List<string>();
            var sans = cert.GetSubjectAlternativeNames();
            if (sans is not null)
            {
                foreach (var san in sans)
                {
                    if (san.Count < 2 || san[0] is not int tag)
                    {
                        continue;
                    }

                    if (tag == GeneralName.DnsName)
                    {
                        dns.Add(san[1]?.ToString() ?? "");
                    }
                    else if (tag == GeneralName.IPAddress)
                    {
                        ips.Add(san[1]?.ToString() ?? "");
                    }
                }
            }

            var spki = cert.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();
            return new CertificateFacts(
                cn,
                cert.SubjectDN.ToString(),
                cert.IssuerDN.ToString(),
                dns,
                ips,
                new DateTimeOffset(DateTime.SpecifyKind(cert.NotBefore, DateTimeKind.Utc)),
                new DateTimeOffset(DateTime.SpecifyKind(cert.NotAfter, DateTimeKind.Utc)),
                cert.SerialNumber.ToString(16),
                cert.SigAlgName,
                cert.GetBasicConstraints() >= 0,
                Digests.Sha256(spki),
                Digests.Sha256(der));
        }
        catch (Exception e) when (e is not OutOfMemoryException and not CertificateParseException)
        {
            throw new CertificateParseException($"malformed certificate: {e.Message}", e);
        }
    }
}
