using System.Globalization;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkix;
using Org.BouncyCastle.X509;
using SmtpDane.Certificates;
using SmtpDane.Findings;
using SmtpDane.Model;

namespace SmtpDane.Dane;

/// <summary>
/// RFC 5280 §6 validation of a DANE-TA(2) path as OpenSSL applies it under DANE (RFC 7671 §5.2),
/// at the check time. Our own checks come first, each with its own code and advice; BouncyCastle's
/// <see cref="PkixCertPathValidator"/> then runs the whole RFC 5280 algorithm below the anchor
/// (signatures, dates, basicConstraints, pathLen, keyUsage, name constraints, policies, unknown
/// critical extensions) as the proven backstop: the path passes only when both agree.
/// <para>
/// The anchor itself, as OpenSSL 3.0 does it (observed on the test bed with
/// <c>openssl s_client -dane_tlsa_rrdata</c>): a bare key (2 1 0) has nothing to check; of an anchor
/// certificate (sent, or 2 0 0 from DNS) the CA bit, keyCertSign, pathLenConstraint,
/// extendedKeyUsage, name constraints and critical extensions apply, and its dates only when it
/// is self-issued (a root): an expired intermediate matched by 2 0 1 verifies in OpenSSL, an
/// expired root matched by 2 0 1 or given as 2 0 0 does not. RFC 7671 §5.2 makes the DNSSEC-signed
/// record, not the certificate, the source of trust, so an expired intermediate anchor is
/// reported as a warning (<see cref="FindingCodes.CertTaExpired"/>) instead.
/// </para>
/// </summary>
internal static class TaPathValidator
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>OpenSSL's X509_supported_extension list: critical extensions it understands.</summary>
    private static readonly HashSet<string> UnderstoodCritical = new(StringComparer.Ordinal)
    {
        "2.16.840.1.113730.1.1", // Netscape cert type
        "2.5.29.15", // keyUsage
        "2.5.29.17", // subjectAltName
        "2.5.29.19", // basicConstraints
        "2.5.29.30", // nameConstraints
        "2.5.29.32", // certificatePolicies
        "2.5.29.33", // policyMappings
        "2.5.29.36", // policyConstraints
        "2.5.29.37", // extendedKeyUsage
        "2.5.29.54", // inhibitAnyPolicy
        "1.3.6.1.5.5.7.1.7", // RFC 3779 IP address blocks
        "1.3.6.1.5.5.7.1.8", // RFC 3779 AS identifiers
        "1.3.6.1.5.5.7.1.14", // proxyCertInfo
    };

    /// <summary>Error findings for every rule the path breaks; empty when it is valid.</summary>
    public static List<Finding> Validate(TaCandidate candidate, DateTimeOffset now, string where)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var problems = new List<Finding>();
        var below = candidate.Below;
        var anchor = candidate.AnchorCertificate;
        var record = candidate.Record.ToString();

        foreach (var c in below)
        {
            problems.AddRange(CertificateExpiry.Check(c.Facts, $"the certificate at {c.Label} of {where}", now, TimeSpan.Zero)
                .Select(f => f with { Message = f.Message + $"; DANE-TA(2) record {record} fails until then" }));
        }

        if (anchor is not null && IsSelfIssued(anchor) && candidate.Path[^1] is { IsAnchor: true } top)
        {
            problems.AddRange(CertificateExpiry.Check(top.Facts, $"the trust anchor certificate ({candidate.AnchorLabel}) of {where}", now, TimeSpan.Zero)
                .Select(f => f with { Message = f.Message + $" (a root certificate's dates count, as in OpenSSL); DANE-TA(2) record {record} fails until then" }));
        }

        // RFC 5280 §4.2.1.12 with OpenSSL's purpose "sslserver": serverAuth (or any) on the leaf and on every CA that lists usages.
        for (var i = 0; i <= below.Count; i++)
        {
            var cert = i < below.Count ? below[i].Certificate : anchor;
            if (cert is null || ServerAuthProblem(cert) is not { } usages)
            {
                continue;
            }

            var label = i < below.Count ? below[i].Label : candidate.AnchorLabel;
            problems.Add(Finding.Error(
                FindingCodes.CertNoServerAuth,
                $"the certificate at {label} of {where} is not valid for TLS servers: its extendedKeyUsage ({usages}) lacks serverAuth, so DANE senders (OpenSSL purpose sslserver, Go ExtKeyUsageServerAuth) refuse it; reissue it with serverAuth",
                new Dictionary<string, string> { ["position"] = Position(i, below.Count), ["extendedKeyUsage"] = usages }));
        }

        // RFC 5280 §4.2.1.9: pathLenConstraint counts the non-self-issued intermediates below a CA; OpenSSL applies the anchor's too.
        for (var i = 1; i <= below.Count; i++)
        {
            var cert = i < below.Count ? below[i].Certificate : anchor;
            var limit = cert?.GetBasicConstraints() ?? -1;
            if (cert is null || limit < 0 || limit == int.MaxValue)
            {
                continue;
            }

            var intermediates = below.Skip(1).Take(i - 1).Count(c => !IsSelfIssued(c.Certificate));
            if (intermediates > limit)
            {
                var label = i < below.Count ? below[i].Label : candidate.AnchorLabel;
                problems.Add(Finding.Error(
                    FindingCodes.CertPathLength,
                    $"the CA certificate at {label} of {where} allows {limit} intermediate CA(s) below it (pathLenConstraint) but the path has {intermediates}; issue the leaf from a CA the constraint allows, or publish the TLSA record for a lower CA",
                    new Dictionary<string, string>
                    {
                        ["position"] = Position(i, below.Count),
                        ["pathLenConstraint"] = limit.ToString(CultureInfo.InvariantCulture),
                        ["intermediates"] = intermediates.ToString(CultureInfo.InvariantCulture),
                    }));
            }
        }

        for (var i = 0; i <= below.Count; i++)
        {
            var cert = i < below.Count ? below[i].Certificate : anchor;
            var unknown = cert?.GetCriticalExtensionOids()?.Where(o => !UnderstoodCritical.Contains(o)).Order(StringComparer.Ordinal).ToList();
            if (unknown is { Count: > 0 })
            {
                var label = i < below.Count ? below[i].Label : candidate.AnchorLabel;
                problems.Add(Finding.Error(
                    FindingCodes.CertCriticalExtension,
                    $"the certificate at {label} of {where} has a critical extension that DANE senders do not understand ({string.Join(", ", unknown)}), so they must reject it (RFC 5280 §4.2); reissue it without that extension or mark it non-critical",
                    new Dictionary<string, string> { ["position"] = Position(i, below.Count), ["extensions"] = string.Join(" ", unknown) }));
            }
        }

        problems.AddRange(PathHygiene.TaSecurityLevel(candidate, where));

        if (anchor is not null && AnchorNameConstraintsProblem(anchor, below) is { } ncProblem)
        {
            problems.Add(NameConstraintsFinding(ncProblem, candidate.AnchorLabel, where, Position(below.Count, below.Count)));
        }

        if (problems.Count == 0 && PkixProblem(candidate, now) is { } pkix)
        {
            var label = pkix.Index >= 0 && pkix.Index < below.Count ? below[pkix.Index].Label : candidate.AnchorLabel;
            var position = pkix.Index >= 0 && pkix.Index < below.Count ? pkix.Index : below.Count;
            problems.Add(pkix.Message.Contains("subtree", StringComparison.OrdinalIgnoreCase) || pkix.Message.Contains("constraint", StringComparison.OrdinalIgnoreCase) && pkix.Message.Contains("name", StringComparison.OrdinalIgnoreCase)
                ? NameConstraintsFinding(pkix.Message, label, where, Position(position, below.Count))
                : Finding.Error(
                    FindingCodes.CertPathInvalid,
                    $"RFC 5280 path validation of {where} under DANE-TA(2) record {record} fails at {label}: {PeerText.Cap(pkix.Message)}; fix the certificate chain",
                    new Dictionary<string, string> { ["position"] = Position(position, below.Count), ["reason"] = PeerText.Cap(pkix.Message) }));
        }

        return problems;
    }

    internal static bool IsSelfIssued(X509Certificate cert) => cert.IssuerDN.Equivalent(cert.SubjectDN);

    /// <summary>The usages listed, when they exclude TLS servers; null when acceptable or absent.</summary>
    private static string? ServerAuthProblem(X509Certificate cert)
    {
        IList<Org.BouncyCastle.Asn1.DerObjectIdentifier>? usages;
        try
        {
            usages = cert.GetExtendedKeyUsage();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "malformed";
        }

        if (usages is null || usages.Any(u => u.Id is ServerAuth or AnyExtendedKeyUsage))
        {
            return null;
        }

        return string.Join(" ", usages.Select(u => UsageName(u.Id)));
    }

    private static string UsageName(string oid) => oid switch
    {
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        _ => oid,
    };

    /// <summary>RFC 5280 §4.2.1.10 for the anchor's own nameConstraints (the PKIX engine only sees those of certificates below it).</summary>
    private static string? AnchorNameConstraintsProblem(X509Certificate anchor, IReadOnlyList<PresentedCertificate> below)
    {
        try
        {
            var ext = anchor.GetExtensionValue(X509Extensions.NameConstraints);
            if (ext is null)
            {
                return null;
            }

            var nc = NameConstraints.GetInstance(Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.FromExtensionValue(ext));
            var validator = new PkixNameConstraintValidator();
            if (nc.PermittedSubtreesValue is { } permitted)
            {
                validator.IntersectPermittedSubtree(Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(permitted.ToAsn1Object()));
            }

            if (nc.ExcludedSubtreesValue is { } excluded)
            {
                foreach (var subtree in Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(excluded.ToAsn1Object()))
                {
                    validator.AddExcludedSubtree(GeneralSubtree.GetInstance(subtree));
                }
            }

            for (var i = 0; i < below.Count; i++)
            {
                var cert = below[i].Certificate;
                if (i > 0 && IsSelfIssued(cert))
                {
                    continue; // RFC 5280 §6.1.3 (b): self-issued intermediates are exempt
                }

                validator.CheckDN(cert.SubjectDN);
                foreach (var san in cert.GetSubjectAlternativeNameExtension()?.GetNames() ?? [])
                {
                    validator.CheckName(san);
                }
            }

            return null;
        }
        catch (PkixNameConstraintValidatorException e)
        {
            return e.Message;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"its name constraints cannot be processed ({PeerText.Cap(e.Message)})";
        }
    }

    private static Finding NameConstraintsFinding(string reason, string label, string where, string position) => Finding.Error(
        FindingCodes.CertNameConstraints,
        $"a name in the chain of {where} violates the name constraints of the CA at {label} ({PeerText.Cap(reason)}); issue the leaf within the CA's permitted names",
        new Dictionary<string, string> { ["position"] = position, ["reason"] = PeerText.Cap(reason) });

    /// <summary>BouncyCastle's RFC 5280 §6.1 algorithm from the anchor down to the leaf; null when it accepts.</summary>
    private static (string Message, int Index)? PkixProblem(TaCandidate candidate, DateTimeOffset now)
    {
        try
        {
            var path = new PkixCertPath([.. candidate.Below.Select(c => c.Certificate)]);
            var anchor = candidate.AnchorCertificate is { } cert
                ? new TrustAnchor(cert, null)
                : new TrustAnchor(candidate.Below[^1].Certificate.IssuerDN, candidate.AnchorKey, null);
            var parameters = new PkixParameters(new HashSet<TrustAnchor> { anchor })
            {
                IsRevocationEnabled = false, // DANE has no CRL fetching; OCSP staples are checked separately
                Date = now.UtcDateTime,
            };
            parameters.AddCertPathChecker(new OpenSslExtensions());
            new PkixCertPathValidator().Validate(path, parameters);
            return null;
        }
        catch (PkixCertPathValidatorException e)
        {
            return (e.Message, e.Index);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (e.Message, -1);
        }
    }

    private static string Position(int index, int belowCount) => index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Marks the critical extensions OpenSSL understands (beyond those BouncyCastle's algorithm handles) as processed.</summary>
    private sealed class OpenSslExtensions : PkixCertPathChecker
    {
        public override void Init(bool forward)
        {
        }

        public override bool IsForwardCheckingSupported() => false;

        public override ISet<string> GetSupportedExtensions() => UnderstoodCritical;

        public override void Check(X509Certificate cert, ISet<string> unresolvedCritExts) =>
            unresolvedCritExts.ExceptWith(UnderstoodCritical);
    }
}
