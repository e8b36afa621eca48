using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.X509;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// Certificate association data (RFC 6698 §2.1.2, §2.1.3) and record-to-certificate matching.
/// Pure: parsing failures surface as <see cref="Certificates.CertificateParseException"/>.
/// </summary>
public static class TlsaMatcher
{
    /// <summary>
    /// The association data a record with this selector and matching type needs for the
    /// certificate. Selector 0 hashes the DER exactly as given (the bytes the peer sent, not a
    /// re-encoding); selector 1 the DER SubjectPublicKeyInfo.
    /// </summary>
    public static byte[] AssociationData(byte[] certificateDer, byte selector, byte matchingType)
    {
        ArgumentNullException.ThrowIfNull(certificateDer);
        var selected = selector switch
        {
            (byte)TlsaSelector.FullCertificate => certificateDer,
            (byte)TlsaSelector.SubjectPublicKeyInfo => SubjectPublicKeyInfo(Parse(certificateDer)),
            _ => throw new ArgumentOutOfRangeException(nameof(selector), selector, "unknown TLSA selector"),
        };
        return Digest(selected, matchingType);
    }

    /// <summary>As above for an already parsed certificate whose DER is <paramref name="certificateDer"/>.</summary>
    public static byte[] AssociationData(X509Certificate certificate, byte[] certificateDer, byte selector, byte matchingType)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(certificateDer);
        var selected = selector switch
        {
            (byte)TlsaSelector.FullCertificate => certificateDer,
            (byte)TlsaSelector.SubjectPublicKeyInfo => SubjectPublicKeyInfo(certificate),
            _ => throw new ArgumentOutOfRangeException(nameof(selector), selector, "unknown TLSA selector"),
        };
        return Digest(selected, matchingType);
    }

    /// <summary>
    /// True when the record's association data matches the certificate. The usage is not looked
    /// at (callers decide where a usage applies); unknown selectors or matching types never match.
    /// </summary>
    public static bool Matches(TlsaRecord record, byte[] certificateDer) =>
        Matches(record, Parse(certificateDer), certificateDer);

    /// <summary>As above for an already parsed certificate whose DER is <paramref name="certificateDer"/>.</summary>
    public static bool Matches(TlsaRecord record, X509Certificate certificate, byte[] certificateDer)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Selector > (byte)TlsaSelector.SubjectPublicKeyInfo || record.MatchingType > (byte)TlsaMatchingType.Sha512)
        {
            return false;
        }

        var expected = AssociationData(certificate, certificateDer, record.Selector, record.MatchingType);
        return expected.AsSpan().SequenceEqual(record.Data);
    }

    /// <summary>The DER SubjectPublicKeyInfo (selector 1).</summary>
    public static byte[] SubjectPublicKeyInfo(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.CertificateStructure.SubjectPublicKeyInfo.GetEncoded(Asn1Encodable.Der);
    }

    private static byte[] Digest(byte[] selected, byte matchingType) => matchingType switch
    {
        (byte)TlsaMatchingType.Full => selected,
        (byte)TlsaMatchingType.Sha256 => Digests.Sha256(selected),
        (byte)TlsaMatchingType.Sha512 => Digests.Sha512(selected),
        _ => throw new ArgumentOutOfRangeException(nameof(matchingType), matchingType, "unknown TLSA matching type"),
    };

    private static X509Certificate Parse(byte[] der)
    {
        ArgumentNullException.ThrowIfNull(der);
        try
        {
            return new X509Certificate(der);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new Certificates.CertificateParseException($"malformed certificate ({der.Length} bytes): {e.Message}", e);
        }
    }
}
