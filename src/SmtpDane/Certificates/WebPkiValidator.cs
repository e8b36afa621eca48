using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SmtpDane.Model;

namespace SmtpDane.Certificates;

/// <summary>
/// Web PKI validation for MTA-STS (RFC 8461 §4.1): the chain the peer sent must build to one of
/// <see cref="WebPkiTrust.Anchors"/>, every certificate valid at <see cref="TimeProvider"/> time,
/// the leaf usable for TLS server authentication, and its subjectAltName must match the name
/// (<see cref="WebPkiNameMatcher"/>). The engine is .NET's <see cref="X509Chain"/> with
/// <see cref="X509ChainTrustMode.CustomRootTrust"/> (OpenSSL's verifier underneath on Linux):
/// revocation off (MTA-STS senders do not check it either), no AIA downloads (a missing
/// intermediate is the server's error, as for senders).
/// </summary>
public sealed class WebPkiValidator
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly WebPkiTrust _trust;
    private readonly TimeProvider _time;

    public WebPkiValidator(WebPkiTrust trust, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(time);
        _trust = trust;
        _time = time;
    }

    /// <param name="chain">DER certificates as sent, leaf first.</param>
    public WebPkiResult Validate(IReadOnlyList<byte[]> chain, string hostName)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(hostName);
        if (chain.Count == 0)
        {
            return WebPkiResult.Invalid("no certificate was sent");
        }

        var loaded = new List<X509Certificate2>();
        try
        {
            foreach (var der in chain)
            {
                loaded.Add(X509CertificateLoader.LoadCertificate(der));
            }
        }
        catch (CryptographicException e)
        {
            Dispose(loaded);
            return WebPkiResult.Invalid($"a certificate does not parse ({e.Message})");
        }

        try
        {
            return Validate(loaded[0], loaded.Skip(1), hostName);
        }
        finally
        {
            Dispose(loaded);
        }
    }

    /// <summary>Validates <paramref name="leaf"/> with <paramref name="intermediates"/> as untrusted helpers.</summary>
    public WebPkiResult Validate(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, string hostName)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        using var builder = new X509Chain();
        var policy = builder.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_trust.Anchors);
        policy.ExtraStore.AddRange(intermediates.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(ServerAuth);
        try
        {
            var built = builder.Build(leaf);
            var problem = built ? null : Describe(builder, leaf);
            foreach (var element in builder.ChainElements)
            {
                element.Certificate.Dispose();
            }

            if (problem is not null)
            {
                return WebPkiResult.Invalid(problem);
            }
        }
        catch (CryptographicException e)
        {
            return WebPkiResult.Invalid($"the chain could not be checked ({e.Message})");
        }

        IReadOnlyList<string> names;
        try
        {
            names = CertificateFacts.Parse(leaf.RawData).DnsNames;
        }
        catch (CertificateParseException e)
        {
            return WebPkiResult.Invalid($"the certificate does not parse ({e.Message})");
        }

        return WebPkiNameMatcher.Matches(names, hostName)
            ? WebPkiResult.Ok
            : WebPkiResult.Invalid(names.Count == 0
                ? $"the certificate has no DNS subjectAltName, so it is not valid for \"{hostName}\""
                : $"the certificate's names ({string.Join(", ", names.Take(5))}) do not match \"{hostName}\"");
    }

    private string Describe(X509Chain builder, X509Certificate2 leaf)
    {
        var flags = builder.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
        var now = _time.GetUtcNow();
        if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            var expired = builder.ChainElements
                .Select(e => e.Certificate)
                .FirstOrDefault(c => c.NotAfter.ToUniversalTime() < now.UtcDateTime || c.NotBefore.ToUniversalTime() > now.UtcDateTime) ?? leaf;
            var when = expired.NotAfter.ToUniversalTime() < now.UtcDateTime
                ? $"expired on {expired.NotAfter.ToUniversalTime():yyyy-MM-dd}"
                : $"is not valid before {expired.NotBefore.ToUniversalTime():yyyy-MM-dd}";
            return $"the certificate \"{expired.Subject}\" {when}";
        }

        if ((flags & (X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) != 0)
        {
            return $"the chain from \"{leaf.Subject}\" (issuer \"{leaf.Issuer}\") does not lead to a trusted root (add missing intermediates, or -ca-file for a private CA)";
        }

        if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0)
        {
            return "the certificate is not valid for TLS server authentication (extended key usage)";
        }

        var detail = string.Join("; ", builder.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"the chain is not valid ({flags}{(detail.Length > 0 ? ": " + detail : "")})";
    }

    private static void Dispose(List<X509Certificate2> certificates)
    {
        foreach (var c in certificates)
        {
            c.Dispose();
        }
    }
}
