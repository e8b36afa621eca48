namespace SmtpDane.Dns;

/// <summary>
/// A trust anchor for the root zone in DS form (RFC 4034 §5): the key tag, algorithm and digest of
/// a root KSK. DNSKEY anchors are turned into this form (SHA-256 digest) when loaded.
/// </summary>
/// <param name="KeyTag">Key tag of the DNSKEY (RFC 4034 appendix B).</param>
/// <param name="Algorithm">DNSSEC algorithm number (8 = RSA/SHA-256, 13 = ECDSA P-256, ...).</param>
/// <param name="DigestType">1 = SHA-1, 2 = SHA-256, 4 = SHA-384.</param>
/// <param name="Digest">The digest of owner name and DNSKEY RDATA.</param>
public sealed record TrustAnchor(ushort KeyTag, byte Algorithm, byte DigestType, IReadOnlyList<byte> Digest)
{
    /// <summary>Zone-file form: <c>20326 8 2 E06D…</c>.</summary>
    public override string ToString() => $"{KeyTag} {Algorithm} {DigestType} {Convert.ToHexString([.. Digest])}";
}
