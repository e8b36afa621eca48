using System.Globalization;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto.Parameters;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// Checks of a verified path that do not decide DANE but tell the operator what to fix: expiry
/// within the warning window, an expired intermediate anchor (accepted by OpenSSL), RSA keys under
/// 2048 bits (the Hardenize/internet.nl checks; a warning where DANE-EE(3) skips key checks). Under
/// DANE-TA(2) weak keys and signatures decide the path instead (<see cref="TaSecurityLevel"/>).
/// </summary>
internal static class PathHygiene
{
    public const int MinRsaBits = 2048;

    private const string EeDatesAside =
        "which DANE-EE(3) senders ignore (RFC 7672 §3.1.1) but other clients do not";

    /// <summary>Each certificate of the successful paths once, in path order.</summary>
    public static List<Finding> Check(IReadOnlyList<(List<PathEntry> Path, bool IsEe)> successes, DateTimeOffset now, TimeSpan warning, string where)
    {
        var findings = new List<Finding>();
        var eeOnly = successes.All(s => s.IsEe);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, _) in successes)
        {
            foreach (var entry in path)
            {
                if (!seen.Add(Convert.ToHexString(entry.Facts.CertificateSha256)))
                {
                    continue;
                }

                findings.AddRange(Dates(entry, now, warning, where, eeOnly));
                if (WeakKey(entry, where) is { } weakKey)
                {
                    findings.Add(weakKey);
                }
            }
        }

        return findings;
    }

    /// <summary>
    /// OpenSSL's security level under DANE-TA (x509_vfy.c check_key_level, check_auth_level): every key on
    /// the chain, the anchor certificate's included, and every signature below the anchor. At level 2
    /// (Debian's and Ubuntu's default) RSA under 2048 bits is refused; SHA-1 and MD5 signatures already at
    /// OpenSSL 3's default level 1. Go's x509.Verify refuses SHA-1 too. DANE-EE(3) skips these checks.
    /// </summary>
    internal static IEnumerable<Finding> TaSecurityLevel(TaCandidate candidate, string where)
    {
        var below = candidate.Below;
        for (var i = 0; i <= below.Count; i++)
        {
            var cert = i < below.Count ? below[i].Certificate : candidate.AnchorCertificate;
            if (cert is null || RsaBits(cert) is not { } bits || bits >= MinRsaBits)
            {
                continue;
            }

            var label = i < below.Count ? below[i].Label : candidate.AnchorLabel;
            yield return Finding.Error(
                FindingCodes.CertWeakKey,
                $"the certificate at {label} of {where} has a {bits}-bit RSA key, below the {MinRsaBits} bits DANE senders at OpenSSL security level 2 (the Debian and Ubuntu default) require on a DANE-TA(2) path, so they refuse it; replace it with an RSA-{MinRsaBits} or ECDSA P-256 key",
                new Dictionary<string, string>
                {
                    ["position"] = i.ToString(CultureInfo.InvariantCulture),
                    ["algorithm"] = "RSA",
                    ["bits"] = bits.ToString(CultureInfo.InvariantCulture),
                    ["minimumBits"] = MinRsaBits.ToString(CultureInfo.InvariantCulture),
                });
        }

        for (var i = 0; i < below.Count; i++)
        {
            var cert = below[i].Certificate;
            if (WeakDigest(cert.SigAlgOid, cert.GetSigAlgParams()) is not { } digest)
            {
                continue;
            }

            yield return Finding.Error(
                FindingCodes.CertWeakSignature,
                $"the certificate at {below[i].Label} of {where} is signed with {digest} ({below[i].Facts.SignatureAlgorithm}), which DANE senders (OpenSSL 3 at its default security level, Go's x509.Verify) refuse on a DANE-TA(2) path; have it reissued with SHA-256",
                new Dictionary<string, string>
                {
                    ["position"] = i.ToString(CultureInfo.InvariantCulture),
                    ["digest"] = digest,
                    ["signatureAlgorithm"] = below[i].Facts.SignatureAlgorithm,
                });
        }
    }

    private static IEnumerable<Finding> Dates(PathEntry entry, DateTimeOffset now, TimeSpan warning, string where, bool eeOnly)
    {
        var subject = $"the certificate at {entry.Label} of {where}";
        var found = CertificateExpiry.Check(entry.Facts, subject, now, warning, eeOnly ? EeDatesAside : null);
        if (!entry.IsAnchor || TaPathValidator.IsSelfIssued(entry.Certificate))
        {
            return found;
        }

        // See TaPathValidator: OpenSSL ignores the dates of an intermediate trust anchor.
        return found.Select(f => f.Severity == Severity.Error
            ? f with
            {
                Severity = Severity.Warning,
                Code = FindingCodes.CertTaExpired,
                Message = $"the trust anchor certificate at {entry.Label} of {where} is outside its validity period (notBefore {CertificateExpiry.Format(entry.Facts.NotBefore)}, notAfter {CertificateExpiry.Format(entry.Facts.NotAfter)}); DANE senders (OpenSSL) still accept it as a DANE-TA(2) anchor because DNSSEC vouches for it, but renew it",
            }
            : f);
    }

    private static Finding? WeakKey(PathEntry entry, string where)
    {
        if (RsaBits(entry.Certificate) is not { } bits)
        {
            return null;
        }

        if (bits >= MinRsaBits)
        {
            return null;
        }

        return Finding.Warning(
            FindingCodes.CertWeakKey,
            $"the certificate at {entry.Label} of {where} has a {bits}-bit RSA key, below the {MinRsaBits} bits senders at OpenSSL security level 2 require; replace it with an RSA-{MinRsaBits} or ECDSA P-256 key",
            new Dictionary<string, string> { ["algorithm"] = "RSA", ["bits"] = bits.ToString(CultureInfo.InvariantCulture), ["minimumBits"] = MinRsaBits.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>The modulus length of an RSA key; null for other or unreadable keys.</summary>
    internal static int? RsaBits(Org.BouncyCastle.X509.X509Certificate cert)
    {
        try
        {
            return cert.GetPublicKey() is RsaKeyParameters rsa ? rsa.Modulus.BitLength : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>"SHA-1" or "MD5" when the signature algorithm uses it, else null.</summary>
    internal static string? WeakDigest(string oid, byte[]? parameters) => oid switch
    {
        "1.2.840.113549.1.1.5" or "1.3.14.3.2.29" or "1.2.840.10045.4.1" or "1.2.840.10040.4.3" => "SHA-1",
        "1.2.840.113549.1.1.4" or "1.2.840.113549.1.1.2" or "1.2.840.113549.1.1.3" => "MD5",
        "1.2.840.113549.1.1.10" => PssDigest(parameters),
        _ => null,
    };

    /// <summary>RSASSA-PSS names its hash in the parameters; absent means SHA-1 (RFC 4055 §3.1).</summary>
    private static string? PssDigest(byte[]? parameters)
    {
        try
        {
            var pss = parameters is null ? RsassaPssParameters.GetInstance(DerSequence.Empty) : RsassaPssParameters.GetInstance(Asn1Object.FromByteArray(parameters));
            return pss.HashAlgorithm.Algorithm.Id == "1.3.14.3.2.26" ? "SHA-1" : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
