using Org.BouncyCastle.Asn1;

namespace SmtpDane.Tests.TestPki;

/// <summary>What to put in a generated certificate; defaults give a valid EC P-256 leaf.</summary>
public sealed record TestCertificateSpec
{
    public required string CommonName { get; init; }

    public IReadOnlyList<string> DnsNames { get; init; } = [];

    public bool IsCa { get; init; }

    /// <summary>Leave out basicConstraints entirely (neither CA nor explicitly not-CA).</summary>
    public bool OmitBasicConstraints { get; init; }

    public TestKeyType KeyType { get; init; } = TestKeyType.EcP256;

    public DateTimeOffset NotBefore { get; init; } = Pki.DefaultNow.AddDays(-30);

    public DateTimeOffset NotAfter { get; init; } = Pki.DefaultNow.AddDays(365);

    /// <summary>Extended key usages to add (e.g. KeyPurposeID.id_kp_OCSPSigning); none by default.</summary>
    public IReadOnlyList<DerObjectIdentifier> ExtendedKeyUsages { get; init; } = [];

    /// <summary>basicConstraints pathLenConstraint of a CA; none when null.</summary>
    public int? PathLength { get; init; }

    /// <summary>Digest of the issuer's signature ("SHA1", "SHA256"); SHA-256 when null.</summary>
    public string? SignatureDigest { get; init; }

    /// <summary>An extension with this OID, marked critical, that nobody understands.</summary>
    public string? UnknownCriticalExtension { get; init; }

    /// <summary>nameConstraints permitting only these DNS subtrees (a CA's); none when empty.</summary>
    public IReadOnlyList<string> PermittedDnsSubtrees { get; init; } = [];

    /// <summary>Serial number; random when null.</summary>
    public long? Serial { get; init; }
}
