using System.Globalization;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using SmtpDane.Findings;

namespace SmtpDane.Certificates;

/// <summary>
/// Checks a stapled OCSP response (RFC 6066 §8) for the leaf: response status, signature by the
/// issuer or an issuer-authorised responder (RFC 6960 §4.2.2.2), the SingleResp for the leaf's
/// CertID, freshness, and finally the certificate status. Pure: the caller supplies the time.
/// </summary>
public static class OcspStapleChecker
{
    /// <summary>Tolerated clock difference for thisUpdate in the future.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private const string IdKpOcspSigning = "1.3.6.1.5.5.7.3.9";

    /// <summary>
    /// <paramref name="issuerDer"/> is the leaf's issuer, proven by signature (the next certificate
    /// on the verified DANE-TA path, or <see cref="LeafIssuer.Find"/>); without one whose key
    /// verifies the leaf's signature the staple proves nothing and is reported as unverifiable
    /// (warning, error with <paramref name="expectOcsp"/>), never good or revoked. <paramref name="where"/> names the server in messages (e.g.
    /// <c>"mx1.example.org" port 25</c>). A missing staple is an error only when
    /// <paramref name="expectOcsp"/>, else an info.
    /// </summary>
    public static OcspCheck Check(byte[]? staple, byte[] leafDer, byte[]? issuerDer, DateTimeOffset now, bool expectOcsp, string where = "the server")
    {
        ArgumentNullException.ThrowIfNull(leafDer);
        if (staple is null || staple.Length == 0)
        {
            var message = $"{where} stapled no OCSP response; enable OCSP stapling on the server";
            return new OcspCheck(false, false, [expectOcsp
                ? Finding.Error(FindingCodes.OcspMissing, message)
                : Finding.Info(FindingCodes.OcspMissing, message)]);
        }

        var (good, finding) = Evaluate(staple, leafDer, issuerDer, now, expectOcsp, where);
        return new OcspCheck(true, good, [finding]);
    }

