using Org.BouncyCastle.X509;

namespace SmtpDane.Certificates;

/// <summary>
/// The leaf's issuer among the certificates a server sent, proven by the signature: a certificate
/// only counts when its public key verifies the leaf's signature (RFC 5280 §6.1.3 (a)(1)). What the
/// server merely sends second proves nothing: an OCSP staple checked against an unrelated CA would
/// say "good" for any certificate.
/// </summary>
public static class LeafIssuer
{
    /// <summary>DER of the first certificate after the leaf whose key verifies the leaf's signature, else null.</summary>
    public static byte[]? Find(IReadOnlyList<byte[]> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count < 2 || TryParse(chain[0]) is not { } leaf)
        {
            return null;
        }

        for (var i = 1; i < chain.Count; i++)
        {
            if (TryParse(chain[i]) is { } candidate && Signed(leaf, candidate))
            {
                return chain[i];
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="issuer"/> names and signed <paramref name="leaf"/>.</summary>
    public static bool Signed(X509Certificate leaf, X509Certificate issuer)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            return leaf.IssuerDN.Equivalent(issuer.SubjectDN) && leaf.IsSignatureValid(issuer.GetPublicKey());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private static X509Certificate? TryParse(byte[] der)
    {
        try
        {
            return new X509Certificate(der);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
