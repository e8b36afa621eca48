using SmtpDane.Findings;
using SmtpDane.Model;


namespace SmtpDane.Dane;

/// <summary>
/// Outcome of <see cref="DaneVerifier.Verify"/>. <see cref="Verified"/> is true when at least one
/// record fully succeeded: a DANE-EE(3) match, or a DANE-TA(2) match the leaf chains to and whose
/// leaf carries a reference name. <see cref="VerifiedPath"/> is the first such path, DER, leaf
/// to anchor (just the leaf for DANE-EE; for a key-only DANE-TA(2) anchor from DNS, the path ends
/// at the certificate that key signed). <see cref="MatchedRecords"/> are the records that fully
/// succeeded, in request order. <see cref="LeafIssuer"/> is the certificate proven to have signed
/// the leaf (for OCSP), or null.
/// </summary>
public sealed record DaneVerification(
    bool Verified,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<byte[]> VerifiedPath,
    IReadOnlyList<TlsaRecord> MatchedRecords)
{
    private readonly Lazy<byte[]?> _leafIssuer = new(() => null);

    /// <summary>Found on first read: only a stapled OCSP response needs it, and finding it costs a signature check.</summary>
    public byte[]? LeafIssuer
    {
        get => _leafIssuer.Value;
        init => _leafIssuer = new(() => value);
    }

    /// <summary>How to find <see cref="LeafIssuer"/> when it is first read.</summary>
    internal Lazy<byte[]?> LeafIssuerLookup
    {
        get => _leafIssuer;
        init => _leafIssuer = value;
    }
}