    private static (bool Good, Finding Finding) Evaluate(byte[] staple, byte[] leafDer, byte[]? issuerDer, DateTimeOffset now, bool expectOcsp, string where)
    {
        X509Certificate leaf;
        try
        {
            leaf = new X509Certificate(leafDer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (false, Invalid(where, $"the leaf certificate is malformed ({PeerText.Cap(e.Message)}), so the staple cannot be matched to it"));
        }

        if (issuerDer is null)
        {
            return (false, Unverifiable(where, expectOcsp, "no certificate the server sent has a key that verifies the leaf's signature"));
        }

        X509Certificate issuer;
        try
        {
            issuer = new X509Certificate(issuerDer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (false, Unverifiable(where, expectOcsp, $"the issuer certificate is malformed ({PeerText.Cap(e.Message)})"));
        }

        // RFC 6960 §4.1.1: the CertID names the issuer; only the CA that signed the leaf can vouch for it.
        if (!LeafIssuer.Signed(leaf, issuer))
        {
            return (false, Unverifiable(where, expectOcsp, $"the certificate given as the leaf's issuer (\"{PeerText.Cap(issuer.SubjectDN.ToString())}\") did not sign the leaf"));
        }

        OcspResp response;
        BasicOcspResp? basic;
        try
        {
            response = new OcspResp(staple);
            if (response.Status == OcspRespStatus.TryLater)
            {
                return (false, Finding.Warning(
                    FindingCodes.OcspTryLater,
                    $"the OCSP response stapled by {where} says tryLater (the responder was busy); check the server's OCSP responder access"));
            }

            if (response.Status != OcspRespStatus.Successful)
            {
                return (false, Invalid(where, $"its response status is {StatusName(response.Status)} ({response.Status.ToString(CultureInfo.InvariantCulture)}), not successful; fix how the server fetches OCSP responses"));
            }

            basic = response.GetResponseObject() as BasicOcspResp;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (false, Invalid(where, $"it cannot be parsed ({PeerText.Cap(e.Message)}); fix how the server fetches OCSP responses"));
        }

        if (basic is null)
        {
            return (false, Invalid(where, "it is not a basic OCSP response (RFC 6960 §4.2.1)"));
        }

        if (SignatureProblem(basic, issuer, now) is { } signatureProblem)
        {
            return (false, Invalid(where, signatureProblem));
        }

        var single = FindSingle(basic, leaf, issuer);
        if (single is null)
        {
            return (false, Invalid(where, $"it holds no status for the leaf (serial {leaf.SerialNumber.ToString(16)}); the server staples a response for another certificate"));
        }

        var data = new Dictionary<string, string>
        {
            ["producedAt"] = CertificateExpiry.Format(Utc(basic.ProducedAt)),
            ["thisUpdate"] = CertificateExpiry.Format(Utc(single.ThisUpdate)),
        };
        if (single.NextUpdate is { } next)
        {
            data["nextUpdate"] = CertificateExpiry.Format(Utc(next));
        }

        if (Utc(single.ThisUpdate) > now + ClockSkew)
        {
            return (false, Invalid(where, $"it is not valid yet, its thisUpdate is {data["thisUpdate"]}; check the server's and responder's clocks", data));
        }

        // RFC 6960 §4.2.2.1: past nextUpdate the response must not be relied upon.
        if (single.NextUpdate is { } nextUpdate && Utc(nextUpdate) < now)
        {
            return (false, Invalid(where, $"it is stale, its nextUpdate {data["nextUpdate"]} has passed; make the server refresh its staple", data));
        }

        switch (single.GetCertStatus())
        {
            case null: // CertificateStatus.Good is null in BouncyCastle
                return (true, Finding.Success(
                    FindingCodes.OcspGood,
                    $"the OCSP response stapled by {where} says the certificate is good (thisUpdate {data["thisUpdate"]})",
                    data));
            case RevokedStatus revoked:
                data["revocationTime"] = CertificateExpiry.Format(Utc(revoked.RevocationTime));
                var reason = "";
                if (revoked.HasRevocationReason)
                {
                    data["revocationReason"] = revoked.RevocationReason.ToString(CultureInfo.InvariantCulture);
                    reason = $" (reason code {data["revocationReason"]})";
                }

                return (false, Finding.Error(
                    FindingCodes.OcspRevoked,
                    $"the OCSP response stapled by {where} says the certificate was revoked at {data["revocationTime"]}{reason}; install a new certificate",
                    data));
            default:
                return (false, Finding.Error(
                    FindingCodes.OcspUnknown,
                    $"the OCSP response stapled by {where} says the certificate's status is unknown to the responder; check that the certificate was issued by the CA the responder serves",
                    data));
        }
    }

    /// <summary>RFC 6960 §4.2.2.2: signed by the issuer, or by a responder certificate the issuer signed for id-kp-OCSPSigning.</summary>
    private static string? SignatureProblem(BasicOcspResp basic, X509Certificate issuer, DateTimeOffset now)
    {
        if (Verifies(basic, issuer))
        {
            return null;
        }

        X509Certificate[] included;
        try
        {
            included = basic.GetCerts() ?? [];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"its included certificates cannot be parsed ({PeerText.Cap(e.Message)})";
        }

        string? why = null;
        foreach (var responder in included)
        {
            if (!Verifies(basic, responder))
            {
                continue;
            }

            why = DelegationProblem(responder, issuer, now);
            if (why is null)
            {
                return null;
            }
        }

        return why is null
            ? "its signature verifies neither with the issuer's key nor with an included responder certificate; the response was signed by someone else"
            : $"it is signed by an included responder certificate that is not authorised: {why}";
    }

    private static string? DelegationProblem(X509Certificate responder, X509Certificate issuer, DateTimeOffset now)
    {
        if (!responder.IssuerDN.Equivalent(issuer.SubjectDN))
        {
            return "the responder certificate was not issued by the leaf's issuer";
        }

        try
        {
            if (!responder.IsSignatureValid(issuer.GetPublicKey()))
            {
                return "the responder certificate's signature does not verify with the issuer's key";
            }

            var usages = responder.GetExtendedKeyUsage();
            if (usages is null || !usages.Any(u => u.Id == IdKpOcspSigning))
            {
                return "the responder certificate lacks the id-kp-OCSPSigning extended key usage";
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the responder certificate cannot be checked ({PeerText.Cap(e.Message)})";
        }

        if (Utc(responder.NotBefore) > now || Utc(responder.NotAfter) < now)
        {
            return $"the responder certificate is outside its validity period (notAfter {CertificateExpiry.Format(Utc(responder.NotAfter))})";
        }

        return null;
    }

    private static bool Verifies(BasicOcspResp basic, X509Certificate signer)
    {
        try
        {
            return basic.Verify(signer.GetPublicKey());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>The SingleResp whose CertID (issuer name hash, issuer key hash, serial; RFC 6960 §4.1.1) is the leaf's.</summary>
    private static SingleResp? FindSingle(BasicOcspResp basic, X509Certificate leaf, X509Certificate issuer)
    {
        foreach (var single in basic.Responses)
        {
            try
            {
                var id = single.GetCertID();
                if (id.SerialNumber.Equals(leaf.SerialNumber) && id.MatchesIssuer(issuer))
                {
                    return single;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // an unsupported hash algorithm in a CertID: not ours
            }
        }

        return null;
    }

    private static Finding Unverifiable(string where, bool expectOcsp, string reason)
    {
        var message = $"the OCSP response stapled by {where} cannot be verified: {reason}, so it proves nothing about the leaf; send the leaf's issuing CA certificate after the leaf";
        return expectOcsp
            ? Finding.Error(FindingCodes.OcspUnverifiable, message)
            : Finding.Warning(FindingCodes.OcspUnverifiable, message);
    }

    private static Finding Invalid(string where, string reason, IReadOnlyDictionary<string, string>? data = null) =>
        Finding.Error(FindingCodes.OcspInvalid, $"the OCSP response stapled by {where} is invalid: {reason}", data);

    private static string StatusName(int status) => status switch
    {
        OcspRespStatus.MalformedRequest => "malformedRequest",
        OcspRespStatus.InternalError => "internalError",
        OcspRespStatus.SigRequired => "sigRequired",
        OcspRespStatus.Unauthorized => "unauthorized",
        _ => "unknown",
    };

    private static DateTimeOffset Utc(DateTime time) =>
        new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
